package dev.juggler.broker.redis.internal;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Collections;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.WeakHashMap;
import redis.clients.jedis.Connection;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.Protocol;
import redis.clients.jedis.exceptions.JedisDataException;
import redis.clients.jedis.exceptions.JedisNoScriptException;

/**
 * A Lua script run by its SHA-1. Run on its own, the script is sent to a server only when that
 * server answers NOSCRIPT (first use, or after a restart), never with every call. Sent in a round
 * trip with other commands ({@link #send}), it goes with its body (EVAL) on a connection where it
 * has not run yet, by its SHA-1 after: a NOSCRIPT there could only be answered once the commands
 * behind it are, and a blocking command behind it would hold the script's work back for as long as
 * it blocks. Thread-safe.
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

  /** Every script: a server's loss of its scripts, seen through one of them, concerns all. */
  private static final List<LuaScript> ALL =
      List.of(CALL, TAKE, RESULT, RESULTS, PUBLISH, HEARTBEAT, LIVE);

  private static final String RESOURCES = "/dev/juggler/broker/redis/";

  private final String name;
  private final String body;
  private final String sha;

  /**
   * The connections on which the script has run, whose server therefore has it (until a restart,
   * which breaks the connection, or a SCRIPT FLUSH, which the first NOSCRIPT after it tells: then
   * every script forgets every connection, as which servers flushed is not known). Weak: a
   * connection the pool drops is forgotten. Jedis connections are equal only to themselves.
   */
  private final Map<Connection, Boolean> ranOn = Collections.synchronizedMap(new WeakHashMap<>());

  private LuaScript(String name, String body) {
    this.name = name;
    this.body = body;
    this.sha = sha1(body);
  }

  /** Runs the script on {@code jedis}'s server. */
  public Object eval(Jedis jedis, List<String> keys, List<String> args) {
    Object reply;
    try {
      reply = jedis.evalsha(sha, keys, args);
    } catch (JedisNoScriptException e) {
      lost();
      jedis.scriptLoad(body);
      reply = jedis.evalsha(sha, keys, args);
    }
    ranOn.put(jedis.getConnection(), Boolean.TRUE);
    return reply;
  }

  /**
   * Sends the script on {@code connection} without reading the reply (a pipeline): by its SHA-1
   * where it has run before, else with its body, so that the reply is never NOSCRIPT on a server
   * that started afresh. Tell the reply to {@link #replied}.
   */
  void send(Connection connection, List<String> keys, List<String> args) {
    boolean known = ranOn.containsKey(connection);
    String[] params = new String[2 + keys.size() + args.size()];
    params[0] = known ? sha : body;
    params[1] = Integer.toString(keys.size());
    int i = 2;
    for (String key : keys) {
      params[i++] = key;
    }
    for (String arg : args) {
      params[i++] = arg;
    }
    connection.sendCommand(known ? Protocol.Command.EVALSHA : Protocol.Command.EVAL, params);
  }

  /**
   * {@code reply} answered what {@link #send} sent on {@code connection}: a success tells that the
   * server has the script; NOSCRIPT that it lost its scripts while connected (see {@link #lost});
   * another error tells neither.
   */
  void replied(Connection connection, Object reply) {
    if (reply instanceof JedisNoScriptException) {
      lost();
    } else if (!(reply instanceof JedisDataException)) {
      ranOn.put(connection, Boolean.TRUE);
    }
  }

  /**
   * A server answered NOSCRIPT: it lost its scripts (SCRIPT FLUSH) under connections that ran them.
   * Every script goes with its body next time on every connection, so that only the request that
   * met the NOSCRIPT waits for what was sent behind it, not one on each connection.
   */
  private static void lost() {
    for (LuaScript script : ALL) {
      script.ranOn.clear();
    }
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
