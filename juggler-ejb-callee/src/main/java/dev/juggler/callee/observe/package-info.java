/**
 * The callees' readiness check and metrics, for servers that have MicroProfile Health and Metrics
 * (the Juggler server, which runs the callees next to its web module). The callee-only server has
 * neither: {@link dev.juggler.callee.observe.ObservabilityExtension} adds these beans only where
 * their APIs are present, so the same EJB module deploys in both.
 */
package dev.juggler.callee.observe;
