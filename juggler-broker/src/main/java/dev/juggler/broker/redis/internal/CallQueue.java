package dev.juggler.broker.redis.internal;

import dev.juggler.broker.BrokerException;
import dev.juggler.broker.BrokerStats;
import dev.juggler.broker.CallRequest;
import dev.juggler.broker.CalleeBroker;
import dev.juggler.broker.IncomingCall;
import dev.juggler.protocol.message.NackCode;
import dev.juggler.protocol.message.RawJson;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.logging.Level;
import java.util.logging.Logger;
import redis.clients.jedis.Connection;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.Protocol;
import redis.clients.jedis.exceptions.JedisDataException;

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
  private final BrokerStats stats;

  /**
   * How long a take on a cluster blocks on one slot group's lists before it looks at the other
   * groups again. Idle takers spread over the groups (see {@link SlotCoverage}), so while a callee
   * has at least as many idle threads as its URIs have slots every group has one blocked on it, and
   * the slice only bounds how soon a blocked taker notices calls queued on a group nobody waits on
   * (all its other threads busy); a blocked taker sends about {@code 1000 / SLICE_MS} BLPOPs per
   * second.
   */
  static final long SLICE_MS = 50;

  /** {@link #SLICE_MS} in nanoseconds; tests make it longer. */
  private volatile long sliceNanos = TimeUnit.MILLISECONDS.toNanos(SLICE_MS);

  /** Per taking thread: whether its next take starts with BLPOP; see {@link #takeUntil}. */
  private static final ThreadLocal<boolean[]> WAIT_FIRST =
      ThreadLocal.withInitial(() -> new boolean[1]);

  /**
   * How many takes in a row a thread on a cluster starts at the slot group where it last found a
   * call (see {@link #takeFromGroups}) before one take looks there last.
   */
  static final int STICKY_TAKES = 8;

  /** Per taking thread on a cluster: where its last call was found; see {@link #takeFromGroups}. */
  private static final ThreadLocal<LastFound> LAST_FOUND = ThreadLocal.withInitial(LastFound::new);

  /** Where the next take starts among its URIs, so that a busy URI cannot starve the others. */
  private final AtomicInteger rotation = new AtomicInteger();

  /** On a cluster: which slot groups have a taker blocked on them. */
  private final SlotCoverage coverage = new SlotCoverage();

  public CallQueue(
      Connections connections,
      String nodeId,
      int callCapacity,
      int resultCapacity,
      BrokerStats stats) {
    this.connections = connections;
    this.nodeId = nodeId;
    this.callCapacity = Integer.toString(callCapacity);
    this.resultCapacity = resultCapacity;
    this.stats = stats;
  }

  /** Queues {@code call}; see {@link dev.juggler.broker.CallerBroker#call}. */
  public void call(CallRequest call) throws BrokerException {
    requireNoNewline(call.uri(), "uri");
    long ttlMs = ceilMillis(saturatedNanos(call.timeout()));
    if (ttlMs <= 0) {
      throw new BrokerException(NackCode.BAD_REQUEST, "call timeout must be positive");
    }
    String payload = Entries.call(call, nodeId, resultCapacity);
    String key = Keys.calls(call.uri());
    long queued =
        connections.runTimed(
            key,
            (jedis, actBy) ->
                LuaScript.CALL.eval(
                    jedis,
                    List.of(key),
                    List.of(callCapacity, Long.toString(ttlMs), payload, Long.toString(actBy))));
    if (queued != 1) {
      throw BrokerException.capacityExceeded("call");
    }
  }

  /**
   * See {@link dev.juggler.broker.CalleeBroker#take}. The URIs' lists are taken from in a rotating
   * order, so that a busy URI cannot starve the others. When all are empty, lists that one BLPOP
   * may wait on together (all of them on one server) are waited on for the whole wait; on a cluster
   * see {@link #takeFromGroups}.
   */
  public IncomingCall take(List<String> uris, Duration wait) throws BrokerException {
    if (uris.isEmpty()) {
      throw new IllegalArgumentException("no URIs to take calls for");
    }
    long end = System.nanoTime() + Math.max(0, saturatedNanos(wait));
    List<String> keys = keysInTurn(uris);
    List<List<String>> groups = connections.colocated(keys);
    if (groups.size() == 1) {
      String[] group = keys.toArray(String[]::new);
      return connections.run(group[0], jedis -> takeUntil(jedis, group, end, end));
    }
    return takeFromGroups(groups, end);
  }

  /**
   * A take on lists of several slot groups (a cluster), which no one BLPOP can wait on together.
   * First a sweep without blocking of the groups no other taker is blocked on; then the taker
   * claims such a group and blocks on it for a {@linkplain #SLICE_MS slice}, or, when every group
   * has a taker blocked on it already, waits in this process, holding no connection, until one of
   * them is given back (its taker got a call, or its slice ended). After a slice it sweeps the
   * other unwatched groups and claims the next one in turn, so that a lone idle taker still visits
   * them all.
   *
   * <p>The sweep starts at the group where the thread last found a call, since while calls queue up
   * they mostly queue where they did a moment ago: a busy callee then pays one round trip per call,
   * not one per empty group swept before it. Every {@link #STICKY_TAKES} + 1st take looks there
   * last instead, so that a call to another URI waits at most that many takes of a busy thread.
   */
  private IncomingCall takeFromGroups(List<List<String>> inTurn, long end) throws BrokerException {
    LastFound last = LAST_FOUND.get();
    List<List<String>> groups = last.order(inTurn);
    List<String> previous = null;
    int start = 0;
    while (true) {
      IncomingCall call = sweep(coverage.uncovered(groups, previous), last);
      if (call != null) {
        return call;
      }
      int index = coverage.claim(groups, start, end);
      if (index < 0) {
        return null;
      }
      List<String> group = groups.get(index);
      String[] keys = group.toArray(String[]::new);
      long sliceEnd = Math.min(end, System.nanoTime() + sliceNanos);
      try {
        call = connections.run(keys[0], jedis -> takeUntil(jedis, keys, sliceEnd, end));
      } finally {
        coverage.release(group);
      }
      if (call != null) {
        last.found(group);
        return call;
      }
      if (end - System.nanoTime() <= 0) {
        return null;
      }
      previous = group;
      start = index + 1;
    }
  }

  /**
   * Takes without blocking from the lists of {@code groups}, in order; {@code null} if empty. The
   * group a call was found in is noted in {@code last}.
   */
  private IncomingCall sweep(List<List<String>> groups, LastFound last) throws BrokerException {
    for (List<String> group : groups) {
      IncomingCall call = connections.run(group.get(0), jedis -> popNow(jedis, group));
      if (call != null) {
        last.found(group);
        return call;
      }
    }
    return null;
  }

  /**
   * A taking thread's last find on a cluster: a key of the slot group it took its last call from,
   * and how many of its takes in a row have started there.
   */
  private static final class LastFound {
    private String key;
    private int streak;

    /**
     * {@code groups} (in the rotating order) with the group of the last find first; every {@link
     * #STICKY_TAKES} + 1st time with it last instead, so that the others are looked at before it.
     */
    List<List<String>> order(List<List<String>> groups) {
      if (key == null) {
        return groups;
      }
      boolean first = streak < STICKY_TAKES;
      streak = first ? streak + 1 : 0;
      for (int i = 0; i < groups.size(); i++) {
        if (groups.get(i).contains(key)) {
          List<List<String>> ordered = new ArrayList<>(groups);
          ordered.add(first ? 0 : ordered.size() - 1, ordered.remove(i));
          return ordered;
        }
      }
      return groups;
    }

    void found(List<String> group) {
      if (key == null || !group.contains(key)) {
        key = group.get(0);
      }
    }
  }

  /** Makes a cluster take block on one slot group for {@code slice} at a time; for tests. */
  void slice(Duration slice) {
    sliceNanos = slice.toNanos();
  }

  /**
   * Takes from lists of one server (and slot) until {@code blockEnd}: without blocking, then in
   * BLPOP. Returns {@code null} when nothing came, also when {@code blockEnd} is before {@code
   * end}.
   *
   * <p>A thread whose last take found the lists empty or popped a live call goes straight to BLPOP
   * the next time (it returns at once while calls wait); it turns back to {@code take.lua}, which
   * discards expired calls in bulk, once a pop found one that had expired.
   */
  private IncomingCall takeUntil(Jedis jedis, String[] keys, long blockEnd, long end) {
    boolean[] waitFirst = WAIT_FIRST.get();
    while (true) {
      if (!waitFirst[0]) {
        IncomingCall call = takeNow(jedis, Arrays.asList(keys));
        waitFirst[0] = true; // take.lua found the lists empty or popped a live call
        if (call != null) {
          return call;
        }
      }
      long waitNanos = Math.min(blockEnd, end) - System.nanoTime();
      if (waitNanos <= 0) {
        return null;
      }
      long before = System.nanoTime();
      Popped popped = Popped.pop(jedis, ceilMillis(waitNanos), keys, Connections.Pipelined.NONE);
      if (popped == null) {
        return null;
      }
      IncomingCall call = live(popped, before, waitFirst);
      if (call != null) {
        return call;
      }
      // The call had expired: look again, within what is left of the wait.
    }
  }

  /**
   * The call BLPOP popped, or {@code null} when it had expired (counted; the thread's next take
   * then starts with {@code take.lua}) or was malformed.
   */
  private IncomingCall live(Popped popped, long sentNanos, boolean[] waitFirst) {
    long remainingMs = popped.remainingMs();
    waitFirst[0] = remainingMs > 0;
    if (remainingMs <= 0) {
      stats.expiredCalls(1);
      return null;
    }
    return parse(popped.payload(), sentNanos, remainingMs);
  }

  /**
   * Takes without blocking from {@code keys} (lists of one slot), in order: while the thread's pops
   * find live calls, by LPOP and {@code TIME} in one round trip (as BLPOP would, and cheaper for
   * Redis than a script); after an expired one, by {@code take.lua}, which discards them in bulk.
   */
  private IncomingCall popNow(Jedis jedis, List<String> keys) {
    boolean[] waitFirst = WAIT_FIRST.get();
    for (String key : keys) {
      while (waitFirst[0]) {
        long before = System.nanoTime();
        Popped popped = Popped.popNow(jedis, key);
        if (popped == null) {
          break;
        }
        IncomingCall call = live(popped, before, waitFirst);
        if (call != null) {
          return call;
        }
      }
      if (!waitFirst[0]) {
        IncomingCall call = takeNow(jedis, key);
        waitFirst[0] = true; // take.lua found the list empty or popped a live call
        if (call != null) {
          return call;
        }
      }
    }
    return null;
  }

  /** Takes without blocking from {@code keys} (lists of one slot), in order. */
  private IncomingCall takeNow(Jedis jedis, List<String> keys) {
    for (String key : keys) {
      IncomingCall call = takeNow(jedis, key);
      if (call != null) {
        return call;
      }
    }
    return null;
  }

  /** Runs {@code take.lua} on one list until it yields a live call or the list is empty. */
  private IncomingCall takeNow(Jedis jedis, String key) {
    while (true) {
      long before = System.nanoTime();
      List<?> reply = (List<?>) LuaScript.TAKE.eval(jedis, List.of(key), List.of(DISCARD_LIMIT));
      long discarded = (Long) reply.get(0);
      stats.expiredCalls(discarded);
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
  private IncomingCall parse(String payload, long sentNanos, long remainingMs) {
    try {
      return Entries.parseCall(payload, sentNanos + TimeUnit.MILLISECONDS.toNanos(remainingMs));
    } catch (IllegalArgumentException e) {
      stats.payloadDecodeFailure();
      LOG.log(Level.WARNING, "dropped a malformed call entry", e);
      return null;
    }
  }

  /** See {@link dev.juggler.broker.CalleeBroker#result}. */
  public boolean result(IncomingCall call, RawJson result) throws BrokerException {
    ResultStore store = ResultStore.of(call, result);
    if (store == null) {
      return false;
    }
    return ResultStore.stored(connections.run(store.key, store::eval));
  }

  /**
   * A call's result to store and the lists of the take after it, when both can go in one round
   * trip; see {@link #together}.
   */
  public static final class Together {
    private final ResultStore store;
    private final String[] keys;

    private Together(ResultStore store, String[] keys) {
      this.store = store;
      this.keys = keys;
    }
  }

  /**
   * {@code call}'s result and the next take on {@code uris}, when they can go in one round trip:
   * the result's list and the URIs' lists in one hash slot (always, on one Redis). {@code null}
   * when they cannot: no URIs, a call with no time left, a reply address this broker cannot read,
   * or lists in different slots of a cluster; then the result is stored, then the take is made, as
   * {@link dev.juggler.broker.CalleeBroker#resultThenTake} does by default.
   */
  public Together together(IncomingCall call, RawJson result, List<String> uris) {
    if (uris.isEmpty()) {
      return null;
    }
    ResultStore store;
    try {
      store = ResultStore.of(call, result);
    } catch (RuntimeException e) {
      return null; // a reply-to it cannot read: storing the result on its own says so
    }
    if (store == null) {
      return null;
    }
    String[] keys = keysInTurn(uris).toArray(String[]::new);
    List<String> all = new ArrayList<>(Arrays.asList(keys));
    all.add(store.key);
    all.add(store.countsKey);
    return connections.colocated(all).size() == 1 ? new Together(store, keys) : null;
  }

  /**
   * See {@link dev.juggler.broker.CalleeBroker#resultThenTake}, for what {@link #together} gave:
   * {@code result.lua}, BLPOP and {@code TIME} go in one round trip. BLPOP returns at once while
   * calls wait, so a callee that keeps up pays one round trip per call; when the call popped that
   * way had expired, the take goes on as {@link #take}.
   */
  public IncomingCall resultThenTake(
      Together together, CalleeBroker.ResultReport report, Duration wait) throws BrokerException {
    ResultStore store = together.store;
    String[] keys = together.keys;
    long end = System.nanoTime() + Math.max(0, saturatedNanos(wait));
    IncomingCall next;
    try {
      next =
          connections.run(
              store.key,
              jedis -> {
                long before = System.nanoTime();
                long waitMs = ceilMillis(end - before);
                if (waitMs <= 0) {
                  store.evalKeepingError(jedis);
                  return null;
                }
                Popped popped = Popped.pop(jedis, waitMs, keys, store);
                store.rerunIfNoScript(jedis);
                IncomingCall taken = popped == null ? null : live(popped, before, WAIT_FIRST.get());
                return taken != null || popped == null ? taken : takeUntil(jedis, keys, end, end);
              });
    } catch (BrokerException e) {
      if (store.reply == null) {
        report.failed(e); // the round trip failed: the result may or may not be stored
      } else {
        store.report(report);
      }
      throw e;
    }
    store.report(report);
    return next;
  }

  /** The calls lists of {@code uris}, starting at the next in turn. */
  private List<String> keysInTurn(List<String> uris) {
    int first = Math.floorMod(rotation.getAndIncrement(), uris.size());
    List<String> keys = new ArrayList<>(uris.size());
    for (int i = 0; i < uris.size(); i++) {
      keys.add(Keys.calls(uris.get((first + i) % uris.size())));
    }
    return keys;
  }

  /** A call entry BLPOP popped, judged against its server's clock read just after the pop. */
  record Popped(String payload, long remainingMs) {

    /**
     * Sends what {@code ahead} sends, BLPOP on {@code keys} for up to {@code waitMs} (positive) and
     * {@code TIME}, then reads their replies: one round trip. {@code TIME} runs once BLPOP has
     * popped, so the milliseconds left it gives can only be too few, never too many. Returns {@code
     * null} when nothing came.
     */
    static Popped pop(Jedis jedis, long waitMs, String[] keys, Connections.Pipelined ahead) {
      ServerTime time = new ServerTime();
      List<String> popped = Connections.blpop(jedis, waitMs, ahead, time, keys);
      return popped == null ? null : judged(popped.get(1), time);
    }

    /**
     * LPOP on {@code key} and {@code TIME}, in one round trip; {@code null} when the list was
     * empty. As after {@link #pop}, the milliseconds left can only be too few.
     */
    static Popped popNow(Jedis jedis, String key) {
      Connection connection = jedis.getConnection();
      ServerTime time = new ServerTime();
      String entry =
          Connections.between(
              connection,
              Connections.Pipelined.NONE,
              () -> connection.sendCommand(Protocol.Command.LPOP, key),
              connection::getBulkReply,
              time);
      return entry == null ? null : judged(entry, time);
    }

    private static Popped judged(String entry, ServerTime time) {
      int sep = entry.indexOf(':');
      long deadline;
      try {
        deadline = sep < 0 ? -1 : Long.parseLong(entry.substring(0, sep));
      } catch (NumberFormatException e) {
        deadline = -1; // not an entry of call.lua: dropped as expired, as take.lua does
      }
      long now = time.millis();
      return new Popped(entry.substring(sep + 1), deadline > now ? deadline - now : -1);
    }
  }

  /** {@code TIME}, pipelined: the server's clock in milliseconds once read. */
  private static final class ServerTime implements Connections.Pipelined {
    private List<String> reply;

    @Override
    public void send(Connection connection) {
      connection.sendCommand(Protocol.Command.TIME);
    }

    @Override
    public void read(Connection connection) {
      reply = connection.getMultiBulkReply();
    }

    long millis() {
      return Long.parseLong(reply.get(0)) * 1000 + Long.parseLong(reply.get(1)) / 1000;
    }
  }

  /** One run of {@code result.lua} for a call's result; sent ahead of a take or on its own. */
  private static final class ResultStore extends ScriptCall {
    final String key;
    final String countsKey;

    private ResultStore(String key, String countsKey, List<String> args) {
      super(LuaScript.RESULT, List.of(key, countsKey), args);
      this.key = key;
      this.countsKey = countsKey;
    }

    /** The store of {@code result}, or {@code null} when its call has no time left. */
    static ResultStore of(IncomingCall call, RawJson result) {
      long remainingNanos = call.remainingNanos();
      if (remainingNanos <= 0) {
        return null;
      }
      Entries.ReplyTo replyTo = Entries.parseReplyTo(call.replyTo());
      return new ResultStore(
          Keys.results(replyTo.nodeId()),
          Keys.resultCounts(replyTo.nodeId()),
          List.of(
              Integer.toString(replyTo.resultCapacity()),
              Long.toString(ceilMillis(remainingNanos)),
              call.connUuid().toString(),
              Entries.result(call, result)));
    }

    /** Whether the reply says stored; throws when the connection's results are at capacity. */
    static boolean stored(Object reply) throws BrokerException {
      if (!Long.valueOf(1).equals(reply)) {
        throw BrokerException.capacityExceeded("result");
      }
      return true;
    }

    /** Tells {@code report} what the reply says. */
    void report(CalleeBroker.ResultReport report) {
      if (reply instanceof JedisDataException e) {
        report.failed(Connections.rejected(e));
        return;
      }
      try {
        report.stored(stored(reply));
      } catch (BrokerException e) {
        report.failed(e);
      }
    }
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
