/**
 * The juggler.0 message model: one immutable record per message type.
 *
 * <p>Requests ({@link dev.juggler.protocol.message.Request}) travel from the client to the server,
 * responses ({@link dev.juggler.protocol.message.Response}) from the server to the client. Payload
 * arguments are kept as the raw JSON text they arrived in ({@link
 * dev.juggler.protocol.message.RawJson}) so that the server never re-encodes what only a callee or
 * a client decodes.
 */
package dev.juggler.protocol.message;
