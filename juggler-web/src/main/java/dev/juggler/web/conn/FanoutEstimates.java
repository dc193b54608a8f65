package dev.juggler.web.conn;

import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

/**
 * How many frames an event on a channel adds on this node: the number of local deliveries of the
 * channel's last event, through channel and pattern subscriptions alike. Publisher flow control
 * ({@link OutboundBacklog}) reserves that much before a PUB is published.
 *
 * <p>A broker delivers the frames of one event one after another, on one thread (Redis sends a
 * PUBLISH's messages and pattern messages together), so an event's deliveries are counted as the
 * run of frames with its PUB's UUID. A channel never seen counts as 0 until its first event. The
 * table is cleared when it reaches {@link #MAX_CHANNELS}: estimates are learned again from the next
 * events, and memory stays bounded whatever channels clients publish on.
 *
 * <p>Thread-safe.
 */
final class FanoutEstimates {
  static final int MAX_CHANNELS = 10_000;

  private final Map<String, Integer> lastFanout = new ConcurrentHashMap<>();

  // The run being counted; guarded by this.
  private UUID runPub;
  private String runChannel;
  private int runFrames;

  /** The expected local fan-out of an event on {@code channel}. */
  int estimate(String channel) {
    Integer n = lastFanout.get(channel);
    if (n != null) {
      return n;
    }
    synchronized (this) {
      return channel.equals(runChannel) ? runFrames : 0;
    }
  }

  /**
   * An event frame for the PUB {@code pubUuid} on {@code channel} is being queued.
   *
   * @return whether it is the first frame of that event seen here
   */
  boolean delivered(UUID pubUuid, String channel) {
    synchronized (this) {
      if (pubUuid.equals(runPub)) {
        runFrames++;
        if (runFrames > lastFanout.getOrDefault(channel, 0)) {
          record(channel, runFrames); // a growing fan-out is known before the run ends
        }
        return false;
      }
      if (runPub != null) {
        record(runChannel, runFrames);
      }
      runPub = pubUuid;
      runChannel = channel;
      runFrames = 1;
      return true;
    }
  }

  private void record(String channel, int frames) {
    if (lastFanout.size() >= MAX_CHANNELS && !lastFanout.containsKey(channel)) {
      lastFanout.clear();
    }
    lastFanout.put(channel, frames);
  }
}
