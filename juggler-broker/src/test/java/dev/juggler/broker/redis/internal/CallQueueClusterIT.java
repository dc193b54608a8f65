package dev.juggler.broker.redis.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.juggler.broker.BrokerException;
import dev.juggler.broker.BrokerStats;
import dev.juggler.broker.CallRequest;
import dev.juggler.broker.IncomingCall;
import dev.juggler.broker.redis.RedisTarget;
import dev.juggler.protocol.message.RawJson;
import dev.juggler.test.redis.RedisClusterExtension;
import dev.juggler.test.redis.TestRedis;
import dev.juggler.test.redis.TestRedisCluster;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.args.ClientType;
import redis.clients.jedis.params.ClientKillParams;
import redis.clients.jedis.params.ClientKillParams.SkipMe;
import redis.clients.jedis.util.JedisClusterCRC16;

/**
 * Takes on a cluster from URIs of several hash slots: idle takers spread over the slots, so that a
 * call is taken by the taker already blocked on its slot, not when some other taker's wait on
 * another slot is over. The slices are made far longer than the test's waits, so a call that had to
 * wait for a slice to end is not taken at all.
 */
@ExtendWith(RedisClusterExtension.class)
class CallQueueClusterIT {

  /** Bounds the test's own waits; far below the slice and take wait, far above a normal take. */
  private static final long AWAIT_SECONDS = 60;

  private static final Duration TAKE_WAIT = Duration.ofMinutes(5);

  private final TestRedisCluster cluster;
  private final AtomicBoolean stopping = new AtomicBoolean();
  private final List<Thread> takers = new ArrayList<>();
  private final BlockingQueue<IncomingCall> taken = new LinkedBlockingQueue<>();
  private Connections connections;
  private CallQueue queue;
  private BrokerStats stats;

  CallQueueClusterIT(TestRedisCluster cluster) {
    this.cluster = cluster;
  }

  @BeforeEach
  void setUp() {
    cluster.flushAll();
    connections =
        Connections.create(
            RedisTarget.Cluster.parse(cluster.seedNodes()),
            8,
            Duration.ofSeconds(10),
            r -> {
              Thread t = new Thread(r);
              t.setDaemon(true);
              return t;
            });
    stats = new BrokerStats();
    queue = new CallQueue(connections, UUID.randomUUID().toString(), 0, 0, stats);
  }

  @AfterEach
  void tearDown() throws InterruptedException {
    stopping.set(true);
    // Ends the takers' BLPOPs: their connections break and they see the stop flag.
    for (int attempt = 0; attempt < AWAIT_SECONDS && takers.stream().anyMatch(Thread::isAlive); ) {
      attempt++;
      for (TestRedis node : cluster.nodes()) {
        try (Jedis jedis = new Jedis(node.host(), node.port())) {
          jedis.clientKill(new ClientKillParams().type(ClientType.NORMAL).skipMe(SkipMe.YES));
        }
      }
      for (Thread taker : takers) {
        taker.join(1_000);
      }
    }
    connections.close();
  }

  @Test
  void idleTakersWaitOnEverySlotSoThatEachCallIsTakenAtOnce() throws Exception {
    List<String> uris = urisOfDistinctSlots(3);
    queue.slice(Duration.ofHours(1));
    for (int i = 0; i < uris.size(); i++) {
      startTaker(uris);
    }
    awaitBlocked(uris.size());
    // Repeats on one URI move a taker that serves it onto another slot in the old rotation,
    // leaving that URI's slot unwatched; each call is awaited, so the order is deterministic.
    int[] sequence = {0, 0, 0, 1, 1, 0, 2, 2, 2, 1, 0, 2};
    for (int index : sequence) {
      String uri = uris.get(index);
      queue.call(call(uri));
      IncomingCall call = taken.poll(AWAIT_SECONDS, TimeUnit.SECONDS);
      assertNotNull(call, "a call to " + uri + " was not taken while takers were idle");
      assertEquals(uri, call.uri());
      awaitBlocked(uris.size()); // the taker is back, and every slot has a taker again
    }
  }

