package dev.juggler.it;

import static dev.juggler.it.support.Frames.ack;
import static dev.juggler.it.support.Frames.res;
import static dev.juggler.it.support.Frames.subscribed;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.juggler.it.support.Frames;
import dev.juggler.it.support.ItDeployment;
import dev.juggler.it.support.Server;
import dev.juggler.it.support.WsClient;
import dev.juggler.test.redis.RedisExtension;
import jakarta.json.JsonObject;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.container.test.api.RunAsClient;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.shrinkwrap.api.spec.EnterpriseArchive;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Publisher flow control and slow consumers: a PUB is throttled by the frames it will add on the
 * node; clients that stop reading are cut off by what their queue holds and hold back nobody.
 */
@ExtendWith({RedisExtension.class, ArquillianExtension.class})
@RunAsClient
class FlowControlIT {
  private static final int CALL = 1;
  private static final int PUB = 2;
  private static final int SUB = 3;
  private static final int BACKLOG = 32;
  private static final int QUEUE_BYTES = 128 * 1024;

  @Deployment(testable = false)
  static EnterpriseArchive ear() {
    return ItDeployment.ear(
        "juggler.server.publish-backlog",
        Integer.toString(BACKLOG),
        "juggler.server.publish-backlog-wait",
        "1500",
        "juggler.server.write-queue-bytes",
        Integer.toString(QUEUE_BYTES));
  }

  /** The PUB's sequence number in an event's args {@code {"n":…,"pad":…}}. */
  private static int seq(JsonObject evnt) {
    return Frames.payload(evnt).getJsonObject("args").getInt("n");
  }

  private static String event(int n, int padding) {
    return "{\"n\":" + n + ",\"pad\":" + WsClient.quote("x".repeat(padding)) + "}";
  }

  @Test
  void clientsThatStopReadingAreCutOffAndHoldBackNoPublisher() throws Exception {
    int stuck = 5;
    double heldBefore = Server.metric("PubsHeld");
    double fullBefore = Server.metric("WriteQueueFull");
    List<WsClient> stuckClients = new ArrayList<>();
    try (WsClient pub = WsClient.connect();
        WsClient healthy = WsClient.connect()) {
      subscribed(healthy, "flow.stuck", false);
      for (int i = 0; i < stuck; i++) {
        WsClient c = WsClient.connect();
        stuckClients.add(c);
        subscribed(c, "flow.stuck", false);
        c.stopReading();
      }
      // 60 KB events, one at a time: the stuck clients' socket buffers fill, then their queues,
      // until each holds more than QUEUE_BYTES and is cut off
      int n = 0;
      while (Server.metric("WriteQueueFull") < fullBefore + stuck) {
        assertTrue(n < 2_000, "the stuck clients were cut off within 2,000 events of 60 KB");
        String id = pub.pub("flow.stuck", event(n, 60_000));
        ack(pub.next(Duration.ofSeconds(30)), id, PUB);
        JsonObject e = healthy.next(Duration.ofSeconds(30));
        assertNotNull(e, "event " + n + " reached the healthy subscriber");
        assertEquals(n, seq(e));
        n++;
      }
      assertEquals(heldBefore, Server.metric("PubsHeld"), "no PUB was held back by them");
      for (WsClient c : stuckClients) {
        c.close();
      }
      // The sends they blocked are over once their connections are closed: no writer thread stays
      // held by them. (Nor may a container thread: their close frames must not wait for a send
      // that failed, or the server cannot stop at the end of the suite within its quiesce time.)
      long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
      while (Server.metric("BlockedWriters") > 0) {
        assertTrue(System.nanoTime() < deadline, "blocked writer threads released");
        Thread.sleep(100);
      }
      String id = pub.pub("flow.stuck", event(n, 10));
      ack(pub.next(Duration.ofSeconds(30)), id, PUB);
      assertEquals(n, seq(healthy.next(Duration.ofSeconds(30))), "the node still delivers");
    }
  }

  /** Connections closed for not reading, by any of the bounds. */
  private static double cutOffs() throws Exception {
    return Server.metric("WriteQueueFull")
        + Server.metric("WriteQueueTimeouts")
        + Server.metric("WriteFailures");
  }

