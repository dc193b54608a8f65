/**
 * MicroProfile Health checks of a server node: liveness (the application runs) and readiness (its
 * brokers reach their stores), served by Liberty at {@code /health/live} and {@code /health/ready}.
 */
package dev.juggler.web.health;
