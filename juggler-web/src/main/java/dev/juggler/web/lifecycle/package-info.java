/**
 * The node's start and stop: configuration checked when the application starts ({@link
 * dev.juggler.web.lifecycle.Startup}), connections closed with 1001 (going away) when it stops
 * ({@link dev.juggler.web.lifecycle.GracefulShutdown}).
 */
package dev.juggler.web.lifecycle;