  @Test
  void aLoneTakerStillVisitsEverySlot() throws Exception {
    List<String> uris = urisOfDistinctSlots(3);
    startTaker(uris);
    for (String uri : List.of(uris.get(2), uris.get(0), uris.get(1), uris.get(1))) {
      queue.call(call(uri));
      IncomingCall call = taken.poll(AWAIT_SECONDS, TimeUnit.SECONDS);
      assertNotNull(call, "a call to " + uri + " was not taken");
      assertEquals(uri, call.uri());
    }
  }

  @Test
  void aBusyTakerLooksFirstWhereItFoundItsLastCall() throws Exception {
    List<String> uris = urisOfDistinctSlots(3);
    int calls = 6 * uris.size() * (CallQueue.STICKY_TAKES + 1);
    for (int i = 0; i < calls; i++) {
      queue.call(call(uris.get(1)));
    }
    for (TestRedis node : cluster.nodes()) {
      try (Jedis jedis = new Jedis(node.host(), node.port())) {
        jedis.configResetStat();
      }
    }
    for (int i = 0; i < calls; i++) {
      IncomingCall call = takeOne(uris, TAKE_WAIT);
      assertNotNull(call, "a queued call was not taken");
      assertEquals(uris.get(1), call.uri());
    }
    // In the rotating order alone, each take would look at an empty list before the busy one two
    // times in three: two round trips per call. Looking first where the last call was found leaves
    // one
    // in STICKY_TAKES + 1 takes looking at the other two first; the first take may too, and the
    // script's first run on a node may be refused (NOSCRIPT) and sent again.
    long roundTrips = takeRoundTrips();
    long expected = calls + 2L * calls / (CallQueue.STICKY_TAKES + 1) + 2 + cluster.nodes().size();
    assertTrue(
        roundTrips <= expected,
        calls + " calls taken in " + roundTrips + " round trips, expected " + expected);
  }

  @Test
  void aCallToAnotherUriWaitsAtMostStickyTakesOfABusyTaker() throws Exception {
    List<String> uris = urisOfDistinctSlots(3);
    for (int i = 0; i < 4 * (CallQueue.STICKY_TAKES + 1); i++) {
      queue.call(call(uris.get(0)));
    }
    for (int i = 0; i < 2 * CallQueue.STICKY_TAKES; i++) {
      assertEquals(uris.get(0), takeOne(uris, TAKE_WAIT).uri());
    }
    queue.call(call(uris.get(2)));
    for (int takes = 1; ; takes++) {
      IncomingCall call = takeOne(uris, TAKE_WAIT);
      assertNotNull(call, "a queued call was not taken");
      if (call.uri().equals(uris.get(2))) {
        break;
      }
      assertTrue(
          takes <= CallQueue.STICKY_TAKES,
          "the call to " + uris.get(2) + " still waits after " + takes + " takes");
    }
  }

  @Test
  void expiredCallsInASweptListAreDiscardedAndTheLiveOneAfterThemTaken() throws Exception {
    List<String> uris = urisOfDistinctSlots(3);
    assertNull(takeOne(uris, Duration.ZERO)); // all lists found empty: the next pops are LPOPs
    // The first call gives the list its time-to-live, which the short calls' do not shorten.
    CallRequest first = call(uris.get(0));
    queue.call(first);
    for (int i = 0; i < 3; i++) {
      queue.call(
          new CallRequest(
              UUID.randomUUID(),
              UUID.randomUUID(),
              uris.get(0),
              new RawJson("1"),
              Duration.ofMillis(1)));
    }
    CallRequest live = call(uris.get(0));
    queue.call(live);
    Thread.sleep(20); // at least this long: Redis's clock passes the short calls' deadlines
    assertEquals(first.callUuid(), takeOne(uris, TAKE_WAIT).callUuid());
    IncomingCall call = takeOne(uris, TAKE_WAIT); // LPOP pops an expired one, take.lua the rest
    assertNotNull(call, "the live call was not taken");
    assertEquals(live.callUuid(), call.callUuid());
    assertEquals(3, stats.expiredCalls());
  }

