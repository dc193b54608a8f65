package dev.juggler.client.internal;

import dev.juggler.client.NackException;
import dev.juggler.client.internal.Subscriptions.Key;
import dev.juggler.protocol.codec.MsgCodec;
import dev.juggler.protocol.codec.ProtocolException;
import dev.juggler.protocol.message.Ack;
import dev.juggler.protocol.message.Evnt;
import dev.juggler.protocol.message.Msg;
import dev.juggler.protocol.message.MsgType;
import dev.juggler.protocol.message.Nack;
import dev.juggler.protocol.message.RawJson;
import dev.juggler.protocol.message.Res;
import java.lang.System.Logger.Level;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;

/**
 * Routes what the server sends: RES to its pending call, ACK and NACK to their pending request,
 * EVNT to its subscription's listener on the delivery executor.
 *
 * <p>{@link #receive} is called by one thread at a time (a link's reader), so events enter the
 * single-threaded delivery executor in the order they came.
 */
public final class Dispatcher {
  private static final System.Logger LOG = System.getLogger(Dispatcher.class.getName());

  private final PendingRequests<RawJson> calls;
  private final PendingRequests<Void> acks;
  private final Subscriptions subscriptions;
  private final Executor delivery;

  /**
   * @param delivery a single-threaded executor for listeners
   */
  public Dispatcher(
      PendingRequests<RawJson> calls,
      PendingRequests<Void> acks,
      Subscriptions subscriptions,
      Executor delivery) {
    this.calls = calls;
    this.acks = acks;
    this.subscriptions = subscriptions;
    this.delivery = delivery;
  }

  /** Handles one frame from the server; an invalid one is logged and ignored. */
  public void receive(String frame) {
    Msg m;
    try {
      m = MsgCodec.decode(frame);
    } catch (ProtocolException e) {
      LOG.log(Level.WARNING, "ignoring an invalid frame from the server: " + e.getMessage());
      return;
    }
    if (m instanceof Res res) {
      calls.complete(res.forUuid(), res.args());
    } else if (m instanceof Ack ack) {
      // a CALL's ACK only says it was queued: its future waits for the RES
      if (ack.forType() != MsgType.CALL) {
        acks.complete(ack.forUuid(), null);
      }
    } else if (m instanceof Nack nack) {
      NackException e = new NackException(nack.code(), nack.message());
      if (!calls.fail(nack.forUuid(), e)) {
        acks.fail(nack.forUuid(), e);
      }
    } else if (m instanceof Evnt ev) {
      deliver(ev);
    }
  }

  private void deliver(Evnt ev) {
    Key key = ev.pattern() != null ? new Key(ev.pattern(), true) : new Key(ev.channel(), false);
    runOnDelivery(
        () -> {
          // looked up now, so that an unsubscribed listener gets nothing more
          Subscriptions.Entry entry = subscriptions.get(key);
          if (entry != null) {
            entry.listener().onEvent(ev);
          }
        });
  }

  /** Runs a listener on the delivery thread; what it throws is logged. Nothing runs once closed. */
  public void runOnDelivery(Runnable task) {
    try {
      delivery.execute(
          () -> {
            try {
              task.run();
            } catch (RuntimeException | Error e) {
              LOG.log(Level.WARNING, "a listener threw", e);
            }
          });
    } catch (RejectedExecutionException e) {
      // the client is closed
    }
  }
}
