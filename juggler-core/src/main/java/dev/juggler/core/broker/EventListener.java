package dev.juggler.core.broker;

import dev.juggler.core.message.Evnt;

/** Receives events; called on a broker thread, must not block. */
@FunctionalInterface
public interface EventListener {
  void onEvent(Evnt evnt);
}
