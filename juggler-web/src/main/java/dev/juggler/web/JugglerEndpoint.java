package dev.juggler.web;

import dev.juggler.protocol.codec.ProtocolException;
import dev.juggler.protocol.message.MsgType;
import dev.juggler.web.conn.Conn;
import dev.juggler.web.conn.ConnRegistry;
import dev.juggler.web.conn.ContainerErrors;
import dev.juggler.web.security.HandshakeIdentity;
import jakarta.inject.Inject;
import jakarta.websocket.CloseReason;
import jakarta.websocket.OnClose;
import jakarta.websocket.OnError;
import jakarta.websocket.OnMessage;
import jakarta.websocket.OnOpen;
import jakarta.websocket.PongMessage;
import jakarta.websocket.Session;
import jakarta.websocket.server.ServerEndpoint;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The juggler.0 endpoint. One instance per connection; the container calls it one event at a time.
 */
@ServerEndpoint(
    value = "/ws",
    subprotocols = {Handshake.SUBPROTOCOL},
    configurator = Handshake.class)
public class JugglerEndpoint {

  @Inject ConnRegistry registry;

  private Conn conn;
  private Throwable error;

  @OnOpen
  public void open(Session session) {
    // Jakarta WebSocket 2.1: what modifyHandshake put in its per-connection copy of the user
    // properties becomes the session's user properties, so concurrent handshakes cannot mix.
    Map<String, Object> props = session.getUserProperties();
    Object refused = props.get(Handshake.REFUSED);
    if (refused != null || props.get(Handshake.HEADERS) == null) {
      // Past the handshake filter somehow (see Handshake): never served, closed before any read.
      registry.refuse(session, refused != null ? refused.toString() : "handshake not checked");
      return;
    }
    @SuppressWarnings("unchecked")
    Set<MsgType> allowed = (Set<MsgType>) props.get(Handshake.ALLOWED);
    @SuppressWarnings("unchecked")
    Map<String, List<String>> headers = (Map<String, List<String>>) props.get(Handshake.HEADERS);
    conn = registry.open(session, allowed, headers);
    HandshakeIdentity.attach(conn, props);
    // The connection holds its own copies now: the handshake's (all named juggler.*) would
    // otherwise stay in the session for as long as the connection lasts.
    props.keySet().removeIf(key -> key.startsWith("juggler."));
    if (!Handshake.SUBPROTOCOL.equals(session.getNegotiatedSubprotocol())) {
      conn.violation(
          new ProtocolException(
              ProtocolException.POLICY_VIOLATION, "the juggler.0 subprotocol is required"));
    }
  }

  @OnMessage
  public void text(String text) {
    if (conn != null) {
      conn.onText(text);
    }
  }

  @OnMessage
  public void binary(ByteBuffer data) {
    if (conn != null) {
      conn.violation(
          new ProtocolException(
              ProtocolException.UNSUPPORTED_DATA, "binary frames are not supported"));
    }
  }

  /** The answer to one of the pings of dead-peer detection (or an unsolicited pong). */
  @OnMessage
  public void pong(PongMessage pong) {
    if (conn != null) {
      conn.onPong();
    }
  }

  @OnError
  public void error(Throwable cause) {
    error = cause;
  }

  @OnClose
  public void close(CloseReason reason) {
    // The container calls this before it writes its close frame, whose reason may name its
    // classes and ours (a frame it refused): the client gets a plain reason instead.
    ContainerErrors.plainReason(reason);
    if (conn != null) {
      registry.closed(conn, reason, error);
    }
  }
}
