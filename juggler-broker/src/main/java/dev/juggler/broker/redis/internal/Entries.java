package dev.juggler.broker.redis.internal;

import dev.juggler.broker.CallRequest;
import dev.juggler.broker.IncomingCall;
import dev.juggler.protocol.message.RawJson;
import java.util.UUID;

/**
 * The text formats of queued calls, queued results and published events (documented in {@link
 * dev.juggler.broker.redis}). Header fields are space-separated and end at the first newline; the
 * URI ends at the second; the arguments, which may hold newlines, take the rest.
 */
public final class Entries {

  private Entries() {}

  /**
   * {@code <callUuid> <connUuid> <nodeId> <resultCapacity>\n<uri>\n<args>}: the caller's node and
   * its limit of results per connection travel with the call, so that callees enforce the limit of
   * the node that will deliver the results.
   */
  public static String call(CallRequest call, String nodeId, int resultCapacity) {
    return call.callUuid()
        + " "
        + call.connUuid()
        + " "
        + nodeId
        + " "
        + resultCapacity
        + "\n"
        + call.uri()
        + "\n"
        + call.args().text();
  }

  /**
   * Reads a call payload; {@code deadlineNanos} is the local deadline derived from its remaining
   * time-to-live.
   *
   * @throws IllegalArgumentException when the payload is malformed
   */
  public static IncomingCall parseCall(String payload, long deadlineNanos) {
    Parts p = Parts.of(payload, 4);
    Integer.parseInt(p.header[3]); // a malformed capacity is a malformed entry
    return new IncomingCall(
        UUID.fromString(p.header[0]),
        UUID.fromString(p.header[1]),
        p.uri,
        new RawJson(p.args),
        p.header[2] + " " + p.header[3],
        deadlineNanos);
  }

  /**
   * Reads an {@link IncomingCall#replyTo()} made by {@link #parseCall}.
   *
   * @throws IllegalArgumentException when it was not
   */
  public static ReplyTo parseReplyTo(String replyTo) {
    int sp = replyTo == null ? -1 : replyTo.indexOf(' ');
    if (sp <= 0) {
      throw new IllegalArgumentException("not a reply address of this broker: " + replyTo);
    }
    return new ReplyTo(replyTo.substring(0, sp), Integer.parseInt(replyTo.substring(sp + 1)));
  }

  /** Where a result goes: the caller's node, and its limit of results per connection (0: none). */
  public record ReplyTo(String nodeId, int resultCapacity) {}

  /** {@code <callUuid> <connUuid>\n<uri>\n<result>}. */
  public static String result(IncomingCall call, RawJson result) {
    return call.callUuid() + " " + call.connUuid() + "\n" + call.uri() + "\n" + result.text();
  }

  /**
   * Reads a result payload.
   *
   * @throws IllegalArgumentException when the payload is malformed
   */
  public static ResultEntry parseResult(String payload) {
    Parts p = Parts.of(payload, 2);
    return new ResultEntry(
        UUID.fromString(p.header[0]), UUID.fromString(p.header[1]), p.uri, p.args);
  }

  /** {@code <pubUuid>\n<args>}. */
  public static String event(UUID pubUuid, RawJson args) {
    return pubUuid + "\n" + args.text();
  }

  /**
   * Reads an event payload into its publication UUID and raw arguments.
   *
   * @throws IllegalArgumentException when the payload is malformed
   */
  public static EventEntry parseEvent(String payload) {
    int nl = payload.indexOf('\n');
    if (nl < 0) {
      throw new IllegalArgumentException("event payload without a newline");
    }
    return new EventEntry(UUID.fromString(payload.substring(0, nl)), payload.substring(nl + 1));
  }

  /** A result as queued for a node. */
  public record ResultEntry(UUID callUuid, UUID connUuid, String uri, String args) {}

  /** A published event. */
  public record EventEntry(UUID pubUuid, String args) {}

  private record Parts(String[] header, String uri, String args) {
    static Parts of(String payload, int headerFields) {
      int nl1 = payload.indexOf('\n');
      int nl2 = nl1 < 0 ? -1 : payload.indexOf('\n', nl1 + 1);
      if (nl2 < 0) {
        throw new IllegalArgumentException("entry without header, URI and arguments");
      }
      String[] header = payload.substring(0, nl1).split(" ", -1);
      if (header.length != headerFields) {
        throw new IllegalArgumentException("entry header has " + header.length + " fields");
      }
      return new Parts(header, payload.substring(nl1 + 1, nl2), payload.substring(nl2 + 1));
    }
  }
}
