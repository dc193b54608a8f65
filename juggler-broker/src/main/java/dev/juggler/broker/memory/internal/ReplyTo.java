package dev.juggler.broker.memory.internal;

/**
 * Where a result goes, as {@link dev.juggler.broker.IncomingCall#replyTo()} carries it: the calling
 * broker's node id and its limit of waiting results per connection (0: none), so that the limit of
 * the node that delivers the results is the one enforced, as with Redis.
 *
 * @param nodeId the caller's node, a UUID in text form
 * @param resultCapacity results that may wait per connection of that node; 0 for no limit
 */
public record ReplyTo(String nodeId, int resultCapacity) {

  /** {@code <nodeId> <resultCapacity>}. */
  public String text() {
    return nodeId + " " + resultCapacity;
  }

  /**
   * Reads {@link #text()}.
   *
   * @throws IllegalArgumentException when {@code text} was not made by this broker
   */
  public static ReplyTo parse(String text) {
    int sp = text == null ? -1 : text.indexOf(' ');
    if (sp <= 0) {
      throw new IllegalArgumentException("not a reply address of this broker: " + text);
    }
    return new ReplyTo(text.substring(0, sp), Integer.parseInt(text.substring(sp + 1)));
  }
}
