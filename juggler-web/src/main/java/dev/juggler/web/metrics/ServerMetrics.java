package dev.juggler.web.metrics;

import dev.juggler.protocol.message.MsgType;
import jakarta.annotation.PostConstruct;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.IntSupplier;
import org.eclipse.microprofile.metrics.Counter;
import org.eclipse.microprofile.metrics.Metadata;
import org.eclipse.microprofile.metrics.MetricRegistry;
import org.eclipse.microprofile.metrics.Timer;

/**
 * The server metrics, named as the original juggler's server metrics ({@code TotalConns}, {@code
 * MsgsCALL}, …) in the application registry, with the node's view of calls: {@code CallLatency}
 * (from a CALL's ACK to its RES) and {@code ExpiredCalls}. The broker metrics are {@link
 * BrokerMetrics}.
 */
@ApplicationScoped
public class ServerMetrics {

  @Inject MetricRegistry registry;

  private final AtomicLong activeConns = new AtomicLong();
  private volatile IntSupplier blockedWriters = () -> 0;
  private Counter totalConns;
  private Counter totalMsgs;
  private Counter totalMsgsRead;
  private Counter totalMsgsWrite;
  private Counter msgsUnknown;
  private Counter slowProcessMsg;
  private final Map<MsgType, Counter> msgs = new EnumMap<>(MsgType.class);
  private final Map<MsgType, Counter> slowProcessMsgs = new EnumMap<>(MsgType.class);
  private Counter recoveredFailures;
  private Counter protocolViolations;
  private Counter readTimeouts;
  private Counter pingTimeouts;
  private Counter forcedCloses;
  private Counter writeLimitExceeded;
  private Counter writeQueueTimeouts;
  private Counter writeQueueFull;
  private Counter writeFailures;
  private Counter pubsHeld;
  private Counter rateLimited;
  private Counter unservedCalls;
  private Counter expiredCalls;
  private Counter droppedResults;
  private Timer callLatency;

  @PostConstruct
  void register() {
    registry.gauge(
        Metadata.builder()
            .withName("ActiveConns")
            .withDescription("WebSocket connections open now")
            .build(),
        activeConns,
        AtomicLong::get);
    registry.gauge(
        Metadata.builder()
            .withName("BlockedWriters")
            .withDescription(
                "Writer threads whose send a client has blocked for over 500 ms (it does not read)")
            .build(),
        this,
        m -> m.blockedWriters.getAsInt());
    totalConns = counter("TotalConns", "WebSocket connections accepted since start");
    totalMsgs = counter("TotalMsgs", "Messages read and written");
    totalMsgsRead = counter("TotalMsgsRead", "Messages read from clients");
    totalMsgsWrite = counter("TotalMsgsWrite", "Messages written to clients");
    msgsUnknown = counter("MsgsUnknown", "Frames read that were not a valid message");
    slowProcessMsg = counter("SlowProcessMsg", "Messages whose handling took too long");
    for (MsgType t : MsgType.values()) {
      msgs.put(t, counter("Msgs" + t.name(), t.name() + " messages read or written"));
      slowProcessMsgs.put(
          t, counter("SlowProcessMsg" + t.name(), t.name() + " messages whose handling was slow"));
    }
    recoveredFailures =
        counter("RecoveredFailures", "Handler failures that closed their connection (1011)");
    protocolViolations =
        counter("ProtocolViolations", "Connections closed for breaking the protocol");
    readTimeouts = counter("ReadTimeouts", "Connections closed for staying silent too long");
    pingTimeouts =
        counter("PingTimeouts", "Connections closed for answering no ping within the deadline");
    forcedCloses =
        counter(
            "ForcedCloses",
            "Connections released by the server because their close never completed (peer gone,"
                + " or the container stopped reading them)");
    writeLimitExceeded = counter("WriteLimitExceeded", "Frames over the write limit");
    writeQueueTimeouts =
        counter("WriteQueueTimeouts", "Connections closed because a frame waited too long");
    writeQueueFull = counter("WriteQueueFull", "Connections closed because their queue was full");
    writeFailures = counter("WriteFailures", "Frames whose send failed or timed out");
    pubsHeld = counter("PubsHeld", "PUBs held back while the node had too many frames queued");
    rateLimited =
        counter("RateLimited", "Requests refused (NACK 429) by the per-connection rate limit");
    unservedCalls =
        counter(
            "UnservedCalls",
            "CALLs refused (NACK 404) by the URI allow-list: no live callee serves their URI");
    expiredCalls =
        counter(
            "ExpiredCalls",
            "CALLs acknowledged by this node that got no RES within their timeout, while their"
                + " connection stayed open");
    droppedResults =
        counter(
            "DroppedResults",
            "RESs this node did not send: their CALL had been NACKed, already answered, or was"
                + " past its timeout");
    callLatency =
        registry.timer(
            Metadata.builder()
                .withName("CallLatency")
                .withDescription("time from a CALL's ACK to its RES, as seen by the server")
                .build());
  }

  private Counter counter(String name, String description) {
    return registry.counter(Metadata.builder().withName(name).withDescription(description).build());
  }

  /** Where {@code BlockedWriters} is read from: the node's writer threads. */
  public void blockedWriters(IntSupplier source) {
    blockedWriters = source;
  }

  public void connOpened() {
    activeConns.incrementAndGet();
    totalConns.inc();
  }

  public void connClosed() {
    activeConns.decrementAndGet();
  }

  public long activeConns() {
    return activeConns.get();
  }

  public void read(MsgType type) {
    totalMsgs.inc();
    totalMsgsRead.inc();
    msgs.get(type).inc();
  }

  public void written(MsgType type) {
    totalMsgs.inc();
    totalMsgsWrite.inc();
    msgs.get(type).inc();
  }

  public void unknown() {
    msgsUnknown.inc();
  }

  public void slow(MsgType type) {
    slowProcessMsg.inc();
    slowProcessMsgs.get(type).inc();
  }

  public void recoveredFailure() {
    recoveredFailures.inc();
  }

  public void protocolViolation() {
    protocolViolations.inc();
  }

  public void readTimeout() {
    readTimeouts.inc();
  }

  public void pingTimeout() {
    pingTimeouts.inc();
  }

  public void forcedClose() {
    forcedCloses.inc();
  }

  public void writeLimitExceeded() {
    writeLimitExceeded.inc();
  }

  public void writeQueueTimeout() {
    writeQueueTimeouts.inc();
  }

  public void writeQueueFull() {
    writeQueueFull.inc();
  }

  public void rateLimited() {
    rateLimited.inc();
  }

  public void unservedCall() {
    unservedCalls.inc();
  }

  public void pubHeld() {
    pubsHeld.inc();
  }

  public void writeFailure() {
    writeFailures.inc();
  }

  /** {@code n} acknowledged calls reached their timeout without a RES. */
  public void expiredCalls(long n) {
    if (n > 0) {
      expiredCalls.inc(n);
    }
  }

  /** A RES was not sent: its call had been NACKed or answered, or was past its timeout. */
  public void droppedResult() {
    droppedResults.inc();
  }

  /** A RES was written {@code nanos} after its CALL's ACK. */
  public void callLatency(long nanos) {
    callLatency.update(Duration.ofNanos(nanos));
  }
}
