package dev.juggler.it.support;

import static dev.juggler.it.support.Frames.ack;

import jakarta.json.JsonObject;
import jakarta.json.JsonString;
import java.time.Duration;
import java.util.List;
import java.util.function.Predicate;

/** Calls to the meta URI {@code juggler.uris}, and bounded waits on what it answers. */
public final class MetaCalls {
  public static final String LIVE_URIS = "juggler.uris";

  private MetaCalls() {}

  /** Calls {@code juggler.uris}: checks the ACK, then the RES, and returns the URIs it lists. */
  public static List<String> liveUris(WsClient c) {
    String id = c.call(LIVE_URIS, "null", Waits.SOON);
    ack(c.next(), id, 1);
    JsonObject res = Frames.res(c.next(), id, LIVE_URIS);
    return res.getJsonArray("args").getValuesAs(JsonString.class).stream()
        .map(JsonString::getString)
        .toList();
  }

  /**
   * Calls {@code juggler.uris} every 100 ms until its answer satisfies {@code condition}.
   *
   * @return the answer that did
   * @throws AssertionError when none did within {@code wait}
   */
  public static List<String> awaitLiveUris(
      WsClient c, String what, Predicate<List<String>> condition, Duration wait)
      throws InterruptedException {
    long deadline = System.nanoTime() + wait.toNanos();
    List<String> live = liveUris(c);
    while (!condition.test(live)) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("juggler.uris: not " + what + " within " + wait + ": " + live);
      }
      Thread.sleep(100);
      live = liveUris(c);
    }
    return live;
  }
}
