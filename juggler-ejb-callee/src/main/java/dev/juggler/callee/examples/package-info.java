/**
 * The example functions every deployment ships ({@code test.echo}, {@code test.reverse}, {@code
 * test.delay}), with the exact behaviour tools written for the original juggler rely on. Serve a
 * subset, or none, with {@code juggler.callee.uris}.
 */
package dev.juggler.callee.examples;
