/**
 * Code added to the application for the tests only: handler decorators that reject or fail, and a
 * callee that records its calls in Redis.
 */
package dev.juggler.it.extra;
