package dev.juggler.broker.redis.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

import dev.juggler.test.redis.RedisExtension;
import dev.juggler.test.redis.TestRedis;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.exceptions.JedisNoScriptException;

/**
 * How a script sent in a round trip with other commands reaches the server: with its body where it
 * has not run on that connection, by its SHA-1 after, with its body again once the server said it
 * lost it. Counted by the server ({@code INFO commandstats}).
 */
@ExtendWith(RedisExtension.class)
class LuaScriptIT {
  private static final Pattern CALLS = Pattern.compile("calls=(\\d+)");

  private final TestRedis redis;
  private Jedis admin;

  LuaScriptIT(TestRedis redis) {
    this.redis = redis;
  }

  @BeforeEach
  void setUp() {
    admin = new Jedis(redis.host(), redis.port());
    admin.scriptFlush();
    admin.configResetStat();
  }

  @AfterEach
  void tearDown() {
    admin.close();
  }

  @Test
  void aPipelinedScriptGoesWithItsBodyWhereItHasNotRunAndAgainOnceTheServerLostIt() {
    try (Jedis jedis = new Jedis(redis.host(), redis.port());
        Jedis other = new Jedis(redis.host(), redis.port())) {
      assertEquals(List.of(0L, 0L), run(jedis).reply);
      assertEquals(1, calls("eval"));
      assertEquals(0, calls("evalsha"));

      assertEquals(List.of(0L, 0L), run(jedis).reply);
      assertEquals(1, calls("eval"), "the second run on the connection goes by the SHA-1");
      assertEquals(1, calls("evalsha"));

      assertEquals(List.of(0L, 0L), run(other).reply);
      assertEquals(2, calls("eval"), "another connection has not run it: with the body");

      admin.scriptFlush();
      assertInstanceOf(JedisNoScriptException.class, run(jedis).reply);
      assertEquals(List.of(0L, 0L), run(jedis).reply);
      assertEquals(3, calls("eval"), "after NOSCRIPT the body goes again");
      assertEquals(2, calls("evalsha"));
    }
  }

  @Test
  void aScriptRunOnItsOwnCountsAsRunOnItsConnection() {
    try (Jedis jedis = new Jedis(redis.host(), redis.port())) {
      ScriptCall alone = results();
      alone.evalKeepingError(jedis);
      assertEquals(List.of(0L, 0L), alone.reply);
      assertEquals(List.of(0L, 0L), run(jedis).reply);
      assertEquals(0, calls("eval"), "loaded and run by its SHA-1, never sent with its body");
      assertEquals(3, calls("evalsha")); // NOSCRIPT, then after SCRIPT LOAD; then in the pipeline
    }
  }

  @Test
  void aNoScriptSeenOnOneConnectionSendsEveryScriptWithItsBodyOnEveryConnection() {
    try (Jedis jedis = new Jedis(redis.host(), redis.port());
        Jedis other = new Jedis(redis.host(), redis.port())) {
      // Another script, run on its own first (its NOSCRIPT on this fresh server, before any other
      // script ran, makes every script forget every connection).
      ScriptCall live = new ScriptCall(LuaScript.LIVE, List.of("t:callees"), List.of());
      live.evalKeepingError(other);
      run(jedis);
      run(other);
      admin.scriptFlush();
      admin.configResetStat();

      assertInstanceOf(JedisNoScriptException.class, run(jedis).reply);
      assertEquals(List.of(0L, 0L), run(other).reply, "the other connection sends the body");
      ScriptCall liveAgain = new ScriptCall(LuaScript.LIVE, List.of("t:callees"), List.of());
      liveAgain.send(other.getConnection());
      liveAgain.read(other.getConnection());
      assertFalse(
          liveAgain.reply instanceof JedisNoScriptException,
          "so does another script: " + liveAgain.reply);
      assertEquals(2, calls("eval"));
      assertEquals(1, calls("evalsha"), "only the send that met the flush went by its SHA-1");
    }
  }

  /** {@code results.lua} on three lists of its own: a script that changes nothing here. */
  private static ScriptCall results() {
    return new ScriptCall(
        LuaScript.RESULTS, List.of("t:results", "t:counts", "t:moved"), List.of("10"));
  }

  /** Sends {@code results.lua} in a round trip of its own, as a pipeline does, and reads it. */
  private static ScriptCall run(Jedis jedis) {
    ScriptCall call = results();
    call.send(jedis.getConnection());
    call.read(jedis.getConnection());
    return call;
  }

  private int calls(String command) {
    for (String line : admin.info("commandstats").split("\r?\n")) {
      if (line.startsWith("cmdstat_" + command + ":")) {
        Matcher m = CALLS.matcher(line);
        return m.find() ? Integer.parseInt(m.group(1)) : 0;
      }
    }
    return 0;
  }
}
