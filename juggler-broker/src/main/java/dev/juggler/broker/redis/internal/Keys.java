package dev.juggler.broker.redis.internal;

/**
 * Redis key and channel names. Keys used together by one script share a hash tag ({@code {…}}), so
 * that they live in one Redis Cluster slot.
 */
public final class Keys {

  /** Prefix of pub-sub channels and patterns, so that client channels cannot reach other data. */
  public static final String CHANNEL_PREFIX = "juggler:ch:";

  private Keys() {}

  /**
   * The index of live callees: a sorted set of {@code <uri>\n<calleeId>} scored by expiry. One key
   * (so one slot on a cluster), so that reading every live URI is one command.
   */
  public static final String CALLEES = "juggler:callees";

  /** The list of calls waiting for a callee of {@code uri}. */
  public static String calls(String uri) {
    return "juggler:calls:{" + uri + "}";
  }

  /** The list of results waiting to be delivered by node {@code nodeId}. */
  public static String results(String nodeId) {
    return "juggler:results:{" + nodeId + "}";
  }

  /**
   * The list that node {@code nodeId}'s results loop moves a result into while it blocks, for the
   * script behind the move to deliver (see {@code results.lua}); empty between round trips.
   */
  public static String resultsMoved(String nodeId) {
    return "juggler:resmoved:{" + nodeId + "}";
  }

  /** The hash of pending result counts per connection of node {@code nodeId}. */
  public static String resultCounts(String nodeId) {
    return "juggler:rescount:{" + nodeId + "}";
  }

  /** The node's private channel, which keeps its pub-sub connection in subscribed mode. */
  public static String nodeChannel(String nodeId) {
    return "juggler:node:{" + nodeId + "}";
  }

  /** The Redis channel (or pattern) for a client channel (or pattern). */
  public static String channel(String channel) {
    return CHANNEL_PREFIX + channel;
  }

  /**
   * The client channel (or pattern) for a Redis one, or {@code null} when it is not in the Juggler
   * namespace.
   */
  public static String clientChannel(String redisChannel) {
    return redisChannel.startsWith(CHANNEL_PREFIX)
        ? redisChannel.substring(CHANNEL_PREFIX.length())
        : null;
  }
}
