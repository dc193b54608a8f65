package dev.juggler.web.handler;

import dev.juggler.broker.BrokerException;
import dev.juggler.broker.CallRequest;
import dev.juggler.broker.CallerBroker;
import dev.juggler.broker.PubSubBroker;
import dev.juggler.protocol.message.Ack;
import dev.juggler.protocol.message.Call;
import dev.juggler.protocol.message.MetaUris;
import dev.juggler.protocol.message.Msg;
import dev.juggler.protocol.message.NackCode;
import dev.juggler.protocol.message.Pub;
import dev.juggler.protocol.message.Request;
import dev.juggler.protocol.message.Response;
import dev.juggler.protocol.message.Sub;
import dev.juggler.protocol.message.Unsb;
import dev.juggler.web.config.ServerConfig;
import dev.juggler.web.conn.Conn;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The standard processing of every message, the last link of the handler chain: requests go to the
 * brokers and are answered with ACK or NACK; responses are written to the client. A CALL to the
 * meta URI {@link MetaUris#LIVE_URIS} is answered here by the node itself ({@link
 * LiveUris#answer}), so that every decorator sees it as any other CALL (an authorization handler
 * may refuse it) and its ACK and RES take the normal way out.
 */
@ApplicationScoped
public class StandardHandler implements Handler {
  private static final Logger LOG = Logger.getLogger(StandardHandler.class.getName());

  /** Longest URI or channel name accepted, in characters. */
  static final int MAX_NAME_LENGTH = 1024;

  /**
   * Longest pattern a SUB may subscribe to, in characters. Redis matches every pattern against
   * every published channel, in time up to the product of their lengths: 100 patterns of 256
   * characters ({@code *aaa…b}) made each PUBLISH of a 1024-character channel take 28 ms on Redis
   * 7.0, blocking the server meanwhile; 1024-character patterns twice that.
   */
  static final int MAX_PATTERN_LENGTH = 256;

  @Inject CallerBroker caller;
  @Inject PubSubBroker pubsub;
  @Inject ServerConfig config;
  @Inject LiveUris liveUris;

  @Override
  public void handle(MsgContext ctx) {
    Msg msg = ctx.msg();
    Conn conn = ctx.conn();
    if (msg instanceof Response response) {
      conn.write(response);
    } else if (msg instanceof Call call) {
      call(ctx, call);
    } else if (msg instanceof Pub pub) {
      if (validName(ctx, pub.channel(), "channel")) {
        publish(ctx, pub);
      }
    } else if (msg instanceof Sub sub) {
      if (validName(ctx, sub.channel(), "channel") && validPattern(ctx, sub)) {
        answer(ctx, sub, () -> conn.subscriber().subscribe(sub.channel(), sub.pattern()));
      }
    } else if (msg instanceof Unsb unsb) {
      if (validName(ctx, unsb.channel(), "channel")) {
        answer(ctx, unsb, () -> conn.subscriber().unsubscribe(unsb.channel(), unsb.pattern()));
      }
    }
  }

  private void call(MsgContext ctx, Call call) {
    if (!validName(ctx, call.uri(), "uri")) {
      return;
    }
    Duration timeout = call.timeout();
    if (timeout.isNegative()) {
      ctx.nack(NackCode.BAD_REQUEST, "timeout must not be negative");
      return;
    }
    if (timeout.isZero()) {
      timeout = config.callDefaultTimeout();
    }
    Conn conn = ctx.conn();
    if (MetaUris.isMeta(call.uri())) {
      // The node answers it itself; nothing goes to the broker. Its RES is due as any other's.
      conn.holdResults(call.uuid(), timeout);
      try {
        liveUris.answer(ctx, call);
      } finally {
        conn.releaseResults(call.uuid());
      }
      return;
    }
    conn.ensureResultDelivery();
    CallRequest request =
        new CallRequest(call.uuid(), conn.uuid(), call.uri(), call.args(), timeout);
    // A fast callee's result must not reach the client before the ACK.
    conn.holdResults(call.uuid(), timeout);
    try {
      answer(ctx, call, () -> caller.call(request));
    } finally {
      conn.releaseResults(call.uuid());
    }
  }

  private void publish(MsgContext ctx, Pub pub) {
    // publisher flow control: while the node's writers are behind, the PUB is held
    Conn conn = ctx.conn();
    conn.publishWhenRoom(
        pub.channel(),
        pub.uuid(),
        () ->
            answer(
                ctx,
                pub,
                () -> {
                  try {
                    pubsub.publish(pub.channel(), pub.uuid(), pub.args());
                  } catch (BrokerException | RuntimeException e) {
                    conn.publishFailed(pub.uuid());
                    throw e;
                  }
                }));
  }

  private interface BrokerAction {
    void run() throws BrokerException;
  }

  private static void answer(MsgContext ctx, Request request, BrokerAction action) {
    try {
      action.run();
    } catch (BrokerException e) {
      LOG.log(Level.FINE, e, () -> request.type() + " " + request.uuid() + " rejected");
      ctx.nack(e.code(), e.getMessage());
      return;
    }
    ctx.conn().send(Ack.of(request));
  }

  private static boolean validName(MsgContext ctx, String name, String what) {
    String problem = nameProblem(name, what);
    if (problem != null) {
      ctx.nack(NackCode.BAD_REQUEST, problem);
      return false;
    }
    return true;
  }

  private static boolean validPattern(MsgContext ctx, Sub sub) {
    if (sub.pattern() && sub.channel().length() > MAX_PATTERN_LENGTH) {
      ctx.nack(
          NackCode.BAD_REQUEST, "pattern is longer than " + MAX_PATTERN_LENGTH + " characters");
      return false;
    }
    return true;
  }

  /** Why {@code name} is not a valid URI or channel, or {@code null} when it is. */
  static String nameProblem(String name, String what) {
    if (name == null || name.isEmpty()) {
      return what + " is required";
    }
    if (name.length() > MAX_NAME_LENGTH) {
      return what + " is longer than " + MAX_NAME_LENGTH + " characters";
    }
    for (int i = 0; i < name.length(); i++) {
      if (Character.isISOControl(name.charAt(i))) {
        return what + " must not contain control characters";
      }
    }
    return null;
  }
}
