package dev.juggler.broker;

import dev.juggler.protocol.message.RawJson;
import java.util.UUID;

/**
 * A call taken by a callee, still within its time-to-live when it was taken.
 *
 * @param callUuid the CALL message's UUID
 * @param connUuid the calling connection
 * @param uri the function's URI
 * @param args the arguments, raw
 * @param replyTo where the broker sends the result (broker-specific, opaque to callees)
 * @param deadlineNanos the {@link System#nanoTime()} after which the result is dropped; measured on
 *     this process's clock from the time-to-live left when the call was taken
 */
public record IncomingCall(
    UUID callUuid, UUID connUuid, String uri, RawJson args, String replyTo, long deadlineNanos) {

  /** Nanoseconds left before the deadline; zero or less when the call has expired. */
  public long remainingNanos() {
    return deadlineNanos - System.nanoTime();
  }
}
