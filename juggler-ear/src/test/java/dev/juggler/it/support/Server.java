package dev.juggler.it.support;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;

/** Where the test server listens, and its {@code /metrics}. */
public final class Server {
  private Server() {}

  /** The HTTP port the build reserved for the test server. */
  public static int httpPort() {
    String port = System.getProperty("juggler.it.http.port");
    if (port == null) {
      throw new IllegalStateException(
          "system property juggler.it.http.port is not set (run through Maven)");
    }
    return Integer.parseInt(port);
  }

  /** GETs a path of the server; returns status and body. */
  public static HttpResponse<String> get(String path) throws IOException, InterruptedException {
    return HttpClient.newHttpClient()
        .send(
            HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + httpPort() + path)).build(),
            HttpResponse.BodyHandlers.ofString());
  }

  /**
   * The value of one application counter or gauge in the Prometheus text of {@code /metrics}; for a
   * timer, {@code "CallLatency_seconds_count"} names its count.
   */
  public static double metric(String name) throws IOException, InterruptedException {
    return metric(get("/metrics?scope=application").body(), name);
  }

  /**
   * The value of one application metric with a tag, given as it reads in the Prometheus text
   * ({@code status="403"}).
   */
  public static double taggedMetric(String name, String tag)
      throws IOException, InterruptedException {
    String body = get("/metrics?scope=application").body();
    for (String line : body.split("\n")) {
      if ((line.startsWith(name + "_total{") || line.startsWith(name + "{"))
          && line.contains(tag)) {
        return Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
      }
    }
    throw new AssertionError(
        "metric " + name + " with " + tag + " not found in /metrics:\n" + body);
  }

  /** The value of one metric in a Prometheus text already read. */
  public static double metric(String body, String name) {
    for (String line : body.split("\n")) {
      if (line.startsWith(name + "_total{") || line.startsWith(name + "{")) {
        return Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
      }
    }
    throw new AssertionError("metric " + name + " not found in /metrics:\n" + body);
  }
}
