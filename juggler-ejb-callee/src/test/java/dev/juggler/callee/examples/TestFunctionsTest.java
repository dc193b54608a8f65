package dev.juggler.callee.examples;

import static dev.juggler.callee.function.TestInvokers.call;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.juggler.callee.function.FunctionInvoker;
import dev.juggler.callee.function.JsonCodec;
import dev.juggler.callee.function.Outcome;
import dev.juggler.callee.function.TestInvokers;
import jakarta.json.Json;
import jakarta.json.JsonObject;
import jakarta.json.JsonReader;
import jakarta.json.JsonString;
import java.io.StringReader;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The protocol's example callees, through the same invoker the workers use. */
class TestFunctionsTest {
  private JsonCodec codec;
  private FunctionInvoker invoker;

  @BeforeEach
  void setUp() {
    codec = JsonCodec.create();
    invoker = TestInvokers.of(codec, new TestFunctions());
  }

  @AfterEach
  void tearDown() {
    codec.close();
  }

  private Outcome invoke(String uri, String args) {
    return invoker.handle(call(uri, args));
  }

  private static void assertError(Outcome outcome) {
    assertTrue(outcome.failed(), () -> "expected an error, got " + outcome.result());
    try (JsonReader reader = Json.createReader(new StringReader(outcome.result().text()))) {
      JsonObject error = reader.readObject().getJsonObject("error");
      assertFalse(error.getString("message").isBlank());
    }
  }

  @Test
  void servesTheThreeTestUris() {
    assertEquals(Set.of("test.delay", "test.echo", "test.reverse"), invoker.uris());
  }

  @Test
  void echoReturnsTheSameString() {
    Outcome outcome = invoke("test.echo", "\"héllo\"");
    assertFalse(outcome.failed());
    assertEquals("\"héllo\"", outcome.result().text());
  }

  @Test
  void echoKeepsEscapedCharacters() {
    Outcome outcome = invoke("test.echo", "\"a\\\"b\\nc\\u0001\"");
    try (JsonReader reader = Json.createReader(new StringReader(outcome.result().text()))) {
      assertEquals("a\"b\nc\u0001", ((JsonString) reader.readValue()).getString());
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"5", "{}", "null", "[]", "true", "5.5", "[\"a\"]"})
  void echoRefusesAnythingButAString(String args) {
    assertError(invoke("test.echo", args));
  }

  @Test
  void reverseKeepsSurrogatePairs() {
    Outcome outcome = invoke("test.reverse", "\"a😀b\"");
    assertFalse(outcome.failed());
    assertEquals("\"b😀a\"", outcome.result().text());
  }

  @Test
  void reverseOfEmptyIsEmpty() {
    assertEquals("\"\"", invoke("test.reverse", "\"\"").result().text());
  }

  @ParameterizedTest
  @ValueSource(strings = {"5", "{}", "null", "[]", "false"})
  void reverseRefusesAnythingButAString(String args) {
    assertError(invoke("test.reverse", args));
  }

  @Test
  void delayFromStringSleepsAndReturnsANumber() {
    long start = System.nanoTime();
    Outcome outcome = invoke("test.delay", "\"20\"");
    long elapsed = System.nanoTime() - start;
    assertFalse(outcome.failed(), outcome.result().text());
    assertEquals("20", outcome.result().text());
    assertTrue(elapsed >= TimeUnit.MILLISECONDS.toNanos(20), "slept " + elapsed + " ns");
  }

  @Test
  void delayAcceptsANumber() {
    long start = System.nanoTime();
    Outcome outcome = invoke("test.delay", "20");
    assertEquals("20", outcome.result().text());
    assertTrue(System.nanoTime() - start >= TimeUnit.MILLISECONDS.toNanos(20));
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "\"abc\"",
        "\"-5\"",
        "-5",
        "true",
        "null",
        "{}",
        "[]",
        "\"1.5\"",
        "2.5",
        "\"99999999999999999999\""
      })
  void delayRefusesBadArguments(String args) {
    assertError(invoke("test.delay", args));
  }

  @Test
  void delayDoesNotSleepPastTheDeadline() {
    long start = System.nanoTime();
    Outcome outcome =
        invoker.handle(call("test.delay", "\"60000\"", TimeUnit.MILLISECONDS.toNanos(50)));
    long elapsed = System.nanoTime() - start;
    assertEquals("60000", outcome.result().text());
    assertTrue(elapsed < TimeUnit.SECONDS.toNanos(10), "slept " + elapsed + " ns");
  }

  @Test
  void delayStopsWhenInterrupted() throws Exception {
    ExecutorService thread = Executors.newSingleThreadExecutor();
    try {
      CountDownLatch started = new CountDownLatch(1);
      Future<Outcome> future =
          thread.submit(
              () -> {
                started.countDown();
                Outcome outcome = invoke("test.delay", "\"600000\"");
                assertTrue(Thread.currentThread().isInterrupted(), "interrupt flag kept");
                return outcome;
              });
      assertTrue(started.await(5, TimeUnit.SECONDS));
      long start = System.nanoTime();
      // Interrupts whatever the task is doing: either the sleep, or the lines just before it
      // (then the sleep throws at once since the flag is set).
      thread.shutdownNow();
      Outcome outcome = future.get(5, TimeUnit.SECONDS);
      assertError(outcome);
      assertTrue(Duration.ofNanos(System.nanoTime() - start).toSeconds() < 5);
    } finally {
      thread.shutdownNow();
      assertTrue(thread.awaitTermination(5, TimeUnit.SECONDS));
    }
  }
}
