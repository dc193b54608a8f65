package dev.juggler.broker;

/** A registration with a broker that ends when closed. Closing twice is harmless. */
public interface Registration extends AutoCloseable {
  @Override
  void close();
}
