package dev.juggler.core.broker.redis.internal;

import dev.juggler.core.broker.BrokerException;
import dev.juggler.core.broker.CallRequest;
import dev.juggler.core.broker.IncomingCall;
import dev.juggler.core.message.NackCode;
import dev.juggler.core.message.RawJson;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.logging.Level;
import java.util.logging.Logger;
import redis.clients.jedis.Jedis;

/**
 * RPC through Redis lists: queues calls, lets callees take them and stores their results for the
 * caller's node. Every operation runs on one pooled connection. Thread-safe.
 */
public final class CallQueue {

  private static final Logger LOG = Logger.getLogger(CallQueue.class.getName());

  /** Expired calls one run of {@code take.lua} may discard before it yields to other clients. */
  private static final String DISCARD_LIMIT = "1000";

  private final Connections connections;
  private final String nodeId;
  private final String callCapacity;
  private final int resultCapacity;

  /** Where the next take starts among its URIs, so that a busy URI cannot starve the others. */
  private final AtomicInteger rotation = new AtomicInteger();

  public CallQueue(Connections connections, String nodeId, int callCapacity, int resultCapacity) {
    this.connections = connections;
    this.nodeId = nodeId;
    this.callCapacity = Integer.toString(callCapacity);
    this.resultCapacity = resultCapacity;
  }

  /** Queues {@code call}; see {@link dev.juggler.core.broker.CallerBroker#call}. */
  public void call(CallRequest call) throws BrokerException {
    requireNoNewline(call.uri(), "uri");
    long ttlMs = ceilMillis(saturatedNanos(call.timeout()));
    if (ttlMs <= 0) {
      throw new BrokerException(NackCode.BAD_REQUEST, "call timeout must be positive");
    }
    String payload = Entries.call(call, nodeId, resultCapacity);
    Object queued =
        connections.run(
            jedis ->
                LuaScript.CALL.eval(
                    jedis,
                    List.of(Keys.calls(call.uri())),
                    List.of(callCapacity, Long.toString(ttlMs), payload)));
    if (!Long.valueOf(1).equals(queued)) {
      throw BrokerException.capacityExceeded("call");
    }
  }

  /** See {@link dev.juggler.core.broker.CalleeBroker#take}. */
  public IncomingCall take(List<String> uris, Duration wait) throws BrokerException {
    if (uris.isEmpty()) {
      throw new IllegalArgumentException("no URIs to take calls for");
    }
    long end = System.nanoTime() + Math.max(0, saturatedNanos(wait));
    int first = Math.floorMod(rotation.getAndIncrement(), uris.size());
    return connections.run(jedis -> takeOn(jedis, uris, first, end));
  }

  private IncomingCall takeOn(Jedis jedis, List<String> uris, int first, long end) {
    String[] keys = new String[uris.size()];
    for (int i = 0; i < keys.length; i++) {
      keys[i] = Keys.calls(uris.get((first + i) % keys.length));
    }
    while (true) {
      for (String key : keys) {
        IncomingCall call = takeNow(jedis, key);
        if (call != null) {
          return call;
        }
      }
      long waitNanos = end - System.nanoTime();
      if (waitNanos <= 0) {
        return null;
      }
      List<String> popped = Connections.blpop(jedis, ceilMillis(waitNanos), keys);
      if (popped == null) {
        return null;
      }
      long before = System.nanoTime();
      Object remaining =
          LuaScript.CHECK.eval(jedis, List.of(popped.get(0)), List.of(popped.get(1)));
      long remainingMs = (Long) remaining;
      if (remainingMs > 0) {
        IncomingCall call =
            parse(popped.get(1).substring(popped.get(1).indexOf(':') + 1), before, remainingMs);
        if (call != null) {
          return call;
        }
      }
      // The call had expired: look again, within what is left of the wait.
    }
  }

  /** Runs {@code take.lua} on one list until it yields a live call or the list is empty. */
  private static IncomingCall takeNow(Jedis jedis, String key) {
    while (true) {
      long before = System.nanoTime();
      List<?> reply = (List<?>) LuaScript.TAKE.eval(jedis, List.of(key), List.of(DISCARD_LIMIT));
      long discarded = (Long) reply.get(0);
      if (discarded > 0) {
        LOG.fine(() -> "discarded " + discarded + " expired calls from " + key);
      }
      if (reply.size() == 1) {
        return null;
      }
      long remainingMs = (Long) reply.get(1);
      if (remainingMs > 0) {
        IncomingCall call = parse((String) reply.get(2), before, remainingMs);
        if (call != null) {
          return call;
        }
      }
    }
  }

  /**
   * The call with a local deadline. Measured from before the request was sent, so that the local
   * deadline can only be early, never late.
   */
  private static IncomingCall parse(String payload, long sentNanos, long remainingMs) {
    try {
      return Entries.parseCall(payload, sentNanos + TimeUnit.MILLISECONDS.toNanos(remainingMs));
    } catch (IllegalArgumentException e) {
      LOG.log(Level.WARNING, "dropped a malformed call entry", e);
      return null;
    }
  }

  /** See {@link dev.juggler.core.broker.CalleeBroker#result}. */
  public boolean result(IncomingCall call, RawJson result) throws BrokerException {
    long remainingNanos = call.remainingNanos();
    if (remainingNanos <= 0) {
      return false;
    }
    Entries.ReplyTo replyTo = Entries.parseReplyTo(call.replyTo());
    String ttlMs = Long.toString(ceilMillis(remainingNanos));
    String entry = Entries.result(call, result);
    Object stored =
        connections.run(
            jedis ->
                LuaScript.RESULT.eval(
                    jedis,
                    List.of(Keys.results(replyTo.nodeId()), Keys.resultCounts(replyTo.nodeId())),
                    List.of(
                        Integer.toString(replyTo.resultCapacity()),
                        ttlMs,
                        call.connUuid().toString(),
                        entry)));
    if (!Long.valueOf(1).equals(stored)) {
      throw BrokerException.capacityExceeded("result");
    }
    return true;
  }

  static void requireNoNewline(String value, String what) throws BrokerException {
    if (value == null || value.indexOf('\n') >= 0) {
      throw new BrokerException(NackCode.BAD_REQUEST, what + " must be set and hold no newline");
    }
  }

  static long ceilMillis(long nanos) {
    return nanos <= 0 ? 0 : (nanos + 999_999) / 1_000_000;
  }

  private static long saturatedNanos(Duration d) {
    try {
      return d.toNanos();
    } catch (ArithmeticException e) {
      return d.isNegative() ? Long.MIN_VALUE : Long.MAX_VALUE / 2;
    }
  }
}
