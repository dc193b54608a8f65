package dev.juggler.core.broker.redis;

import dev.juggler.core.broker.BrokerException;
import dev.juggler.core.broker.CallRequest;
import dev.juggler.core.broker.CalleeBroker;
import dev.juggler.core.broker.CallerBroker;
import dev.juggler.core.broker.EventListener;
import dev.juggler.core.broker.IncomingCall;
import dev.juggler.core.broker.PubSubBroker;
import dev.juggler.core.broker.Registration;
import dev.juggler.core.broker.ResultListener;
import dev.juggler.core.broker.Subscriber;
import dev.juggler.core.message.RawJson;
import java.time.Duration;
import java.util.List;
import java.util.UUID;

/**
 * The brokers on Redis. One instance serves one server node (or one callee process).
 *
 * <p>IMPLEMENTATION IN PROGRESS: signatures are fixed, bodies are being written.
 */
public final class RedisBroker implements CallerBroker, PubSubBroker, CalleeBroker, AutoCloseable {

  public RedisBroker(RedisBrokerConfig config) {
    throw new UnsupportedOperationException("not yet implemented");
  }

  /** This node's identity, used to route results back to it. */
  public String nodeId() {
    throw new UnsupportedOperationException();
  }

  @Override
  public void call(CallRequest call) throws BrokerException {
    throw new UnsupportedOperationException();
  }

  @Override
  public Registration results(UUID connUuid, ResultListener listener) {
    throw new UnsupportedOperationException();
  }

  @Override
  public void publish(String channel, UUID pubUuid, RawJson args) throws BrokerException {
    throw new UnsupportedOperationException();
  }

  @Override
  public Subscriber subscriber(EventListener listener) {
    throw new UnsupportedOperationException();
  }

  @Override
  public IncomingCall take(List<String> uris, Duration wait) throws BrokerException {
    throw new UnsupportedOperationException();
  }

  @Override
  public boolean result(IncomingCall call, RawJson result) throws BrokerException {
    throw new UnsupportedOperationException();
  }

  @Override
  public void close() {}
}
