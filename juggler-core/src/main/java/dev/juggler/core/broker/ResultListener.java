package dev.juggler.core.broker;

import dev.juggler.core.message.Res;

/** Receives the results of a connection's calls; called on a broker thread, must not block. */
@FunctionalInterface
public interface ResultListener {
  void onResult(Res res);
}