  @Test
  void aClientThatStopsReadingItsResultsHoldsBackNoOtherCallersResults() throws Exception {
    // A RES goes out on the thread that delivers the node's results when the connection's writer
    // is idle. A client that stops reading blocks that send; the node's other results must still
    // arrive within their calls' timeout, which is shorter than the write timeout (10 s) that ends
    // the blocked send, so that a RES held until then would be dropped as late.
    Duration callTimeout = Duration.ofSeconds(5);
    try (WsClient healthy = WsClient.connect();
        WsClient stuck = WsClient.connect()) {
      stuck.stopReading();
      String big = WsClient.quote("x".repeat(60_000));
      Thread stuckCalls =
          new Thread(
              () -> {
                try {
                  // 60 KB results it never reads, until the server stops reading it or cuts it off
                  for (int i = 0; i < 2_000 && !stuck.isClosed(); i++) {
                    stuck.call("test.echo", big, Duration.ofSeconds(30));
                  }
                } catch (RuntimeException e) {
                  // its connection was closed under the send
                }
              },
              "stuck-client-calls");
      stuckCalls.setDaemon(true);
      stuckCalls.start();
      double cutOffBefore = cutOffs();
      // it is cut off when its queue overflows, or at the latest by the write timeout
      long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
      int n = 0;
      int afterCutOff = 0;
      while (afterCutOff < 5) {
        assertTrue(System.nanoTime() < deadline, "the stuck client was cut off");
        if (cutOffs() > cutOffBefore) {
          afterCutOff++;
        }
        String args = WsClient.quote("call " + n);
        String id = healthy.call("test.echo", args, callTimeout);
        JsonObject ackFrame = healthy.next(callTimeout);
        assertNotNull(ackFrame, "the ACK of call " + n);
        ack(ackFrame, id, CALL);
        JsonObject resFrame = healthy.next(callTimeout);
        assertNotNull(resFrame, "the RES of call " + n + " within its timeout");
        assertEquals(args, Frames.args(res(resFrame, id, "test.echo")).toString());
        n++;
      }
    }
  }

  @Test
  void aPubWaitsWhileTheFramesItWillAddDoNotFitAndEveryEventArrivesInOrder() throws Exception {
    int subscribers = 20; // each event adds 20 frames: more than half the backlog of 32
    int events = 200;
    double heldBefore = Server.metric("PubsHeld");
    List<WsClient> subs = new ArrayList<>();
    try (WsClient pub = WsClient.connect()) {
      for (int i = 0; i < subscribers; i++) {
        WsClient c = WsClient.connect();
        subs.add(c);
        subscribed(c, "flow.fanout", false);
      }
      Frames.published(pub, "flow.fanout", event(-1, 0)); // the node learns the fan-out
      for (WsClient c : subs) {
        assertEquals(-1, seq(c.next()));
      }
      // pipelined: the PUBs are read one after another while earlier events are on their way,
      // with a SUB after every tenth, which must wait behind the PUBs held before it
      List<String> ids = new ArrayList<>();
      List<Integer> types = new ArrayList<>();
      for (int n = 0; n < events; n++) {
        ids.add(pub.pub("flow.fanout", event(n, 100)));
        types.add(PUB);
        if (n % 10 == 9) {
          ids.add(pub.sub("flow.other." + n, false));
          types.add(SUB);
        }
      }
      for (int i = 0; i < ids.size(); i++) {
        ack(pub.next(Duration.ofSeconds(30)), ids.get(i), types.get(i)); // in request order
      }
      for (WsClient c : subs) {
        for (int n = 0; n < events; n++) {
          assertEquals(n, seq(c.next()), "every event, in publish order");
        }
      }
      assertTrue(Server.metric("PubsHeld") > heldBefore, "PUBs waited for the fan-out to drain");
    } finally {
      subs.forEach(WsClient::close);
    }
  }

  @Test
  void manyPublishersHeldAtOnceAreAllAnsweredAndEveryEventArrives() throws Exception {
    // More publishers than the node's executor has threads (64): a held PUB must not hold one,
    // or the sends that drain the backlog would wait for the holds to time out.
    int subscribers = 20;
    int publishers = 150;
    int rounds = 3;
    double heldBefore = Server.metric("PubsHeld");
    List<WsClient> subs = new ArrayList<>();
    List<WsClient> pubs = new ArrayList<>();
    try {
      for (int i = 0; i < subscribers; i++) {
        WsClient c = WsClient.connect();
        subs.add(c);
        subscribed(c, "flow.many", false);
      }
      for (int i = 0; i < publishers; i++) {
        pubs.add(WsClient.connect());
      }
      Frames.published(pubs.get(0), "flow.many", event(-1, 0)); // the node learns the fan-out
      for (WsClient c : subs) {
        assertEquals(-1, seq(c.next()));
      }
      for (int round = 0; round < rounds; round++) {
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < publishers; i++) {
          ids.add(pubs.get(i).pub("flow.many", event(round * publishers + i, 100)));
        }
        for (int i = 0; i < publishers; i++) {
          ack(pubs.get(i).next(Duration.ofSeconds(30)), ids.get(i), PUB);
        }
      }
      for (WsClient c : subs) {
        // every event once; each publisher's in its order (publishers race each other)
        int[] last = new int[publishers];
        Arrays.fill(last, -1);
        for (int k = 0; k < rounds * publishers; k++) {
          int n = seq(c.next());
          int publisher = n % publishers;
          assertTrue(n / publishers > last[publisher], "publisher " + publisher + "'s order");
          last[publisher] = n / publishers;
        }
      }
      assertTrue(Server.metric("PubsHeld") > heldBefore, "PUBs were held");
    } finally {
      subs.forEach(WsClient::close);
      pubs.forEach(WsClient::close);
    }
  }
}
