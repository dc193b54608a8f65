package dev.juggler.core.broker;

import dev.juggler.core.message.RawJson;
import java.time.Duration;
import java.util.List;

/**
 * The callee side of RPC: takes queued calls and stores their results.
 *
 * <p>Implementations are thread-safe; each thread blocked in {@link #take} holds one store
 * connection, so a callee process holds a number of connections set by its worker count.
 */
public interface CalleeBroker {

  /**
   * Takes the next call for one of {@code uris}, waiting up to {@code wait} for one to come.
   * Expired calls are discarded, never returned.
   *
   * @return the call, or {@code null} when none came in time
   * @throws BrokerException with code 503 when the store cannot be reached
   */
  IncomingCall take(List<String> uris, Duration wait) throws BrokerException;

  /**
   * Stores the result of {@code call} for its caller, with the time-to-live the call has left.
   *
   * @return false when the call had expired and the result was dropped
   * @throws BrokerException with code 429 when the caller's results are at capacity (the result is
   *     dropped), 503 when the store cannot be reached
   */
  boolean result(IncomingCall call, RawJson result) throws BrokerException;
}
