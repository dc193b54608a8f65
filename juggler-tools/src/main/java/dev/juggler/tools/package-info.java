/**
 * Command-line tools for a Juggler server: the top command {@code juggler} and its subcommands, a
 * load generator ({@link dev.juggler.tools.load}) and an interactive client ({@link
 * dev.juggler.tools.client}). They speak {@code juggler.0} through {@code dev.juggler.client}.
 */
package dev.juggler.tools;
