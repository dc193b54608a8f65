package dev.juggler.tools.load;

import dev.juggler.client.ClientOptions;
import java.net.http.HttpClient;
import java.time.Duration;

/**
 * The connections of a load run share one {@link HttpClient} whose selector thread also completes
 * the futures and runs the listeners: the load tool then costs a few threads however many
 * connections it opens, and leaves the CPU to the server it measures.
 */
final class LoadClients {
  private LoadClients() {}

  static ClientOptions options() {
    HttpClient http = HttpClient.newBuilder().executor(Runnable::run).build();
    return ClientOptions.defaults().httpClient(http).listenerExecutor(Runnable::run);
  }

  /** {@link #options()} with {@code wait} as the connect and ACK timeouts. */
  static ClientOptions options(Duration wait) {
    return options().connectTimeout(wait).ackTimeout(wait);
  }
}