  @Test
  void aCallsKeyThatIsNotAListFailsTheTakeAndLeavesItsConnectionInStep() throws Exception {
    List<String> uris = urisOfDistinctSlots(3);
    assertNull(takeOne(uris, Duration.ZERO)); // all lists found empty: the next pops are LPOPs
    String key = Keys.calls(uris.get(1));
    connections.run(key, jedis -> jedis.set(key, "not a list"));
    BrokerException failure = assertThrows(BrokerException.class, () -> takeOne(uris, TAKE_WAIT));
    assertTrue(failure.getMessage().contains("WRONGTYPE"), failure.getMessage());
    connections.run(key, jedis -> jedis.del(key));
    // The pooled connections read the replies of their own commands: TIME's was not left behind.
    for (String uri : uris) {
      CallRequest sent = call(uri);
      queue.call(sent);
      IncomingCall taken = takeOne(uris, TAKE_WAIT);
      assertNotNull(taken, "a queued call was not taken");
      assertEquals(sent.callUuid(), taken.callUuid());
    }
  }

  /**
   * The round trips of takes that all nodes served since their stats were reset: each runs one
   * {@code TIME} (a BLPOP or LPOP is sent with it, {@code take.lua} reads it).
   */
  private long takeRoundTrips() {
    long roundTrips = 0;
    for (TestRedis node : cluster.nodes()) {
      try (Jedis jedis = new Jedis(node.host(), node.port())) {
        for (String line : jedis.info("commandstats").split("\\r\\n")) {
          if (line.startsWith("cmdstat_time:calls=")) {
            roundTrips += Long.parseLong(line.replaceFirst(".*:calls=(\\d+),.*", "$1"));
          }
        }
      }
    }
    return roundTrips;
  }

  private void startTaker(List<String> uris) {
    Thread taker =
        new Thread(
            () -> {
              while (!stopping.get()) {
                try {
                  IncomingCall call = takeOne(uris, TAKE_WAIT);
                  if (call != null) {
                    taken.add(call);
                  }
                } catch (BrokerException | RuntimeException e) {
                  if (!stopping.get()) {
                    throw new IllegalStateException(e);
                  }
                }
              }
            },
            "taker-" + takers.size());
    taker.setDaemon(true);
    takers.add(taker);
    taker.start();
  }

  /** Waits until {@code n} clients of the cluster are blocked (in BLPOP). */
  private void awaitBlocked(int n) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(AWAIT_SECONDS);
    int blocked = -1;
    while (System.nanoTime() < deadline) {
      blocked = 0;
      for (TestRedis node : cluster.nodes()) {
        try (Jedis jedis = new Jedis(node.host(), node.port())) {
          String info = jedis.info("clients");
          int at = info.indexOf("blocked_clients:") + "blocked_clients:".length();
          blocked += Integer.parseInt(info.substring(at, info.indexOf('\r', at)).trim());
        }
      }
      if (blocked == n) {
        return;
      }
      Thread.sleep(10); // blocking happens in other processes: there is nothing to wait on
    }
    throw new AssertionError("expected " + n + " blocked takers, saw " + blocked);
  }

  /** {@code n} URIs whose call lists are in {@code n} different hash slots. */
  private static List<String> urisOfDistinctSlots(int n) {
    List<String> uris = new ArrayList<>();
    Set<Integer> slots = new HashSet<>();
    for (int i = 0; uris.size() < n; i++) {
      String uri = "slots.f" + i;
      if (slots.add(JedisClusterCRC16.getSlot(Keys.calls(uri)))) {
        uris.add(uri);
      }
    }
    return uris;
  }

  private static CallRequest call(String uri) {
    return new CallRequest(
        UUID.randomUUID(), UUID.randomUUID(), uri, new RawJson("1"), Duration.ofMinutes(5));
  }

  /** One call taken from {@code uris}, or {@code null} when none came within {@code wait}. */
  private IncomingCall takeOne(List<String> uris, Duration wait) throws BrokerException {
    List<IncomingCall> calls = queue.take(uris, wait, 1);
    return calls.isEmpty() ? null : calls.get(0);
  }
}
