package dev.juggler.broker.redis;

import static dev.juggler.broker.redis.Fixture.call;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.juggler.broker.IncomingCall;
import dev.juggler.broker.Recorder;
import dev.juggler.broker.redis.internal.LuaScript;
import dev.juggler.protocol.message.RawJson;
import dev.juggler.protocol.message.Res;
import dev.juggler.test.redis.RedisExtension;
import dev.juggler.test.redis.TestRedis;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import redis.clients.jedis.HostAndPort;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.JedisMonitor;
import redis.clients.jedis.util.JedisClusterCRC16;

/**
 * Every script the broker runs declares keys of one hash slot, so that it runs on a cluster.
 * Checked on one server, which unlike a cluster would accept keys of several slots, by watching
 * every command with MONITOR.
 */
@ExtendWith(RedisExtension.class)
class ScriptKeysIT {

  private static final Duration LONG = Duration.ofSeconds(30);
  private static final Duration WAIT = Duration.ofSeconds(5);

  private final TestRedis redis;

  ScriptKeysIT(TestRedis redis) {
    this.redis = redis;
  }

  @Test
  void everyScriptInvocationKeepsItsKeysInOneSlot() throws Exception {
    List<String> commands = new ArrayList<>();
    try (Fixture fixture = new Fixture(redis);
        Jedis monitor = new Jedis(new HostAndPort(redis.host(), redis.port()))) {
      Thread watcher =
          new Thread(
              () -> {
                try {
                  monitor.monitor(
                      new JedisMonitor() {
                        @Override
                        public void onCommand(String command) {
                          synchronized (commands) {
                            commands.add(command);
                          }
                        }
                      });
                } catch (RuntimeException e) {
                  // the connection was closed: the test is over
                }
              });
      watcher.setDaemon(true);
      watcher.start();
      Jedis probe = fixture.jedis();
      awaitSeen(commands, "juggler-start", () -> probe.echo("juggler-start"));
      exerciseEveryScript(fixture);
      awaitSeen(commands, "juggler-end", () -> probe.echo("juggler-end"));
    }

    Map<String, String> scripts =
        Map.of(
            sha(LuaScript.CALL), "call.lua",
            sha(LuaScript.TAKE), "take.lua",
            sha(LuaScript.RESULT), "result.lua",
            sha(LuaScript.RESULTS), "results.lua",
            sha(LuaScript.HEARTBEAT), "heartbeat.lua",
            sha(LuaScript.LIVE), "live.lua",
            sha(LuaScript.PUBLISH), "publish.lua");
    Set<String> seen = new HashSet<>();
    synchronized (commands) {
      for (String line : commands) {
        List<String> args = MonitorLine.args(line);
        if (args.size() < 3 || !args.get(0).equalsIgnoreCase("EVALSHA")) {
          continue;
        }
        String script = scripts.get(args.get(1));
        int numKeys = Integer.parseInt(args.get(2));
        List<String> keys = args.subList(3, 3 + numKeys);
        assertTrue(numKeys >= 1, script + " declares no key: " + line);
        int slot = JedisClusterCRC16.getSlot(keys.get(0));
        for (String key : keys) {
          assertEquals(slot, JedisClusterCRC16.getSlot(key), script + " keys " + keys);
        }
        seen.add(script);
      }
    }
    assertEquals(new HashSet<>(scripts.values()), seen, "every script was exercised");
  }

  /** Sends {@code probe} until MONITOR shows {@code marker}, so that it saw all before. */
  private static void awaitSeen(List<String> commands, String marker, Runnable probe)
      throws InterruptedException {
    Fixture.eventually(
        "MONITOR shows " + marker,
        () -> {
          probe.run();
          synchronized (commands) {
            return commands.stream().anyMatch(c -> c.contains("\"" + marker + "\""));
          }
        });
  }

  private static String sha(LuaScript script) {
    return script.toString().substring(script.toString().indexOf('@') + 1);
  }

  /**
   * Calls, a blocked take, results (stored alone and ahead of a take) through the node's loop, both
   * capacity paths, a heartbeat and a read of the live URIs.
   */
  private static void exerciseEveryScript(Fixture fixture) throws Exception {
    RedisBroker node = fixture.broker(fixture.config().withCapacities(5, 5));
    RedisBroker callee = fixture.broker();
    UUID conn = UUID.randomUUID();
    Recorder<Res> results = Recorder.ofResults();
    node.results(conn, results.results());
    node.call(call(conn, "keys.a", "1", LONG));
    node.publish("keys.events", UUID.randomUUID(), RawJson.NULL);
    IncomingCall first = callee.take(List.of("keys.b", "keys.a"), WAIT);
    callee.result(first, first.args());
    results.next();

    CompletableFuture<IncomingCall> blocked =
        CompletableFuture.supplyAsync(
            () -> {
              try {
                return callee.take(List.of("keys.c"), WAIT);
              } catch (Exception e) {
                throw new IllegalStateException(e);
              }
            });
    Thread.sleep(200); // let the take block in BLPOP
    node.call(call(conn, "keys.c", "2", LONG));
    IncomingCall second = blocked.get(10, TimeUnit.SECONDS);
    node.call(call(conn, "keys.c", "3", LONG));
    IncomingCall third =
        callee.resultThenTake(
            second, second.args(), Fixture.reportInto(new ArrayList<>()), List.of("keys.c"), WAIT);
    callee.result(third, third.args());
    results.next();
    results.next();

    callee.heartbeat(List.of("keys.a", "keys.b"), "callee-1", LONG);
    node.liveUris();
  }

  /** Reads the quoted arguments of a MONITOR line: {@code 123.4 [0 addr] "CMD" "arg" ...}. */
  private static final class MonitorLine {
    static List<String> args(String line) {
      List<String> args = new ArrayList<>();
      int i = line.indexOf('"');
      while (i >= 0 && i < line.length()) {
        StringBuilder arg = new StringBuilder();
        int j = i + 1;
        for (; j < line.length() && line.charAt(j) != '"'; j++) {
          char c = line.charAt(j);
          if (c == '\\' && j + 1 < line.length()) {
            j++;
            c = line.charAt(j);
          }
          arg.append(c);
        }
        args.add(arg.toString());
        i = line.indexOf('"', j + 1);
      }
      return args;
    }
  }
}
