package dev.juggler.broker.memory.internal;

import dev.juggler.broker.BrokerException;
import dev.juggler.broker.BrokerStats;
import dev.juggler.broker.IncomingCall;
import dev.juggler.broker.Registration;
import dev.juggler.broker.ResultListener;
import dev.juggler.protocol.message.MsgIds;
import dev.juggler.protocol.message.RawJson;
import dev.juggler.protocol.message.Res;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;

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
  private final Map<UUID, Reg> registrations = new ConcurrentHashMap<>();
  private final Map<UUID, Integer> waiting = new ConcurrentHashMap<>();

  public ResultInbox(DeliveryThread dispatcher, BrokerStats stats) {
    this.dispatcher = dispatcher;
    this.stats = stats;
  }

  /** See {@link dev.juggler.broker.CallerBroker#results}; starts the dispatcher. */
  public Registration register(UUID connUuid, ResultListener listener) {
    Reg reg = new Reg(connUuid, listener);
    registrations.put(connUuid, reg);
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
    Reg reg = registrations.get(call.connUuid());
    if (reg != null) {
      stats.result();
      reg.listener.onResult(new Res(MsgIds.next(), call.callUuid(), call.uri(), result));
    }
  }

  /** A registration; the map holds it so that closing an old one cannot remove a newer one. */
  private final class Reg implements Registration {
    private final UUID connUuid;
    private final ResultListener listener;
    private final AtomicBoolean closed = new AtomicBoolean();

    Reg(UUID connUuid, ResultListener listener) {
      this.connUuid = connUuid;
      this.listener = listener;
    }

    @Override
    public void close() {
      if (closed.compareAndSet(false, true)) {
        registrations.remove(connUuid, this);
      }
    }
  }
}
