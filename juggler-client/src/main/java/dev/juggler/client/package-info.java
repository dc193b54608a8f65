/**
 * A Java client for Juggler servers: juggler.0 calls and pub-sub over the JDK's {@link
 * java.net.http.WebSocket}.
 *
 * <p>{@link dev.juggler.client.JugglerClient} is the entry point, configured by {@link
 * dev.juggler.client.ClientOptions}. Every failure a request can end in is a {@link
 * dev.juggler.client.JugglerException}: {@link dev.juggler.client.NackException}, {@link
 * dev.juggler.client.CallExpiredException}, {@link dev.juggler.client.AckTimeoutException} or
 * {@link dev.juggler.client.ConnectionLostException}. Nothing in this package accepts {@code null}
 * unless its javadoc says so.
 */
package dev.juggler.client;
