package dev.juggler.web.handler;

import dev.juggler.web.conn.Chain;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;

/** Makes the decorated {@link Handler} bean the connections' {@link Chain}. */
@ApplicationScoped
class HandlerChain {

  @Produces
  @ApplicationScoped
  Chain chain(Handler handler) {
    return (conn, msg) -> handler.handle(new MsgContext(conn, msg));
  }
}
