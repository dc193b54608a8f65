package dev.juggler.broker.memory.internal;

import dev.juggler.broker.BrokerException;
import dev.juggler.broker.BrokerStats;
import dev.juggler.broker.IncomingCall;
import dev.juggler.broker.Registration;
import dev.juggler.broker.ResultListener;
import dev.juggler.broker.support.ResultListeners;
import dev.juggler.protocol.message.MsgIds;
import dev.juggler.protocol.message.RawJson;
import dev.juggler.protocol.message.Res;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

/**
 * One node's results: counted per connection while they wait, then handed on the node's dispatcher
 * to the listener registered for their connection, if their call's deadline has not passed. Results
 * for connections not registered (closed, or never seen) are dropped.
 *
 * <p>Thread-safe. A result counts against its connection's capacity from {@link #offer} until the
 * dispatcher takes it up, as in Redis it counts until the node pops it.
 */
public final class ResultInbox {

  private final DeliveryThread dispatcher;
  private final BrokerStats stats;
  private final ResultListeners registrations = new ResultListeners(conn -> {});
  private final Map<UUID, Integer> waiting = new ConcurrentHashMap<>();

  public ResultInbox(DeliveryThread dispatcher, BrokerStats stats) {
    this.dispatcher = dispatcher;
    this.stats = stats;
  }

  /** See {@link dev.juggler.broker.CallerBroker#results}; starts the dispatcher. */
  public Registration register(UUID connUuid, ResultListener listener) {
    Registration reg = registrations.register(connUuid, listener);
    dispatcher.start();
    return reg;
  }

  /**
   * Queues the result of {@code call} for delivery.
   *
   * @param capacity results that may wait for the connection; 0 for no limit
   * @throws BrokerException with code 429 when that many wait already
   */
  public void offer(IncomingCall call, RawJson result, int capacity) throws BrokerException {
    boolean[] full = new boolean[1];
    waiting.compute(
        call.connUuid(),
        (conn, n) -> {
          int count = n == null ? 0 : n;
          full[0] = capacity > 0 && count >= capacity;
          return full[0] ? n : Integer.valueOf(count + 1);
        });
    if (full[0]) {
      throw BrokerException.capacityExceeded("result");
    }
    dispatcher.submit(() -> deliver(call, result));
  }

  /** Runs on the dispatcher. */
  private void deliver(IncomingCall call, RawJson result) {
    waiting.computeIfPresent(call.connUuid(), (conn, n) -> n <= 1 ? null : n - 1);
    if (call.remainingNanos() <= 0) {
      stats.expiredResults(1);
      return;
    }
    ResultListener listener = registrations.get(call.connUuid());
    if (listener != null) {
      stats.result();
      listener.onResult(new Res(MsgIds.next(), call.callUuid(), call.uri(), result));
    }
  }
}
