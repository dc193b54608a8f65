package dev.juggler.protocol.message;

import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Fresh message UUIDs: random (version 4, IETF variant) like {@link UUID#randomUUID()}, from {@link
 * ThreadLocalRandom} instead of the shared {@code SecureRandom}, whose lock every sending thread
 * would otherwise queue on. A message UUID only has to be unique, not unguessable: it names a
 * message, never grants anything.
 */
public final class MsgIds {
  private MsgIds() {}

  /** A new random UUID. */
  public static UUID next() {
    ThreadLocalRandom r = ThreadLocalRandom.current();
    long msb = (r.nextLong() & ~0xF000L) | 0x4000L;
    long lsb = (r.nextLong() & ~(0xC000L << 48)) | (0x8000L << 48);
    return new UUID(msb, lsb);
  }
}
