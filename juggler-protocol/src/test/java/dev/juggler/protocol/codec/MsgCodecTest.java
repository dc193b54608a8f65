package dev.juggler.protocol.codec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.juggler.protocol.message.Ack;
import dev.juggler.protocol.message.Call;
import dev.juggler.protocol.message.Evnt;
import dev.juggler.protocol.message.Msg;
import dev.juggler.protocol.message.MsgType;
import dev.juggler.protocol.message.Nack;
import dev.juggler.protocol.message.Pub;
import dev.juggler.protocol.message.RawJson;
import dev.juggler.protocol.message.Res;
import dev.juggler.protocol.message.Sub;
import dev.juggler.protocol.message.Unsb;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Random;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class MsgCodecTest {

  private static final String CALL_UUID = "b4540560-5ba6-4f81-b996-3ee6e1c538c9";
  private static final String PUB_UUID = "60908696-0f2c-4b43-9f27-6f4a9c1bd2a1";
  private static final String U1 = "6367435b-1f0e-4a5c-8f5d-2b8f3c0e9a11";

  /** The protocol document's captured exchange, with its elided UUIDs filled in. */
  static final List<String> CAPTURED =
      List.of(
          "{\"meta\":{\"type\":1,\"uuid\":\""
              + CALL_UUID
              + "\"},\"payload\":{\"uri\":\"test.echo\","
              + "\"timeout\":1000000000,\"args\":\"hello\"}}",
          "{\"meta\":{\"type\":8,\"uuid\":\""
              + U1
              + "\"},\"payload\":{\"for\":\""
              + CALL_UUID
              + "\",\"for_type\":1,\"uri\":\"test.echo\"}}",
          "{\"meta\":{\"type\":9,\"uuid\":\"fa31ad63-4c2e-4d0b-a1c9-2a1f0b9e7c55\"},\"payload\":"
              + "{\"for\":\""
              + CALL_UUID
              + "\",\"uri\":\"test.echo\",\"args\":\"hello\"}}",
          "{\"meta\":{\"type\":3,\"uuid\":\"2c3a7e15-8d6b-4e0f-9a7c-5b1d2e3f4a5b\"},\"payload\":"
              + "{\"channel\":\"news\",\"pattern\":false}}",
          "{\"meta\":{\"type\":8,\"uuid\":\"17be7f35-0a1b-4c2d-8e3f-4a5b6c7d8e9f\"},\"payload\":"
              + "{\"for\":\"2c3a7e15-8d6b-4e0f-9a7c-5b1d2e3f4a5b\",\"for_type\":3,"
              + "\"channel\":\"news\"}}",
          "{\"meta\":{\"type\":3,\"uuid\":\"41fd58e9-1b2c-4d3e-8f40-5a6b7c8d9e0f\"},\"payload\":"
              + "{\"channel\":\"new*\",\"pattern\":true}}",
          "{\"meta\":{\"type\":2,\"uuid\":\""
              + PUB_UUID
              + "\"},\"payload\":{\"channel\":\"news\","
              + "\"args\":{\"hello\":\"world\"}}}",
          "{\"meta\":{\"type\":10,\"uuid\":\"c36a47d6-2b3c-4d4e-9f50-6a7b8c9d0e1f\"},\"payload\":"
              + "{\"for\":\""
              + PUB_UUID
              + "\",\"channel\":\"news\",\"pattern\":\"new*\","
              + "\"args\":{\"hello\":\"world\"}}}",
          "{\"meta\":{\"type\":10,\"uuid\":\"c53b2af7-3c4d-4e5f-8a61-7b8c9d0e1f2a\"},\"payload\":"
              + "{\"for\":\""
              + PUB_UUID
              + "\",\"channel\":\"news\",\"args\":{\"hello\":\"world\"}}}",
          "{\"meta\":{\"type\":8,\"uuid\":\"21003833-4d5e-4f60-9b72-8c9d0e1f2a3b\"},\"payload\":"
              + "{\"for\":\""
              + PUB_UUID
              + "\",\"for_type\":2,\"channel\":\"news\"}}",
          "{\"meta\":{\"type\":7,\"uuid\":\"5e6f7a8b-9c0d-4e1f-8a2b-3c4d5e6f7a8b\"},\"payload\":"
              + "{\"for\":\"3e136747-5e6f-4a7b-8c9d-0e1f2a3b4c5d\",\"for_type\":1,"
              + "\"uri\":\"test.nocallee\",\"code\":500,\"message\":\"list capacity exceeded\"}}");

  private static final String TRICKY_ARGS =
      "{\"n\":123456789012345678901234567890.5e-3, \"s\":\"\\u00e9\\ud83d\\ude00 é😀 \\\"q\\\"\","
          + "\n \"nested\":{\"a\":[1,{\"b\":null},[]],\"e\":{}},\"t\":true,\"m\":-0.0E+00}";

  private static Msg decode(String frame) throws ProtocolException {
    return MsgCodec.decode(frame);
  }

  private static void assertViolation(String frame) {
    ProtocolException e =
        assertThrows(ProtocolException.class, () -> decode(frame), () -> "accepted: " + frame);
    assertEquals(ProtocolException.PROTOCOL_ERROR, e.closeCode());
    assertTrue(e.getMessage().getBytes(StandardCharsets.UTF_8).length <= 123, e.getMessage());
  }

  /** A frame of the given type with {@code payload} as its payload text. */
  private static String frame(int type, String payload) {
    return "{\"meta\":{\"type\":"
        + type
        + ",\"uuid\":\""
        + CALL_UUID
        + "\"},\"payload\":"
        + payload
        + "}";
  }

  // ---- the captured exchange ----

  @Test
  void decodesEveryMessageOfTheCapturedExchange() throws Exception {
    Call call = assertInstanceOf(Call.class, decode(CAPTURED.get(0) + "\n"));
    assertEquals(UUID.fromString(CALL_UUID), call.uuid());
    assertEquals("test.echo", call.uri());
    assertEquals(Duration.ofSeconds(1), call.timeout());
    assertEquals("\"hello\"", call.args().text());

    Ack ack = assertInstanceOf(Ack.class, decode(CAPTURED.get(1)));
    assertEquals(UUID.fromString(CALL_UUID), ack.forUuid());
    assertEquals(MsgType.CALL, ack.forType());
    assertEquals("test.echo", ack.uri());
    assertNull(ack.channel());

    Res res = assertInstanceOf(Res.class, decode(CAPTURED.get(2)));
    assertEquals(UUID.fromString(CALL_UUID), res.forUuid());
    assertEquals("\"hello\"", res.args().text());

    Sub sub = assertInstanceOf(Sub.class, decode(CAPTURED.get(3)));
    assertEquals("news", sub.channel());
    assertFalse(sub.pattern());
    assertEquals(MsgType.SUB, assertInstanceOf(Ack.class, decode(CAPTURED.get(4))).forType());
    Sub patternSub = assertInstanceOf(Sub.class, decode(CAPTURED.get(5)));
    assertEquals("new*", patternSub.channel());
    assertTrue(patternSub.pattern());

    Pub pub = assertInstanceOf(Pub.class, decode(CAPTURED.get(6)));
    assertEquals("news", pub.channel());
    assertEquals("{\"hello\":\"world\"}", pub.args().text());
    Evnt viaPattern = assertInstanceOf(Evnt.class, decode(CAPTURED.get(7)));
    assertEquals(UUID.fromString(PUB_UUID), viaPattern.forUuid());
    assertEquals("news", viaPattern.channel());
    assertEquals("new*", viaPattern.pattern());
    Evnt viaChannel = assertInstanceOf(Evnt.class, decode(CAPTURED.get(8)));
    assertNull(viaChannel.pattern());
    assertEquals("{\"hello\":\"world\"}", viaChannel.args().text());
    Ack pubAck = assertInstanceOf(Ack.class, decode(CAPTURED.get(9)));
    assertEquals(MsgType.PUB, pubAck.forType());
    assertEquals("news", pubAck.channel());

    Nack nack = assertInstanceOf(Nack.class, decode(CAPTURED.get(10)));
    assertEquals(500, nack.code());
    assertEquals("list capacity exceeded", nack.message());
    assertEquals("test.nocallee", nack.uri());
  }

  @Test
  void reEncodingTheCapturedExchangeGivesItBack() throws Exception {
    for (String frame : CAPTURED) {
      assertEquals(frame, MsgCodec.encode(decode(frame)));
    }
  }

  @Test
  void decodesUnsbAndToleratesWhitespaceAndUnknownFields() throws Exception {
    Unsb unsb =
        assertInstanceOf(
            Unsb.class,
            decode(
                " \r\n\t{ \"extra\" : [1,{\"x\":null}], \"payload\" : { \"pattern\" : true ,"
                    + " \"channel\" : \"a.*\", \"future\": {} } , \"meta\" : { \"uuid\" : \""
                    + CALL_UUID
                    + "\" , \"type\" : 4 } }\n"));
    assertEquals("a.*", unsb.channel());
    assertTrue(unsb.pattern());
  }

  // ---- round trips and raw arguments ----

  @Test
  void everyMessageTypeSurvivesARoundTrip() throws Exception {
    UUID id = UUID.randomUUID();
    UUID forId = UUID.randomUUID();
    RawJson args = new RawJson(TRICKY_ARGS);
    List<Msg> messages =
        List.of(
            new Call(id, "test.echo", Duration.ofMillis(1500), args),
            new Pub(id, "news \"quoted\" \\ ünï", args),
            new Sub(id, "news.*", true),
            new Unsb(id, "news", false),
            new Ack(id, forId, MsgType.CALL, "test.echo", null),
            new Ack(id, forId, MsgType.SUB, null, "news"),
            new Nack(id, forId, MsgType.PUB, null, "news", 503, "broker \"unavailable\"\n"),
            new Res(id, forId, "test.echo", args),
            new Evnt(id, forId, "news.sports", "news.*", args),
            new Evnt(id, forId, "news", null, RawJson.NULL));
    for (Msg msg : messages) {
      assertEquals(msg, decode(MsgCodec.encode(msg)));
    }
  }

  @Test
  void argsArePreservedByteForByte() throws Exception {
    Call call = (Call) decode(frame(1, "{\"uri\":\"f\",\"args\" :\t" + TRICKY_ARGS + " }"));
    assertEquals(TRICKY_ARGS, call.args().text());
    String encoded = MsgCodec.encode(call);
    assertTrue(encoded.contains(TRICKY_ARGS), encoded);
    assertEquals(call, decode(encoded));
  }

  @Test
  void absentArgsAreNullAndAbsentTimeoutIsZero() throws Exception {
    Call call = (Call) decode(frame(1, "{\"uri\":\"f\"}"));
    assertEquals(RawJson.NULL, call.args());
    assertEquals(Duration.ZERO, call.timeout());
    Call withNulls = (Call) decode(frame(1, "{\"uri\":null,\"timeout\":null,\"args\":null}"));
    assertNull(withNulls.uri());
    assertEquals("null", withNulls.args().text());
  }

  @Test
  void stringsThatUtf8CannotCarryRawAreEncodedAsEscapes() throws Exception {
    Sub sub = (Sub) decode(frame(3, "{\"channel\":\"a\\u2028\\u0001\"}"));
    assertEquals("a\u2028\u0001", sub.channel());
    String encoded = MsgCodec.encode(sub);
    assertTrue(encoded.contains("a\\u2028\\u0001"), encoded);
    assertEquals(sub, decode(encoded));
    Pub pair = new Pub(UUID.randomUUID(), "😀", RawJson.NULL);
    assertTrue(MsgCodec.encode(pair).contains("😀"), "a valid pair is written as it is");
    // A lone surrogate never comes from the codec, but a server-made string may hold one.
    Pub lone = new Pub(UUID.randomUUID(), "a\ud800", RawJson.NULL);
    assertTrue(MsgCodec.encode(lone).contains("a\\ud800"), MsgCodec.encode(lone));
  }

  @Test
  void surrogatePairsAreText() throws Exception {
    Pub escaped =
        (Pub) decode(frame(2, "{\"channel\":\"a\\ud83d\\uDE00b\",\"args\":\"\\uD83D\\ude00\"}"));
    assertEquals("a😀b", escaped.channel());
    assertEquals("\"\\uD83D\\ude00\"", escaped.args().text());
    Pub raw = (Pub) decode(frame(2, "{\"channel\":\"😀\",\"args\":[\"😀\"]}"));
    assertEquals("😀", raw.channel());
  }

  /**
   * Strings with an unpaired surrogate, as JSON string literals: escaped, raw ({@code <high>} and
   * {@code <low>} stand for the raw surrogates U+D83D and U+DE00) and mixed.
   */
  @ParameterizedTest
  @ValueSource(
      strings = {
        "\"chat.\\ud800\"",
        "\"chat.\\ud800x\"",
        "\"\\udc00\"",
        "\"\\uDBFF\\u0041\"",
        "\"\\ud800\\ud800\\udc00\"",
        "\"\\ud800\\n\"",
        "\"\\ud800\\\"",
        "\"\\ud83d\\\\ude00\"",
        "\"<high>\"",
        "\"a<low>b\"",
        "\"<low><high>\"",
        "\"<high>\\ude00\"",
        "\"\\ud83d<low>\"",
      })
  void unpairedSurrogatesAreInvalidDataAnywhereInAFrame(String written) {
    String literal = written.replace("<high>", "\ud83d").replace("<low>", "\ude00");
    assertInvalidText(frame(3, "{\"channel\":" + literal + ",\"pattern\":true}"));
    assertInvalidText(frame(2, "{\"channel\":" + literal + "}"));
    assertInvalidText(frame(1, "{\"uri\":" + literal + "}"));
    assertInvalidText(frame(1, "{\"uri\":\"f\",\"args\":" + literal + "}"));
    assertInvalidText(frame(1, "{\"uri\":\"f\",\"args\":{\"k\":[1," + literal + "]}}"));
    assertInvalidText(frame(1, "{\"uri\":\"f\",\"args\":{" + literal + ":1}}"));
    assertInvalidText(frame(2, "{\"channel\":\"c\",\"extra\":" + literal + "}"));
    assertInvalidText(frame(2, "{\"channel\":\"c\"," + literal + ":1}"));
  }

  private static void assertInvalidText(String frame) {
    ProtocolException e =
        assertThrows(ProtocolException.class, () -> decode(frame), () -> "accepted: " + frame);
    assertEquals(ProtocolException.INVALID_DATA, e.closeCode(), e.getMessage());
    assertTrue(e.getMessage().startsWith("invalid text: unpaired surrogate"), e.getMessage());
  }

  @Test
  void deeplyNestedArgsDoNotOverflowTheStack() throws Exception {
    int depth = 100_000;
    String nested = "[".repeat(depth) + "]".repeat(depth);
    Call call = (Call) decode(frame(1, "{\"uri\":\"f\",\"args\":" + nested + "}"));
    assertEquals(nested, call.args().text());
    String objects = "{\"a\":".repeat(depth) + "1" + "}".repeat(depth);
    assertEquals(objects, ((Call) decode(frame(1, "{\"args\":" + objects + "}"))).args().text());

    assertViolation(frame(1, "{\"uri\":\"f\",\"args\":" + "[".repeat(depth) + "}"));
    assertViolation(frame(1, "{\"args\":" + "[{\"a\":".repeat(depth) + "}"));
    assertViolation("[".repeat(depth));
  }

  // ---- strictness ----

  @ParameterizedTest
  @ValueSource(
      strings = {
        "{\"uri\":1}",
        "{\"uri\":{}}",
        "{\"uri\":[\"f\"]}",
        "{\"uri\":true}",
        "{\"timeout\":\"1000\"}",
        "{\"timeout\":1.5}",
        "{\"timeout\":1000.0}",
        "{\"timeout\":1e9}",
        "{\"timeout\":1E3}",
        "{\"timeout\":99999999999999999999}",
        "{\"timeout\":true}",
        "{\"timeout\":[1]}",
      })
  void callFieldsOfTheWrongKindAreViolations(String payload) {
    assertViolation(frame(1, payload));
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "{\"channel\":1}",
        "{\"channel\":[]}",
        "{\"channel\":false}",
        "{\"channel\":\"a\",\"pattern\":\"true\"}",
        "{\"channel\":\"a\",\"pattern\":1}",
        "{\"channel\":\"a\",\"pattern\":{}}",
      })
  void subscriptionFieldsOfTheWrongKindAreViolations(String payload) {
    assertViolation(frame(3, payload));
    assertViolation(frame(4, payload));
    if (!payload.contains("pattern")) {
      assertViolation(frame(2, payload));
    }
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "{\"for\":1}",
        "{\"for\":\"not-a-uuid\"}",
        "{\"for_type\":\"1\"}",
        "{\"for_type\":8}",
        "{\"for_type\":1.0}",
        "{\"code\":\"500\"}",
        "{\"message\":5}",
        "{\"pattern\":true}",
      })
  void responseFieldsOfTheWrongKindAreViolations(String payload) {
    int type = payload.contains("pattern") ? 10 : 7;
    assertViolation(frame(type, payload));
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "\"1\"",
        "1.0",
        "1e0",
        "true",
        "null",
        "[1]",
        "0",
        "5",
        "6",
        "11",
        "256",
        "-1",
        "2147483648",
      })
  void metaTypeMustBeAKnownInteger(String type) {
    assertViolation(
        "{\"meta\":{\"type\":" + type + ",\"uuid\":\"" + CALL_UUID + "\"},\"payload\":{}}");
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "123",
        "null",
        "\"\"",
        "\"b4540560-5ba6-4f81-b996-3ee6e1c538c\"",
        "\"b4540560-5ba6-4f81-b996-3ee6e1c538c90\"",
        "\"b45405605ba64f81b9963ee6e1c538c9\"",
        "\"{b4540560-5ba6-4f81-b996-3ee6e1c538c9}\"",
        "\"b4540560-5ba6-4f81-b996_3ee6e1c538c9\"",
        "\"b4540560-5ba6-4f81-b996-3ee6e1c538cg\"",
        "\"b4540560-5ba6-4f81-b996-3ee6e1c538c\uff19\"",
        "\"urn:uuid:b4540560-5ba6-4f81-b996-3e\"",
        "\"+4540560-5ba6-4f81-b996-3ee6e1c538c9\"",
      })
  void metaUuidMustBeACanonicalUuid(String uuid) {
    assertViolation("{\"meta\":{\"type\":3,\"uuid\":" + uuid + "},\"payload\":{}}");
  }

  @Test
  void upperCaseUuidsAreAccepted() throws Exception {
    String upper = CALL_UUID.toUpperCase(java.util.Locale.ROOT);
    Msg msg = decode("{\"meta\":{\"type\":3,\"uuid\":\"" + upper + "\"},\"payload\":{}}");
    assertEquals(UUID.fromString(CALL_UUID), msg.uuid());
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "",
        "   \n",
        "null",
        "[]",
        "\"frame\"",
        "42",
        "{}",
        "{\"payload\":{}}",
        "{\"meta\":{\"type\":3,\"uuid\":\"b4540560-5ba6-4f81-b996-3ee6e1c538c9\"}}",
        "{\"meta\":null,\"payload\":{}}",
        "{\"meta\":[],\"payload\":{}}",
        "{\"meta\":{\"uuid\":\"b4540560-5ba6-4f81-b996-3ee6e1c538c9\"},\"payload\":{}}",
        "{\"meta\":{\"type\":3},\"payload\":{}}",
        "{\"meta\":{\"type\":3,\"uuid\":\"b4540560-5ba6-4f81-b996-3ee6e1c538c9\"},"
            + "\"payload\":null}",
        "{\"meta\":{\"type\":3,\"uuid\":\"b4540560-5ba6-4f81-b996-3ee6e1c538c9\"},\"payload\":[]}",
        "{\"meta\":{\"type\":3,\"uuid\":\"b4540560-5ba6-4f81-b996-3ee6e1c538c9\"},"
            + "\"payload\":\"\"}",
      })
  void framesWithoutTheEnvelopeAreViolations(String frame) {
    assertViolation(frame);
  }

  @Test
  void dataAfterTheObjectIsAViolation() {
    String ok = CAPTURED.get(3);
    assertViolation(ok + ok);
    assertViolation(ok + " x");
    assertViolation(ok + "}");
    assertViolation(ok + "\n\n,");
    assertViolation(ok + "\u0000");
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "{\"channel\":'a'}",
        "{\"channel\":\"a\",}",
        "{,\"channel\":\"a\"}",
        "{\"channel\" \"a\"}",
        "{\"channel\":\"a\" \"pattern\":true}",
        "{channel:\"a\"}",
        "{\"channel\":\"a\\x\"}",
        "{\"channel\":\"a\\u00\"}",
        "{\"channel\":\"a\\u\uff10\uff10\uff14\uff11\"}",
        "{\"channel\":\"a\tb\"}",
        "{\"channel\":\"a\nb\"}",
        "{\"channel\":\"unterminated}",
        "{\"args\":NaN}",
        "{\"args\":Infinity}",
        "{\"args\":-Infinity}",
        "{\"args\":01}",
        "{\"args\":+1}",
        "{\"args\":.5}",
        "{\"args\":1.}",
        "{\"args\":1e}",
        "{\"args\":-}",
        "{\"args\":0x10}",
        "{\"args\":[1,]}",
        "{\"args\":[,1]}",
        "{\"args\":[1 2]}",
        "{\"args\":{\"a\"}}",
        "{\"args\":{\"a\":}}",
        "{\"args\":{1:2}}",
        "{\"args\":tru}",
        "{\"args\":nul}",
        "{\"args\":True}",
        "{\"args\":undefined}",
        "{\"args\":1 // comment\n}",
        "{\"args\":/* c */1}",
        "{\"args\":[1]]}",
        "{\"args\":\"\\ud800\\udc00\" \"x\"}",
      })
  void invalidJsonInAPayloadIsAViolation(String payload) {
    assertViolation(frame(2, payload));
  }

  @Test
  void aMemberNameMustBeAString() {
    // Once accepted: the first character of a name was taken for its opening quote.
    assertViolation("{xmeta\":{\"type\":3,\"uuid\":\"" + CALL_UUID + "\"},\"payload\":{}}");
    assertViolation("{\"meta\":{xtype\":3,\"uuid\":\"" + CALL_UUID + "\"},\"payload\":{}}");
    assertViolation(frame(3, "{xchannel\":\"a\"}"));
  }

  @Test
  void binaryLookingJunkIsAViolation() {
    Random random = new Random(42);
    for (int i = 0; i < 500; i++) {
      byte[] junk = new byte[1 + random.nextInt(64)];
      random.nextBytes(junk);
      assertViolation(new String(junk, StandardCharsets.ISO_8859_1));
    }
    assertViolation("\u0000\u0001\u0002{}");
    assertViolation("\ufeff" + CAPTURED.get(3));
  }

  @Test
  void mutatedFramesEitherDecodeOrFailWithAProtocolException() {
    Random random = new Random(7);
    String alphabet = "{}[]\":,.-+eE0159 \t\n\\/utfnlrsa\u00e9\u0000\uff10";
    for (int i = 0; i < 5_000; i++) {
      StringBuilder sb = new StringBuilder(CAPTURED.get(random.nextInt(CAPTURED.size())));
      for (int m = 1 + random.nextInt(3); m > 0 && sb.length() > 0; m--) {
        int at = random.nextInt(sb.length());
        switch (random.nextInt(3)) {
          case 0 -> sb.deleteCharAt(at);
          case 1 -> sb.insert(at, alphabet.charAt(random.nextInt(alphabet.length())));
          default -> sb.setCharAt(at, alphabet.charAt(random.nextInt(alphabet.length())));
        }
      }
      String frame = sb.toString();
      try {
        decode(frame);
      } catch (ProtocolException expected) {
        // fine: rejected cleanly
      } catch (RuntimeException e) {
        throw new AssertionError("unexpected " + e + " for " + frame, e);
      }
    }
  }
}
