package dev.juggler.protocol.codec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import jakarta.json.Json;
import jakarta.json.JsonReader;
import jakarta.json.JsonValue;
import jakarta.json.stream.JsonParser;
import java.io.StringReader;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Differential test: on thousands of randomly generated and mutated documents, {@link JsonScanner}
 * must agree with Parsson (the JSON-P implementation) on what is valid JSON.
 *
 * <p>Parsson differences found and allowed for:
 *
 * <ul>
 *   <li>{@code JsonReader.readValue()} stops after the first value and ignores what follows, so it
 *       accepts {@code "1 2"}, {@code "{} x"} and {@code "01"} (read as 0), which RFC 8259 does
 *       not; a document counts as valid for Parsson only when its parser also finds nothing after
 *       the value. See {@link #parssonStopsAtTheFirstValue()}.
 *   <li>Parsson's {@code readValue()} throws {@link NumberFormatException} for numbers whose
 *       exponent does not fit a {@link java.math.BigDecimal} ({@code
 *       1E-2123456789012345678901234567890}): a range limit RFC 8259 allows implementations, not a
 *       syntax rule. The scanner never decodes numbers and accepts them, so for those documents
 *       Parsson's verdict is its parser's syntax check. See {@link
 *       #parssonRefusesNumbersBeyondBigDecimalThatJsonAllows()}.
 *   <li>Parsson takes a string with an unpaired surrogate (a lone escaped high surrogate), which
 *       RFC 8259's grammar allows; the scanner refuses it as text that has no UTF-8 form (RFC 7493,
 *       I-JSON). A document counts as valid for Parsson only when all its strings are Unicode text.
 *       See {@link #parssonTakesUnpairedSurrogatesThatTheScannerRefuses()}.
 *   <li>Parsson refuses nesting deeper than 1,000 by default (an implementation limit RFC 8259
 *       allows); the generated documents stay well below it.
 * </ul>
 */
class JsonScannerCrossCheckTest {

  private static final String[] SEEDS = {
    "{\"meta\":{\"type\":1,\"uuid\":\"b4540560-5ba6-4f81-b996-3ee6e1c538c9\"},"
        + "\"payload\":{\"uri\":\"test.echo\",\"timeout\":1000000000,\"args\":\"hello\"}}",
    "[1,-2.5e+3,0.0,-0,1E-2,123456789012345678901234567890]",
    "{\"s\":\"\\\"\\\\\\/\\b\\f\\n\\r\\t\\u00e9\\uD83D\\uDE00\",\"e\":\"\",\"u\":\"é😀\"}",
    "[true,false,null,{},[],[[]],{\"a\":{\"b\":[null]}}]",
    " \t\r\n{ \"a\" : [ 1 , 2 ] , \"b\" : { } } \n",
    "\"just a string\"",
    "-12.75e-10",
    "null",
  };

  /** Characters that matter to JSON, plus a few that do not belong in it. */
  private static final String ALPHABET =
      "{}[]\":,.-+eE0123456789 \t\n\r\\/ubfnrtaslxé\u0000\u001f\u007f\u2028\uff10";

  @Test
  void scannerAgreesWithParssonOnRandomDocuments() {
    Random random = new Random(20261125L);
    int valid = 0;
    List<String> disagreements = new ArrayList<>();
    for (int i = 0; i < 6_000; i++) {
      String doc = i % 3 == 0 ? generate(random, 0) : mutate(random, pickBase(random));
      boolean scanner = scannerAccepts(doc);
      boolean parsson = parssonAccepts(doc);
      if (scanner != parsson) {
        disagreements.add((scanner ? "scanner only: " : "Parsson only: ") + doc);
      }
      if (parsson) {
        valid++;
      }
    }
    assertEquals(List.of(), disagreements);
    assertTrue(valid > 1_000 && valid < 5_000, "a fair mix of valid and invalid: " + valid);
  }

  @Test
  void parssonRefusesNumbersBeyondBigDecimalThatJsonAllows() {
    String doc = "[1E-2123456789012345678901234567890]";
    try (JsonReader reader = Json.createReader(new StringReader(doc))) {
      assertThrows(NumberFormatException.class, reader::readValue);
    }
    assertTrue(parssonSyntaxAccepts(doc));
    assertTrue(scannerAccepts(doc), "args are never decoded, so any exponent is fine");
  }

  @Test
  void parssonStopsAtTheFirstValue() {
    for (String doc : new String[] {"1 2", "{} x", "01", "[1]]"}) {
      try (JsonReader reader = Json.createReader(new StringReader(doc))) {
        JsonValue value = reader.readValue();
        assertTrue(value != null, doc);
      }
      assertTrue(!parssonAccepts(doc), doc);
      assertTrue(!scannerAccepts(doc), doc);
    }
  }

  private static String pickBase(Random random) {
    return random.nextBoolean() ? SEEDS[random.nextInt(SEEDS.length)] : generate(random, 0);
  }

  static boolean scannerAccepts(String doc) {
    JsonScanner in = new JsonScanner(doc);
    try {
      in.skipValue();
      return in.atEnd();
    } catch (ProtocolException e) {
      return false;
    }
  }

  /** Parsson's verdict through {@code readValue()}, with the two differences above allowed for. */
  static boolean parssonAccepts(String doc) {
    try (JsonReader reader = Json.createReader(new StringReader(doc))) {
      reader.readValue();
    } catch (NumberFormatException e) {
      // A number beyond BigDecimal (exponent overflow): a range limit, not a syntax error.
      return parssonSyntaxAccepts(doc);
    } catch (RuntimeException e) {
      return false;
    }
    return parssonSyntaxAccepts(doc); // readValue() ignores what follows the value
  }

  /**
   * Walks Parsson's parser events without building values: syntax only, to the end, and every
   * string (names included) Unicode text.
   */
  static boolean parssonSyntaxAccepts(String doc) {
    try (JsonParser parser = Json.createParser(new StringReader(doc))) {
      if (!parser.hasNext()) {
        return false;
      }
      while (parser.hasNext()) {
        JsonParser.Event event = parser.next();
        if ((event == JsonParser.Event.KEY_NAME || event == JsonParser.Event.VALUE_STRING)
            && hasUnpairedSurrogate(parser.getString())) {
          return false; // valid RFC 8259, but not text: the scanner refuses it (see above)
        }
      }
      return true;
    } catch (RuntimeException e) {
      return false;
    }
  }

  private static boolean hasUnpairedSurrogate(String s) {
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (Character.isHighSurrogate(c)
          && i + 1 < s.length()
          && Character.isLowSurrogate(s.charAt(i + 1))) {
        i++;
      } else if (Character.isSurrogate(c)) {
        return true;
      }
    }
    return false;
  }

  @Test
  void parssonTakesUnpairedSurrogatesThatTheScannerRefuses() {
    for (String doc : new String[] {"\"\\ud800\"", "[\"\\udc00x\"]", "{\"\\ud83d\":1}"}) {
      try (JsonReader reader = Json.createReader(new StringReader(doc))) {
        assertTrue(reader.readValue() != null, doc);
      }
      assertTrue(!parssonAccepts(doc), doc);
      assertTrue(!scannerAccepts(doc), doc);
    }
    assertTrue(parssonAccepts("\"\\ud83d\\ude00\"") && scannerAccepts("\"\\ud83d\\ude00\""));
  }

  private static String mutate(Random random, String base) {
    StringBuilder sb = new StringBuilder(base);
    for (int m = 1 + random.nextInt(3); m > 0; m--) {
      int at = sb.length() == 0 ? 0 : random.nextInt(sb.length());
      char c = ALPHABET.charAt(random.nextInt(ALPHABET.length()));
      switch (sb.length() == 0 ? 1 : random.nextInt(5)) {
        case 0 -> sb.deleteCharAt(at);
        case 1 -> sb.insert(at, c);
        case 2 -> sb.setCharAt(at, c);
        case 3 -> sb.setLength(at); // truncate
        default -> {
          int end = Math.min(sb.length(), at + 1 + random.nextInt(8));
          sb.insert(at, sb.substring(at, end)); // duplicate a slice
        }
      }
    }
    return sb.toString();
  }

  /** A random valid JSON document of bounded depth. */
  private static String generate(Random random, int depth) {
    int kind = random.nextInt(depth >= 4 ? 5 : 7);
    switch (kind) {
      case 0:
        return generateNumber(random);
      case 1:
        return generateString(random);
      case 2:
        return new String[] {"true", "false", "null"}[random.nextInt(3)];
      case 3:
      case 4:
        return generateString(random);
      case 5:
        StringBuilder array = new StringBuilder("[");
        for (int i = random.nextInt(4); i > 0; i--) {
          array.append(space(random)).append(generate(random, depth + 1)).append(space(random));
          if (i > 1) {
            array.append(',');
          }
        }
        return array.append(']').toString();
      default:
        StringBuilder object = new StringBuilder("{");
        for (int i = random.nextInt(4); i > 0; i--) {
          object.append(space(random)).append(generateString(random)).append(space(random));
          object.append(':').append(space(random)).append(generate(random, depth + 1));
          if (i > 1) {
            object.append(',');
          }
        }
        return object.append(space(random)).append('}').toString();
    }
  }

  private static String generateNumber(Random random) {
    StringBuilder sb = new StringBuilder();
    if (random.nextBoolean()) {
      sb.append('-');
    }
    sb.append(random.nextInt(4) == 0 ? "0" : Long.toString(1 + random.nextInt(1_000_000)));
    if (random.nextBoolean()) {
      sb.append('.').append(random.nextInt(1000));
    }
    if (random.nextInt(3) == 0) {
      sb.append("eE".charAt(random.nextInt(2)));
      sb.append(new String[] {"", "+", "-"}[random.nextInt(3)]).append(random.nextInt(400));
    }
    return sb.toString();
  }

  private static String generateString(Random random) {
    String[] parts = {
      "a", "Z", " ", "é", "😀", "\\\"", "\\\\", "\\/", "\\n", "\\u0041", "\\uD83D\\uDE00", "'", "#"
    };
    StringBuilder sb = new StringBuilder("\"");
    for (int i = random.nextInt(6); i > 0; i--) {
      sb.append(parts[random.nextInt(parts.length)]);
    }
    return sb.append('"').toString();
  }

  private static String space(Random random) {
    return new String[] {"", "", "", " ", "\n", "\t ", "\r\n"}[random.nextInt(7)];
  }
}
