package dev.juggler.callee.function;

import static dev.juggler.callee.function.TestInvokers.call;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.juggler.broker.IncomingCall;
import dev.juggler.callee.CallContext;
import dev.juggler.callee.RpcException;
import dev.juggler.callee.RpcFunction;
import jakarta.json.Json;
import jakarta.json.JsonObject;
import jakarta.json.JsonValue;
import java.io.IOException;
import java.io.StringReader;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Decoding, invocation, encoding and error results, without a container. */
class FunctionInvokerTest {

  /** A bean with functions of every shape the invoker supports. */
  public static class Functions {
    final AtomicReference<IncomingCall> seen = new AtomicReference<>();

    @RpcFunction("t.none")
    public void none() {
      seen.set(CallContext.current().orElse(null));
    }

    @RpcFunction("t.int")
    public int plusOne(int n) {
      return n + 1;
    }

    @RpcFunction("t.bool")
    public boolean not(boolean b) {
      return !b;
    }

    @RpcFunction("t.double")
    public double half(Double d) {
      return d / 2;
    }

    @RpcFunction("t.list")
    public int sum(List<Integer> values) {
      return values == null ? -1 : values.stream().mapToInt(Integer::intValue).sum();
    }

    @RpcFunction("t.map")
    public Map<String, Integer> map(Map<String, Integer> values) {
      return values;
    }

    @RpcFunction("t.point")
    public Point point(Point p) {
      return p;
    }

    @RpcFunction("t.raw")
    public JsonValue raw(JsonValue value) {
      return value;
    }

    @RpcFunction("t.object")
    public JsonObject object(JsonObject value) {
      return value;
    }

    @RpcFunction("t.any")
    public Object any(Object value) {
      return value;
    }

    @RpcFunction("t.throw")
    public String fail(String message) {
      throw new IllegalStateException(message);
    }

    @RpcFunction("t.nomessage")
    public void noMessage() {
      throw new UnsupportedOperationException();
    }

    @RpcFunction("t.custom")
    public void custom() {
      throw new RpcException(
          "nope", Json.createObjectBuilder().add("code", 42).add("message", "custom").build());
    }

    @RpcFunction("t.custom.nomessage")
    public void customWithoutMessage() {
      throw new RpcException("added", Json.createObjectBuilder().add("code", 7).build());
    }

    @RpcFunction("t.checked")
    public void checked() throws Exception {
      throw new IOException("disk on fire");
    }
  }

  /** A JSON-B bean. */
  public static class Point {
    public int x;
    public int y;
  }

  private JsonCodec codec;
  private Functions functions;
  private FunctionInvoker invoker;

  @BeforeEach
  void setUp() {
    codec = JsonCodec.create();
    functions = new Functions();
    invoker = TestInvokers.of(codec, functions);
  }

  @AfterEach
  void tearDown() {
    codec.close();
  }

  private String result(String uri, String args) {
    Outcome outcome = invoker.handle(call(uri, args));
    assertFalse(outcome.failed(), () -> uri + " " + args + " failed: " + outcome.result());
    return outcome.result().text();
  }

  private JsonObject error(String uri, String args) {
    Outcome outcome = invoker.handle(call(uri, args));
    assertTrue(outcome.failed(), () -> uri + " " + args + " gave " + outcome.result());
    return Json.createReader(new StringReader(outcome.result().text()))
        .readObject()
        .getJsonObject("error");
  }

  @Test
  void voidGivesNullAndSeesTheCall() {
    IncomingCall call = call("t.none", "{\"ignored\":true}");
    assertEquals("null", invoker.handle(call).result().text());
    assertSame(call, functions.seen.get());
    assertTrue(CallContext.current().isEmpty(), "context cleared after the call");
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        "t.int    | 41          | 42",
        "t.int    | 4.1e1       | 42",
        "t.int    | -2147483648 | -2147483647",
        "t.bool   | true        | false",
        "t.bool   | false       | true",
        "t.double | 3           | 1.5",
        "t.list   | [1,2,3]     | 6",
        "t.list   | null        | -1",
        "t.map    | '{\"a\":1}' | '{\"a\":1}'",
        "t.point  | '{\"x\":1,\"y\":2}' | '{\"x\":1,\"y\":2}'",
        "t.point  | null        | null",
        "t.raw    | ' [1, \"x\"] ' | '[1,\"x\"]'",
        "t.raw    | null        | null",
        "t.object | '{}'        | '{}'",
        "t.any    | '\"s\"'     | '\"s\"'",
      })
  void decodesAndEncodes(String uri, String args, String expected) {
    assertEquals(expected, result(uri, args));
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        "t.int    | '\"5\"'",
        "t.int    | 5.5",
        "t.int    | 2147483648",
        "t.int    | 1e400",
        "t.int    | null",
        "t.bool   | 1",
        "t.bool   | '\"true\"'",
        "t.double | '\"1\"'",
        "t.double | 1e400",
        "t.list   | '{}'",
        "t.list   | '\"[1]\"'",
        "t.map    | '[]'",
        "t.point  | 5",
        "t.point  | '\"p\"'",
        "t.object | '[]'",
        "t.object | null",
      })
  void refusesTheWrongJsonKind(String uri, String args) {
    assertTrue(error(uri, args).getString("message").startsWith("invalid argument"));
  }

  @Test
  void exceptionMessageIsEscaped() {
    String message = "say \"hi\"\nand \\ go\t\u0001";
    JsonObject error = error("t.throw", Json.createValue(message).toString());
    assertEquals(message, error.getString("message"));
  }

  @Test
  void exceptionWithoutMessageGivesItsClassName() {
    assertEquals(
        UnsupportedOperationException.class.getName(),
        error("t.nomessage", "null").getString("message"));
  }

  @Test
  void checkedExceptionIsUnwrapped() {
    assertEquals("disk on fire", error("t.checked", "null").getString("message"));
  }

  @Test
  void customErrorObjectIsSentAsIs() {
    JsonObject error = error("t.custom", "null");
    assertEquals(42, error.getInt("code"));
    assertEquals("custom", error.getString("message"));
  }

  @Test
  void customErrorObjectGetsAMessage() {
    JsonObject error = error("t.custom.nomessage", "null");
    assertEquals(7, error.getInt("code"));
    assertEquals("added", error.getString("message"));
  }

  @Test
  void unknownUriIsAnErrorResult() {
    assertTrue(error("t.missing", "null").getString("message").contains("t.missing"));
  }

  @Test
  void interruptedFunctionKeepsTheFlag() {
    FunctionInvoker interrupting =
        TestInvokers.of(
            codec,
            new Object() {
              @RpcFunction("t.sleep")
              public void sleep() throws InterruptedException {
                throw new InterruptedException("stopping");
              }
            });
    try {
      Outcome outcome = interrupting.handle(call("t.sleep", "null"));
      assertTrue(outcome.failed());
      assertTrue(Thread.currentThread().isInterrupted());
    } finally {
      Thread.interrupted();
    }
    assertNull(CallContext.current().orElse(null));
  }
}
