package dev.juggler.broker.redis.internal;

import dev.juggler.broker.BrokerException;
import dev.juggler.protocol.message.NackCode;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.List;
import java.util.SortedSet;
import java.util.TreeSet;

/**
 * Which callees are live, in one sorted set, {@link Keys#CALLEES}: one member {@code
 * <uri>\n<calleeId>} per URI a callee serves, scored by the time (on the Redis server's clock) at
 * which that mark expires. Thread-safe.
 *
 * <p>Why one sorted set rather than a key with a TTL per callee and URI: the live URIs are read by
 * every server node about twice a second, and must be one command, never a scan. A sorted set gives
 * that in one {@code ZRANGEBYSCORE} (inside {@code live.lua}, which also folds the members to
 * distinct URIs so that only those travel), it is one key and so one hash slot on a Redis Cluster,
 * and expiry is a score compared with Redis {@code TIME} inside scripts, never with a client's
 * clock. Each callee's marks are members of their own, so callees serving the same URI are
 * independent: one leaving ({@code ZREM} of its own members) or dying (its scores pass) leaves the
 * others' marks alone. Expired members are dropped by the next heartbeat of any callee, and the key
 * itself expires after its latest mark, so nothing is left behind when every callee is gone.
 *
 * <p>Cost: a heartbeat is one script run of one {@code ZADD} per URI; a read walks every live
 * member (callee processes × their URIs) on the Redis server. The one key lives on one cluster
 * node, which takes all of this traffic; at a heartbeat a second per callee and two reads a second
 * per server node it is small.
 */
public final class Liveness {

  // A time-to-live beyond any use, and far from overflowing Redis' double arithmetic.
  private static final long MAX_TTL_MS = Duration.ofDays(365).toMillis();

  private final Connections connections;

  public Liveness(Connections connections) {
    this.connections = connections;
  }

  /** See {@link dev.juggler.broker.CalleeBroker#heartbeat}. */
  public void heartbeat(Collection<String> uris, String calleeId, Duration ttl)
      throws BrokerException {
    List<String> marks = marks(uris, calleeId);
    if (ttl.isNegative() || ttl.isZero()) {
      throw new BrokerException(NackCode.BAD_REQUEST, "heartbeat ttl must be positive");
    }
    if (marks.isEmpty()) {
      return;
    }
    long ttlMs =
        ttl.compareTo(Duration.ofMillis(MAX_TTL_MS)) > 0
            ? MAX_TTL_MS
            : CallQueue.ceilMillis(ttl.toNanos());
    List<String> args = new ArrayList<>(marks.size() + 1);
    args.add(Long.toString(ttlMs));
    args.addAll(marks);
    connections.run(
        Keys.CALLEES, jedis -> LuaScript.HEARTBEAT.eval(jedis, List.of(Keys.CALLEES), args));
  }

  /** See {@link dev.juggler.broker.CalleeBroker#leave}. */
  public void leave(Collection<String> uris, String calleeId) throws BrokerException {
    List<String> marks = marks(uris, calleeId);
    if (!marks.isEmpty()) {
      String[] members = marks.toArray(String[]::new);
      connections.run(Keys.CALLEES, jedis -> jedis.zrem(Keys.CALLEES, members));
    }
  }

  /** See {@link dev.juggler.broker.CallerBroker#liveUris}. */
  public SortedSet<String> liveUris() throws BrokerException {
    List<?> reply =
        (List<?>)
            connections.run(
                Keys.CALLEES,
                jedis -> LuaScript.LIVE.eval(jedis, List.of(Keys.CALLEES), List.of()));
    SortedSet<String> uris = new TreeSet<>();
    for (Object uri : reply) {
      uris.add((String) uri);
    }
    return Collections.unmodifiableSortedSet(uris);
  }

  private static List<String> marks(Collection<String> uris, String calleeId)
      throws BrokerException {
    CallQueue.requireNoNewline(calleeId, "callee id");
    List<String> marks = new ArrayList<>(uris.size());
    for (String uri : uris) {
      CallQueue.requireNoNewline(uri, "uri");
      marks.add(uri + "\n" + calleeId);
    }
    return marks;
  }
}
