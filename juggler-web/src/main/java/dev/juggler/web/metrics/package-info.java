/** The server's metrics, published through MicroProfile Metrics at {@code /metrics}. */
package dev.juggler.web.metrics;
