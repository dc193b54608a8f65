package dev.juggler.broker;

import dev.juggler.protocol.message.RawJson;
import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Objects;

/**
 * The callee side of RPC: takes queued calls and stores their results.
 *
 * <p>Implementations are thread-safe; each thread blocked in {@link #take} holds one store
 * connection, so a callee process holds a number of connections set by its worker count.
 *
 * <p>Liveness: a callee process that serves URIs says so with {@link #heartbeat} again and again,
 * each time for a short time-to-live, and with {@link #leave} when it stops cleanly. Server nodes
 * read the URIs that at least one live callee serves with {@link CallerBroker#liveUris()}. Each
 * callee process has an id of its own, so that processes serving the same URI come and go
 * independently, and a process that crashes disappears once its last time-to-live has passed.
 */
public interface CalleeBroker {

  /**
   * Takes the next call for one of {@code uris}, waiting up to {@code wait} for one to come.
   * Expired calls are discarded, never returned. A busy URI cannot starve the others: the URIs'
   * queues come first in turn (one take in as many as there are URIs), except that on a Redis
   * Cluster a thread looks first at the slot of its last call for up to eight takes in a row, then
   * at it last; a lone taking thread serves every URI with calls waiting within ten takes.
   *
   * @return the call, or {@code null} when none came in time
   * @throws BrokerException with code 503 when the store cannot be reached, 504 when it gave no
   *     answer in time (a call it popped meanwhile is lost: it expires for its caller)
   */
  IncomingCall take(List<String> uris, Duration wait) throws BrokerException;

  /**
   * Stores the result of {@code call} for its caller, with the time-to-live the call has left.
   *
   * @return false when the call had expired and the result was dropped
   * @throws BrokerException with code 429 when the caller's results are at capacity (the result is
   *     dropped), 503 when the store cannot be reached, 504 when it gave no answer in time (the
   *     result may or may not have been stored)
   */
  boolean result(IncomingCall call, RawJson result) throws BrokerException;

  /** How storing a result went; see {@link #resultsThenTake}. */
  interface ResultReport {
    /** Stored ({@code true}), or dropped because the call had expired ({@code false}). */
    void stored(boolean stored);

    /**
     * Not stored, or not known to be: a {@link BrokerException} as {@link #result} throws it, or a
     * runtime failure of the store's client.
     */
    void failed(Exception failure);
  }

  /**
   * Takes up to {@code max} calls, as {@link #take} takes one: in one round trip where the store
   * can (on Redis, the first call and those waiting at the head of one URI's queue). For a worker
   * that runs calls one after the other: the calls after the first wait for it. The default takes
   * one.
   *
   * @param max how many calls at most, at least 1
   * @return the calls, in queue order; empty when none came in time
   * @throws BrokerException as {@link #take} throws it
   */
  default List<IncomingCall> take(List<String> uris, Duration wait, int max)
      throws BrokerException {
    if (max < 1) {
      throw new IllegalArgumentException("max must be at least 1");
    }
    IncomingCall call = take(uris, wait);
    return call == null ? List.of() : List.of(call);
  }

  /** A call's result to store, and where to tell how storing it went. */
  record Finished(IncomingCall call, RawJson result, ResultReport report) {
    public Finished {
      Objects.requireNonNull(call, "call");
      Objects.requireNonNull(result, "result");
      Objects.requireNonNull(report, "report");
    }
  }

  /**
   * Stores the result of {@code call} as {@link #result} does, then takes the next call as {@link
   * #take} does: {@link #resultsThenTake} with one result and one call.
   *
   * @return the next call, or {@code null} when none came in time
   * @throws BrokerException as {@link #take} throws it
   */
  default IncomingCall resultThenTake(
      IncomingCall call, RawJson result, ResultReport report, List<String> uris, Duration wait)
      throws BrokerException {
    List<IncomingCall> next =
        resultsThenTake(List.of(new Finished(call, result, report)), uris, wait, 1);
    return next.isEmpty() ? null : next.get(0);
  }

  /**
   * Stores the results of {@code finished} as {@link #result} does, telling each one's report how
   * it went (a failure too: this does not throw) before this returns. A store that can send several
   * in one round trip does (on Redis, those for one node). The default stores them one by one.
   */
  default void results(List<Finished> finished) {
    for (Finished f : finished) {
      try {
        f.report().stored(result(f.call(), f.result()));
      } catch (BrokerException | RuntimeException e) {
        f.report().failed(e);
      }
    }
  }

  /**
   * Stores the results of {@code finished} as {@link #results} does, then takes up to {@code max}
   * calls as {@link #take(List, Duration, int)} does. A store that can do it all in one round trip
   * does (a callee that keeps up then pays one round trip per take, whatever the number of
   * results); on a Redis Cluster the results for one node go in one round trip, the take in
   * another. How each store went is told to its report before this returns or throws, whatever the
   * take does. The default stores them, then takes.
   *
   * @return the calls taken, in queue order; empty when none came in time
   * @throws BrokerException as {@link #take} throws it
   */
  default List<IncomingCall> resultsThenTake(
      List<Finished> finished, List<String> uris, Duration wait, int max) throws BrokerException {
    results(finished);
    return take(uris, wait, max);
  }

  /**
   * Marks {@code uris} as served by callee {@code calleeId} for the next {@code ttl}, replacing
   * what an earlier heartbeat of the same callee said about these URIs. Call it again well within
   * the time-to-live (a third of it, say) to stay live.
   *
   * @param uris the URIs served, none holding a newline; an empty collection does nothing
   * @param calleeId this callee process's id, the same for all its heartbeats, holding no newline
   * @param ttl how long the mark lasts without a further heartbeat; positive
   * @throws BrokerException with code 400 for a URI or id with a newline or a ttl that is not
   *     positive, 503 when the store cannot be reached
   */
  void heartbeat(Collection<String> uris, String calleeId, Duration ttl) throws BrokerException;

  /**
   * Removes at once what {@link #heartbeat} said about {@code uris} for callee {@code calleeId},
   * and nothing about other callees: a URI that another live callee serves stays live.
   *
   * @throws BrokerException with code 503 when the store cannot be reached (the marks then expire
   *     with their time-to-live)
   */
  void leave(Collection<String> uris, String calleeId) throws BrokerException;
}
