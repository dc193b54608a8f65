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
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
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
   * See {@link dev.juggler.broker.CalleeBroker#take(List, Duration, int)}. The URIs' lists are
   * taken from in a rotating order, so that a busy URI cannot starve the others. When all are
   * empty, lists that one BLPOP may wait on together (all of them on one server) are waited on for
   * the whole wait; on a cluster see {@link #takeFromGroups}. The calls after the first come from
   * the head of one list: the one popped from on a cluster, the first in turn on one server.
   */
  public List<IncomingCall> take(List<String> uris, Duration wait, int max) throws BrokerException {
    requireMax(max);
    long end = System.nanoTime() + Math.max(0, saturatedNanos(wait));
    return take(keysInTurn(uris), end, max);
  }

  private List<IncomingCall> take(List<String> keys, long end, int max) throws BrokerException {
    if (keys.isEmpty()) {
      throw new IllegalArgumentException("no URIs to take calls for");
    }
    List<List<String>> groups = connections.colocated(keys);
    if (groups.size() == 1) {
      String[] group = keys.toArray(String[]::new);
      return connections.run(group[0], jedis -> takeUntil(jedis, group, end, end, max));
    }
    return takeFromGroups(groups, end, max);
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
   * they mostly queue where they did a moment ago: a busy callee then pays one round trip per take,
   * not one per empty group swept before it. Every {@link #STICKY_TAKES} + 1st take looks there
   * last instead, so that a call to another URI waits at most that many takes of a busy thread.
   */
  private List<IncomingCall> takeFromGroups(List<List<String>> inTurn, long end, int max)
      throws BrokerException {
    LastFound last = LAST_FOUND.get();
    List<List<String>> groups = last.order(inTurn);
    List<String> previous = null;
    int start = 0;
    while (true) {
      List<IncomingCall> calls = sweep(coverage.uncovered(groups, previous), last, max);
      if (!calls.isEmpty()) {
        return calls;
      }
      int index = coverage.claim(groups, start, end);
      if (index < 0) {
        return List.of();
      }
      List<String> group = groups.get(index);
      String[] keys = group.toArray(String[]::new);
      long sliceEnd = Math.min(end, System.nanoTime() + sliceNanos);
      try {
        calls = connections.run(keys[0], jedis -> takeUntil(jedis, keys, sliceEnd, end, max));
      } finally {
        coverage.release(group);
      }
      if (!calls.isEmpty()) {
        last.found(group);
        return calls;
      }
      if (end - System.nanoTime() <= 0) {
        return List.of();
      }
      previous = group;
      start = index + 1;
    }
  }

  /**
   * Takes without blocking from the lists of {@code groups}, in order; empty if they are. The group
   * calls were found in is noted in {@code last}.
   */
  private List<IncomingCall> sweep(List<List<String>> groups, LastFound last, int max)
      throws BrokerException {
    for (List<String> group : groups) {
      List<IncomingCall> calls = connections.run(group.get(0), jedis -> popNow(jedis, group, max));
      if (!calls.isEmpty()) {
        last.found(group);
        return calls;
      }
    }
    return List.of();
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
   * Takes up to {@code max} calls from lists of one server (and slot) until {@code blockEnd}:
   * without blocking, then in BLPOP. Returns none when nothing came, also when {@code blockEnd} is
   * before {@code end}.
   *
   * <p>A thread whose last take found the lists empty or popped only live calls goes straight to
   * BLPOP the next time (it returns at once while calls wait); it turns back to {@code take.lua},
   * which discards expired calls in bulk, once a pop found one that had expired.
   */
  private List<IncomingCall> takeUntil(
      Jedis jedis, String[] keys, long blockEnd, long end, int max) {
    boolean[] waitFirst = WAIT_FIRST.get();
    while (true) {
      if (!waitFirst[0]) {
        IncomingCall call = takeNow(jedis, Arrays.asList(keys));
        waitFirst[0] = true; // take.lua found the lists empty or popped a live call
        if (call != null) {
          return List.of(call);
        }
      }
      long waitNanos = Math.min(blockEnd, end) - System.nanoTime();
      if (waitNanos <= 0) {
        return List.of();
      }
      long before = System.nanoTime();
      List<Popped> popped =
          Popped.pop(jedis, ceilMillis(waitNanos), keys, max, Connections.Pipelined.NONE);
      if (popped.isEmpty()) {
        return List.of();
      }
      List<IncomingCall> calls = live(popped, before, waitFirst);
      if (!calls.isEmpty()) {
        return calls;
      }
      // They had expired: look again, within what is left of the wait.
    }
  }

  /**
   * The live calls among {@code popped}, those that had expired counted (the thread's next take
   * then starts with {@code take.lua}) and left out, as are malformed ones.
   */
  private List<IncomingCall> live(List<Popped> popped, long sentNanos, boolean[] waitFirst) {
    List<IncomingCall> calls = new ArrayList<>(popped.size());
    int expired = 0;
    for (Popped p : popped) {
      if (p.remainingMs() <= 0) {
        expired++;
        continue;
      }
      IncomingCall call = parse(p.payload(), sentNanos, p.remainingMs());
      if (call != null) {
        calls.add(call);
      }
    }
    waitFirst[0] = expired == 0;
    if (expired > 0) {
      stats.expiredCalls(expired);
    }
    return calls;
  }

  /**
   * Takes up to {@code max} calls without blocking from {@code keys} (lists of one slot), from the
   * first that has any: while the thread's pops find live calls, by LPOP and {@code TIME} in one
   * round trip (as BLPOP would, and cheaper for Redis than a script); after an expired one, one
   * call by {@code take.lua}, which discards them in bulk.
   */
  private List<IncomingCall> popNow(Jedis jedis, List<String> keys, int max) {
    boolean[] waitFirst = WAIT_FIRST.get();
    for (String key : keys) {
      while (waitFirst[0]) {
        long before = System.nanoTime();
        List<Popped> popped = Popped.popNow(jedis, key, max);
        if (popped.isEmpty()) {
          break;
        }
        List<IncomingCall> calls = live(popped, before, waitFirst);
        if (!calls.isEmpty()) {
          return calls;
        }
      }
      if (!waitFirst[0]) {
        IncomingCall call = takeNow(jedis, key);
        waitFirst[0] = true; // take.lua found the list empty or popped a live call
        if (call != null) {
          return List.of(call);
        }
      }
    }
    return List.of();
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
    ResultStore store = ResultStore.of(call, result, null);
    if (store == null) {
      return false;
    }
    return ResultStore.stored(connections.run(store.key, store::eval));
  }

  /**
   * See {@link dev.juggler.broker.CalleeBroker#resultsThenTake}. When the results' lists and the
   * URIs' lists are in one hash slot (always, on one Redis), {@code result.lua} for each result,
   * BLPOP, LPOP of the calls after the first and {@code TIME} go in one round trip: BLPOP returns
   * at once while calls wait, so a callee that keeps up pays one round trip per take; when a call
   * popped that way had expired, the take goes on as {@link #take} does. Else the results for one
   * node go in one round trip, then the take is made.
   */
  public List<IncomingCall> resultsThenTake(
      List<CalleeBroker.Finished> finished, List<String> uris, Duration wait, int max)
      throws BrokerException {
    requireMax(max);
    long end = System.nanoTime() + Math.max(0, saturatedNanos(wait));
    List<ResultStore> stores = stores(finished);
    List<String> keys = keysInTurn(uris);
    List<String> all = new ArrayList<>(keys);
    for (ResultStore store : stores) {
      all.add(store.key);
      all.add(store.countsKey);
    }
    if (stores.isEmpty() || keys.isEmpty() || connections.colocated(all).size() > 1) {
      store(stores);
      return take(keys, end, max);
    }
    String[] keyArray = keys.toArray(String[]::new);
    List<IncomingCall> next;
    try {
      next =
          connections.run(
              stores.get(0).key,
              jedis -> {
                long before = System.nanoTime();
                long waitMs = ceilMillis(end - before);
                if (waitMs <= 0) {
                  runAll(jedis, stores);
                  return List.of();
                }
                List<Popped> popped =
                    Popped.pop(jedis, waitMs, keyArray, max, Connections.Pipelined.all(stores));
                stores.forEach(store -> store.rerunIfNoScript(jedis));
                List<IncomingCall> taken =
                    popped.isEmpty() ? List.of() : live(popped, before, WAIT_FIRST.get());
                return !taken.isEmpty() || popped.isEmpty()
                    ? taken
                    : takeUntil(jedis, keyArray, end, end, max);
              });
    } catch (BrokerException e) {
      stores.forEach(store -> store.reportAfter(e));
      throw e;
    }
    stores.forEach(ResultStore::report);
    return next;
  }

  /** See {@link dev.juggler.broker.CalleeBroker#results}: those for one node in one round trip. */
  public void results(List<CalleeBroker.Finished> finished) {
    store(stores(finished));
  }

  /**
   * The stores of {@code finished}'s results. A result with no time left, or with a reply address
   * this broker cannot read, is told to its report here and has none.
   */
  private static List<ResultStore> stores(List<CalleeBroker.Finished> finished) {
    List<ResultStore> stores = new ArrayList<>(finished.size());
    for (CalleeBroker.Finished f : finished) {
      ResultStore store;
      try {
        store = ResultStore.of(f.call(), f.result(), f.report());
      } catch (RuntimeException e) {
        f.report().failed(e); // a reply address this broker cannot read
        continue;
      }
      if (store == null) {
        f.report().stored(false); // no time left: dropped, as result() drops it
      } else {
        stores.add(store);
      }
    }
    return stores;
  }

  /**
   * Stores the results of {@code stores}, those for one node (one list) in one round trip, and
   * tells each store's report how it went.
   */
  private void store(List<ResultStore> stores) {
    Map<String, List<ResultStore>> byList = new LinkedHashMap<>();
    for (ResultStore store : stores) {
      byList.computeIfAbsent(store.key, k -> new ArrayList<>()).add(store);
    }
    for (Map.Entry<String, List<ResultStore>> list : byList.entrySet()) {
      List<ResultStore> group = list.getValue();
      try {
        connections.run(
            list.getKey(),
            jedis -> {
              runAll(jedis, group);
              return null;
            });
      } catch (BrokerException | RuntimeException e) {
        group.forEach(store -> store.reportAfter(e));
        continue;
      }
      group.forEach(ResultStore::report);
    }
  }

  /**
   * Runs the scripts of {@code stores} (results for one slot) in one round trip, each reply kept,
   * and those the server did not have again on their own.
   */
  private static void runAll(Jedis jedis, List<ResultStore> stores) {
    Connection connection = jedis.getConnection();
    Connections.Pipelined all = Connections.Pipelined.all(stores);
    all.send(connection);
    all.read(connection);
    stores.forEach(store -> store.rerunIfNoScript(jedis));
  }

  private static void requireMax(int max) {
    if (max < 1) {
      throw new IllegalArgumentException("max must be at least 1");
    }
  }

  /** The calls lists of {@code uris}, starting at the next in turn. */
  private List<String> keysInTurn(List<String> uris) {
    if (uris.isEmpty()) {
      return List.of();
    }
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
     * Sends what {@code ahead} sends, BLPOP on {@code keys} for up to {@code waitMs} (positive),
     * when {@code max} is more than 1 LPOP of up to {@code max - 1} more from the first of {@code
     * keys}, and {@code TIME}, then reads their replies: one round trip. {@code TIME} runs once
     * BLPOP has popped, so the milliseconds left it gives can only be too few, never too many.
     * Returns none when nothing came.
     */
    static List<Popped> pop(
        Jedis jedis, long waitMs, String[] keys, int max, Connections.Pipelined ahead) {
      ServerTime time = new ServerTime();
      MorePops more = max > 1 ? new MorePops(keys[0], max - 1) : null;
      Connections.Pipelined behind =
          more == null ? time : Connections.Pipelined.all(List.of(more, time));
      List<String> popped = Connections.blpop(jedis, waitMs, ahead, behind, keys);
      if (popped == null) {
        return List.of();
      }
      List<String> after = more == null ? List.of() : more.entries();
      List<Popped> all = new ArrayList<>(1 + after.size());
      all.add(judged(popped.get(1), time));
      after.forEach(entry -> all.add(judged(entry, time)));
      return all;
    }

    /**
     * LPOP of up to {@code max} entries from {@code key} and {@code TIME}, in one round trip; none
     * when the list was empty. As after {@link #pop}, the milliseconds left can only be too few.
     */
    static List<Popped> popNow(Jedis jedis, String key, int max) {
      Connection connection = jedis.getConnection();
      MorePops pops = new MorePops(key, max);
      ServerTime time = new ServerTime();
      Connections.Pipelined both = Connections.Pipelined.all(List.of(pops, time));
      both.send(connection);
      both.read(connection);
      List<String> entries = pops.entries();
      List<Popped> all = new ArrayList<>(entries.size());
      entries.forEach(entry -> all.add(judged(entry, time)));
      return all;
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

  /** {@code LPOP key count}, pipelined: the entries popped, none when the list was empty. */
  private static final class MorePops implements Connections.Pipelined {
    private final String key;
    private final int count;
    private List<String> entries = List.of();
    private JedisDataException error;

    MorePops(String key, int count) {
      this.key = key;
      this.count = count;
    }

    @Override
    public void send(Connection connection) {
      connection.sendCommand(Protocol.Command.LPOP, key, Integer.toString(count));
    }

    @Override
    public void read(Connection connection) {
      try {
        List<String> reply = connection.getMultiBulkReply();
        entries = reply == null ? List.of() : reply;
      } catch (JedisDataException e) {
        error = e; // thrown once the replies after it are read
      }
    }

    /** The entries popped; throws the error Redis answered with. */
    List<String> entries() {
      if (error != null) {
        throw error;
      }
      return entries;
    }
  }

  /** One run of {@code result.lua} for a call's result; sent ahead of a take or on its own. */
  private static final class ResultStore extends ScriptCall {
    final String key;
    final String countsKey;
    private final CalleeBroker.ResultReport report;

    private ResultStore(
        String key, String countsKey, List<String> args, CalleeBroker.ResultReport report) {
      super(LuaScript.RESULT, List.of(key, countsKey), args);
      this.key = key;
      this.countsKey = countsKey;
      this.report = report;
    }

    /**
     * The store of {@code result}, told to {@code report} (null when the caller reads the reply
     * itself); {@code null} when its call has no time left.
     */
    static ResultStore of(IncomingCall call, RawJson result, CalleeBroker.ResultReport report) {
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
              Entries.result(call, result)),
          report);
    }

    /** Whether the reply says stored; throws when the connection's results are at capacity. */
    static boolean stored(Object reply) throws BrokerException {
      if (!Long.valueOf(1).equals(reply)) {
        throw BrokerException.capacityExceeded("result");
      }
      return true;
    }

    /** Tells the report what the reply says. */
    void report() {
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

    /**
     * After the round trip failed with {@code failure}: what the reply says when it was read, else
     * the failure (the result may or may not be stored).
     */
    void reportAfter(Exception failure) {
      if (reply == null) {
        report.failed(failure);
      } else {
        report();
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
