/**
 * The interactive client, {@code juggler client}: commands read line by line (a terminal or a
 * pipe), every incoming answer, event and connection change printed as one line.
 */
package dev.juggler.tools.client;
