package dev.juggler.broker.redis.internal;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import redis.clients.jedis.Connection;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.Protocol;
import redis.clients.jedis.exceptions.JedisNoScriptException;

/**
 * A Lua script run by its SHA-1. The script is sent to a server only when that server answers
 * NOSCRIPT (first use, or after a restart), never with every call. Immutable and thread-safe.
 */
public final class LuaScript {

  /** Queues a call; see {@code call.lua}. */
  public static final LuaScript CALL = load("call.lua");

  /** Pops a live call without blocking; see {@code take.lua}. */
  public static final LuaScript TAKE = load("take.lua");

  /** Stores a result; see {@code result.lua}. */
  public static final LuaScript RESULT = load("result.lua");

  /** Pops a batch of a node's results; see {@code results.lua}. */
  public static final LuaScript RESULTS = load("results.lua");

  /** Publishes an event unless too late; see {@code publish.lua}. */
  public static final LuaScript PUBLISH = load("publish.lua");

  /** Marks a callee's URIs live for a time-to-live; see {@code heartbeat.lua}. */
  public static final LuaScript HEARTBEAT = load("heartbeat.lua");

  /** Reads the URIs with a live callee; see {@code live.lua}. */
  public static final LuaScript LIVE = load("live.lua");

  private static final String RESOURCES = "/dev/juggler/broker/redis/";

  private final String name;
  private final String body;
  private final String sha;

  private LuaScript(String name, String body) {
    this.name = name;
    this.body = body;
    this.sha = sha1(body);
  }

  /** Runs the script on {@code jedis}'s server. */
  public Object eval(Jedis jedis, List<String> keys, List<String> args) {
    try {
      return jedis.evalsha(sha, keys, args);
    } catch (JedisNoScriptException e) {
      jedis.scriptLoad(body);
      return jedis.evalsha(sha, keys, args);
    }
  }

  /**
   * Sends the script by its SHA-1 on {@code connection} without reading the reply (a pipeline); the
   * reply is a {@link JedisNoScriptException} when the server does not have it.
   */
  void send(Connection connection, List<String> keys, List<String> args) {
    String[] params = new String[2 + keys.size() + args.size()];
    params[0] = sha;
    params[1] = Integer.toString(keys.size());
    int i = 2;
    for (String key : keys) {
      params[i++] = key;
    }
    for (String arg : args) {
      params[i++] = arg;
    }
    connection.sendCommand(Protocol.Command.EVALSHA, params);
  }

  @Override
  public String toString() {
    return name + "@" + sha;
  }

  private static LuaScript load(String name) {
    try (InputStream in = LuaScript.class.getResourceAsStream(RESOURCES + name)) {
      if (in == null) {
        throw new IllegalStateException("missing resource " + RESOURCES + name);
      }
      return new LuaScript(name, new String(in.readAllBytes(), StandardCharsets.UTF_8));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static String sha1(String text) {
    try {
      MessageDigest digest = MessageDigest.getInstance("SHA-1");
      return HexFormat.of().formatHex(digest.digest(text.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-1 is required of every Java platform", e);
    }
  }
}
