/**
 * What every command of the tools shares: how their options are written (durations as Go writes
 * them).
 */
package dev.juggler.tools.cli;
