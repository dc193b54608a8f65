package dev.juggler.tools.load;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import java.util.StringJoiner;
import java.util.TreeMap;

/**
 * The server's counters from {@code /metrics?scope=application} (Prometheus text), read before and
 * after a run to print what the run cost the server.
 */
final class CounterScrape {

  private CounterScrape() {}

  /** The metrics address of the server behind a WebSocket URL ({@code ws://h:p/ws}). */
  static URI metricsUri(URI ws) {
    String scheme = "wss".equalsIgnoreCase(ws.getScheme()) ? "https" : "http";
    return URI.create(scheme + "://" + ws.getRawAuthority() + "/metrics?scope=application");
  }

  /** Fetches the counters ({@code *_total}, named without the suffix). */
  static Map<String, Double> fetch(URI ws) throws IOException, InterruptedException {
    HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    HttpRequest req =
        HttpRequest.newBuilder(metricsUri(ws)).timeout(Duration.ofSeconds(10)).GET().build();
    HttpResponse<String> res = http.send(req, HttpResponse.BodyHandlers.ofString());
    if (res.statusCode() != 200) {
      throw new IOException("GET " + req.uri() + ": HTTP " + res.statusCode());
    }
    return counters(res.body());
  }

  /** The counters of a Prometheus text body: {@code name_total{labels} value}. */
  static Map<String, Double> counters(String body) {
    Map<String, Double> counters = new TreeMap<>();
    for (String line : body.split("\n")) {
      if (line.startsWith("#") || line.isBlank()) {
        continue;
      }
      int brace = line.indexOf('{');
      int space = line.lastIndexOf(' ');
      String name = line.substring(0, brace > 0 ? brace : Math.max(space, 0));
      if (name.endsWith("_total") && space > 0) {
        counters.merge(
            name.substring(0, name.length() - "_total".length()),
            Double.parseDouble(line.substring(space + 1).trim()),
            Double::sum);
      }
    }
    return counters;
  }

  /** {@code server counters (delta): A +1, B +2}, the counters that moved, by name. */
  static String deltas(Map<String, Double> before, Map<String, Double> after) {
    StringJoiner j = new StringJoiner(", ", "server counters (delta): ", "");
    j.setEmptyValue("server counters (delta): none moved");
    for (Map.Entry<String, Double> e : new TreeMap<>(after).entrySet()) {
      long d = Math.round(e.getValue() - before.getOrDefault(e.getKey(), 0.0));
      if (d != 0) {
        j.add(e.getKey() + " " + (d > 0 ? "+" : "") + d);
      }
    }
    return j.toString();
  }
}
