package dev.juggler.broker;

import dev.juggler.protocol.message.Evnt;

/** Receives events; called on a broker thread, must not block. */
@FunctionalInterface
public interface EventSink {
  void onEvent(Evnt evnt);
}
