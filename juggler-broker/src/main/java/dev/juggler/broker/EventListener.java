package dev.juggler.broker;

import dev.juggler.protocol.message.Evnt;

/** Receives events; called on a broker thread, must not block. */
@FunctionalInterface
public interface EventListener {
  void onEvent(Evnt evnt);
}
