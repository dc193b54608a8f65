/**
 * The juggler.0 wire codec: JSON text frames to {@link dev.juggler.protocol.message.Msg} and back.
 *
 * <p>The envelope is read with a small strict RFC 8259 scanner rather than JSON-P or JSON-B because
 * {@code args} must travel as the exact text it arrived in, which neither API can hand back.
 * Everything in a frame is validated, including {@code args}; a frame that is not exactly one JSON
 * object with the fields of its type raises a {@link dev.juggler.protocol.codec.ProtocolException}.
 */
package dev.juggler.protocol.codec;
