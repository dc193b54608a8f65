/**
 * Logging that stays readable when the same failure repeats thousands of times a second: {@link
 * dev.juggler.callee.log.LogLimiter}.
 */
package dev.juggler.callee.log;
