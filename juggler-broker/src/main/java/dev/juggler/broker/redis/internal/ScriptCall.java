package dev.juggler.broker.redis.internal;

import java.util.List;
import redis.clients.jedis.Connection;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.exceptions.JedisDataException;
import redis.clients.jedis.exceptions.JedisNoScriptException;
import redis.clients.jedis.util.SafeEncoder;

/**
 * One run of a script, sent in a round trip with other commands ({@link Connections.Pipelined}) or
 * on its own; its reply is kept, an error reply too, so that the replies after it can still be
 * read.
 */
class ScriptCall implements Connections.Pipelined {
  private final LuaScript script;
  private final List<String> keys;
  private final List<String> args;

  /**
   * The reply, once read: a {@link JedisDataException} when Redis answered with an error (a {@link
   * JedisNoScriptException} when it did not have the script).
   */
  Object reply;

  ScriptCall(LuaScript script, List<String> keys, List<String> args) {
    this.script = script;
    this.keys = keys;
    this.args = args;
  }

  /** Runs the script on its own (loading it first if need be) and returns its reply. */
  Object eval(Jedis jedis) {
    return script.eval(jedis, keys, args);
  }

  /** Runs the script on its own (loading it first if need be) into {@link #reply}, an error too. */
  void evalKeepingError(Jedis jedis) {
    try {
      reply = eval(jedis);
    } catch (JedisDataException e) {
      reply = e;
    }
  }

  /**
   * After a run in a round trip: when the server did not have the script (NOSCRIPT: it lost its
   * scripts), runs it again on its own, loading it, into {@link #reply}. Not from {@link #read}:
   * the replies of the commands behind it are still to be read.
   */
  void rerunIfNoScript(Jedis jedis) {
    if (reply instanceof JedisNoScriptException) {
      evalKeepingError(jedis);
    }
  }

  @Override
  public void send(Connection connection) {
    script.send(connection, keys, args);
  }

  @Override
  public void read(Connection connection) {
    try {
      reply = SafeEncoder.encodeObject(connection.getOne()); // strings, as eval gives them
    } catch (JedisDataException e) {
      reply = e;
    }
    script.replied(connection, reply);
  }
}
