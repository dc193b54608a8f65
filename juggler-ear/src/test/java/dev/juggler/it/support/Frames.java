package dev.juggler.it.support;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import jakarta.json.JsonObject;
import jakarta.json.JsonValue;
import java.util.regex.Pattern;

/** Assertions on received juggler.0 frames. */
public final class Frames {
  public static final int NACK = 7;
  public static final int ACK = 8;
  public static final int RES = 9;
  public static final int EVNT = 10;

  private static final Pattern UUID =
      Pattern.compile("[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}");

  private Frames() {}

  public static int type(JsonObject frame) {
    return frame.getJsonObject("meta").getInt("type");
  }

  public static JsonObject payload(JsonObject frame) {
    return frame.getJsonObject("payload");
  }

  /** Checks the envelope and type; returns the payload. */
  public static JsonObject expect(JsonObject frame, int type) {
    assertEquals(type, type(frame), () -> "frame " + frame);
    assertTrue(UUID.matcher(frame.getJsonObject("meta").getString("uuid")).matches(), "meta.uuid");
    return payload(frame);
  }

  public static JsonObject ack(JsonObject frame, String forUuid, int forType) {
    JsonObject p = expect(frame, ACK);
    assertEquals(forUuid, p.getString("for"));
    assertEquals(forType, p.getInt("for_type"));
    assertFalse(p.containsKey("code"), "an ACK has no code");
    return p;
  }

  public static JsonObject nack(JsonObject frame, String forUuid, int forType, int code) {
    JsonObject p = expect(frame, NACK);
    assertEquals(forUuid, p.getString("for"));
    assertEquals(forType, p.getInt("for_type"));
    assertEquals(code, p.getInt("code"), () -> "NACK " + p);
    assertFalse(p.getString("message").isBlank(), "NACK message");
    return p;
  }

  /**
   * A NACK of a broker that could not take the request: 503 (unreachable, or not answering lately:
   * not sent) or 504 (sent, no answer in time).
   */
  public static JsonObject nackUnavailable(JsonObject frame, String forUuid, int forType) {
    JsonObject p = expect(frame, NACK);
    assertEquals(forUuid, p.getString("for"));
    assertEquals(forType, p.getInt("for_type"));
    int code = p.getInt("code");
    assertTrue(code == 503 || code == 504, () -> "NACK " + p);
    return p;
  }

  public static JsonObject res(JsonObject frame, String forUuid, String uri) {
    JsonObject p = expect(frame, RES);
    assertEquals(forUuid, p.getString("for"));
    assertEquals(uri, p.getString("uri"));
    return p;
  }

  /** Sends a SUB and expects its ACK. */
  public static void subscribed(WsClient c, String channel, boolean pattern) {
    String id = c.sub(channel, pattern);
    ack(c.next(), id, 3);
  }

  /** Sends an UNSB and expects its ACK. */
  public static void unsubscribed(WsClient c, String channel, boolean pattern) {
    String id = c.unsb(channel, pattern);
    ack(c.next(), id, 4);
  }

  /** Sends a PUB and expects its ACK. */
  public static void published(WsClient c, String channel, String argsJson) {
    String id = c.pub(channel, argsJson);
    ack(c.next(), id, 2);
  }

  public static JsonValue args(JsonObject payload) {
    return payload.get("args");
  }
}
