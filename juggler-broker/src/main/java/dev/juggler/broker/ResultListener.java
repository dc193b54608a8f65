package dev.juggler.broker;

import dev.juggler.protocol.message.Res;

/** Receives the results of a connection's calls; called on a broker thread, must not block. */
@FunctionalInterface
public interface ResultListener {
  void onResult(Res res);
}
