/**
 * The callees' readiness check ({@code juggler-callees}) and metrics ({@code Callee*}), served by
 * MicroProfile Health and Metrics wherever the EJB module runs: in the Juggler server, next to its
 * web module, and in the callee-only server.
 */
package dev.juggler.callee.observe;
