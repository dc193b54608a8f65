package dev.juggler.broker.support;

import dev.juggler.broker.Registration;
import dev.juggler.broker.ResultListener;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;

/**
 * A node's result listeners, one per connection UUID, as {@link
 * dev.juggler.broker.CallerBroker#results} registers them. A newer registration for a connection
 * replaces the older one, and closing the older one then removes nothing: the map holds the
 * registration itself, not only its listener. Thread-safe.
 */
public final class ResultListeners {
  private final Map<UUID, Reg> byConn = new ConcurrentHashMap<>();
  private final Consumer<UUID> removed;

  /**
   * @param removed told the connection UUID when a registration is closed and was still the current
   *     one (once per registration)
   */
  public ResultListeners(Consumer<UUID> removed) {
    this.removed = removed;
  }

  /** Registers {@code listener} for the results of {@code connUuid}, replacing any before it. */
  public Registration register(UUID connUuid, ResultListener listener) {
    Reg reg = new Reg(connUuid, listener);
    byConn.put(connUuid, reg);
    return reg;
  }

  /** The listener registered for {@code connUuid}, or null when none is. */
  public ResultListener get(UUID connUuid) {
    Reg reg = byConn.get(connUuid);
    return reg == null ? null : reg.listener;
  }

  private final class Reg implements Registration {
    private final UUID connUuid;
    private final ResultListener listener;
    private final AtomicBoolean closed = new AtomicBoolean();

    Reg(UUID connUuid, ResultListener listener) {
      this.connUuid = connUuid;
      this.listener = listener;
    }

    @Override
    public void close() {
      if (closed.compareAndSet(false, true) && byConn.remove(connUuid, this)) {
        removed.accept(connUuid);
      }
    }
  }
}
