package dev.juggler.tools.client;

import dev.juggler.client.CallExpiredException;
import dev.juggler.client.ClientOptions;
import dev.juggler.client.ConnectionState;
import dev.juggler.client.JugglerClient;
import dev.juggler.client.NackException;
import dev.juggler.protocol.message.Evnt;
import dev.juggler.protocol.message.MsgType;
import dev.juggler.protocol.message.RawJson;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.PrintStream;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * An interactive session over any number of connections, numbered from 1. Commands come one a line;
 * answers are printed as they arrive, one line each, prefixed with the connection number. {@link
 * #run} is meant for one thread; output lines come from the clients' threads too.
 */
public final class ClientSession implements AutoCloseable {

  static final String HELP =
      String.join(
          System.lineSeparator(),
          "connect <url> [allowed]              open a connection (allowed: e.g. call,pub)",
          "call <conn#> <uri> <json args> [timeoutMs]",
          "sub <conn#> <channel> [pattern]      subscribe (pattern: the channel is a glob)",
          "unsb <conn#> <channel> [pattern]     unsubscribe",
          "pub <conn#> <channel> <json args>    publish",
          "close <conn#>                        close a connection",
          "help | exit");

  private static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(10);

  private final PrintStream out;
  private final Map<Integer, JugglerClient> clients = new ConcurrentHashMap<>();
  private final List<CompletableFuture<?>> pending = new ArrayList<>();
  private final AtomicInteger lastConnection = new AtomicInteger();
  private final AtomicInteger lastRequest = new AtomicInteger();

  public ClientSession(PrintStream out) {
    this.out = out;
  }

  /** Reads and runs commands until EOF or {@code exit}, then waits for the pending answers. */
  public void run(BufferedReader in) throws IOException {
    String line;
    while ((line = in.readLine()) != null) {
      if (!execute(line)) {
        break;
      }
    }
    awaitPending();
  }

  /**
   * Runs one command line.
   *
   * @return false on {@code exit}
   */
  boolean execute(String line) {
    String trimmed = line.trim();
    if (trimmed.isEmpty() || trimmed.startsWith("#")) {
      return true;
    }
    String[] words = trimmed.split("\\s+", 2);
    String rest = words.length > 1 ? words[1] : "";
    try {
      switch (words[0].toLowerCase(Locale.ROOT)) {
        case "exit":
        case "quit":
          return false;
        case "help":
          out.println(HELP);
          break;
        case "connect":
          connect(rest);
          break;
        case "call":
          call(rest);
          break;
        case "sub":
        case "unsb":
          subscription(words[0].toLowerCase(Locale.ROOT).equals("sub"), rest);
          break;
        case "pub":
          publish(rest);
          break;
        case "close":
          close(rest);
          break;
        default:
          out.println("unknown command '" + words[0] + "' (try help)");
      }
    } catch (RuntimeException e) {
      out.println("error: " + e.getMessage());
    }
    return true;
  }

  private void connect(String rest) {
    String[] a = args(rest, 1, 2, "connect <url> [allowed]");
    int n = lastConnection.incrementAndGet();
    // The listener runs on the client's delivery thread: its CONNECTED would race with the lines
    // printed here and by the next commands, and its CLOSED with the end of the program. This
    // thread prints those two itself, in order; the listener reports the rest (a lost connection).
    ClientOptions options =
        ClientOptions.defaults()
            .connectionListener(
                (state, cause) -> {
                  if (state != ConnectionState.CONNECTED && state != ConnectionState.CLOSED) {
                    out.println(
                        "[" + n + "] " + state + (cause == null ? "" : ": " + cause.getMessage()));
                  }
                });
    if (a.length == 2) {
      options = options.allowedMessages(allowed(a[1]));
    }
    clients.put(n, JugglerClient.connect(URI.create(a[0]), options));
    out.println("[" + n + "] connected to " + a[0]);
  }

  private void call(String rest) {
    String[] a = rest.split("\\s+", 3);
    if (a.length < 3) {
      throw new IllegalArgumentException("usage: call <conn#> <uri> <json args> [timeoutMs]");
    }
    CallLine c = CallLine.parse(a[2], DEFAULT_TIMEOUT);
    int n = number(a[0]);
    JugglerClient client = client(n);
    int id = lastRequest.incrementAndGet();
    String tag = "[" + n + "] call#" + id + " " + a[1];
    out.println(tag + " sent");
    track(
        client
            .call(a[1], new RawJson(c.args()), c.timeout())
            .whenComplete(
                (r, e) -> out.println(tag + (e == null ? " RES " + r.text() : failure(e)))));
  }

  private void subscription(boolean subscribe, String rest) {
    String[] a = args(rest, 2, 3, (subscribe ? "sub" : "unsb") + " <conn#> <channel> [pattern]");
    int n = number(a[0]);
    boolean pattern = a.length == 3 && a[2].equalsIgnoreCase("pattern");
    JugglerClient c = client(n);
    String channel = a[1];
    CompletableFuture<Void> f;
    if (subscribe) {
      f =
          pattern
              ? c.psubscribe(channel, e -> event(n, e))
              : c.subscribe(channel, e -> event(n, e));
    } else {
      f = pattern ? c.punsubscribe(channel) : c.unsubscribe(channel);
    }
    String tag =
        "[" + n + "] " + (subscribe ? "sub " : "unsb ") + channel + (pattern ? " (pattern)" : "");
    track(f.whenComplete((v, e) -> out.println(tag + (e == null ? " ACK" : failure(e)))));
  }

  private void publish(String rest) {
    String[] a = rest.split("\\s+", 3);
    if (a.length < 3) {
      throw new IllegalArgumentException("usage: pub <conn#> <channel> <json args>");
    }
    int n = number(a[0]);
    String tag = "[" + n + "] pub " + a[1];
    track(
        client(n)
            .publish(a[1], new RawJson(a[2]))
            .whenComplete((v, e) -> out.println(tag + (e == null ? " ACK" : failure(e)))));
  }

  private void close(String rest) {
    int n = number(args(rest, 1, 1, "close <conn#>")[0]);
    JugglerClient c = clients.remove(n);
    if (c == null) {
      throw new IllegalArgumentException("no connection " + n);
    }
    c.close();
    out.println("[" + n + "] CLOSED");
  }

  private void event(int n, Evnt e) {
    out.println(
        "["
            + n
            + "] EVNT "
            + e.channel()
            + (e.pattern() == null ? "" : " (pattern " + e.pattern() + ")")
            + " "
            + e.args().text());
  }

  static String failure(Throwable e) {
    Throwable cause = e instanceof CompletionException && e.getCause() != null ? e.getCause() : e;
    if (cause instanceof NackException) {
      NackException nack = (NackException) cause;
      return " NACK " + nack.code() + " " + nack.reason();
    }
    if (cause instanceof CallExpiredException) {
      return " EXPIRED";
    }
    return " FAILED " + cause.getMessage();
  }

  static Set<MsgType> allowed(String list) {
    Set<MsgType> types = EnumSet.noneOf(MsgType.class);
    for (String t : list.split(",")) {
      MsgType type = MsgType.valueOf(t.trim().toUpperCase(Locale.ROOT));
      if (!type.isRead()) {
        throw new IllegalArgumentException("not a request type: " + t);
      }
      types.add(type);
    }
    return types;
  }

  private synchronized void track(CompletableFuture<?> f) {
    pending.add(f);
  }

  private void awaitPending() {
    List<CompletableFuture<?>> all;
    synchronized (this) {
      all = new ArrayList<>(pending);
    }
    // each ends by its timeout, its ack timeout or the loss of its connection
    for (CompletableFuture<?> f : all) {
      f.handle((v, e) -> null).join();
    }
  }

  private JugglerClient client(int n) {
    JugglerClient c = clients.get(n);
    if (c == null) {
      throw new IllegalArgumentException("no connection " + n);
    }
    return c;
  }

  private static int number(String s) {
    try {
      return Integer.parseInt(s);
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("not a connection number: " + s);
    }
  }

  private static String[] args(String rest, int min, int max, String usage) {
    String[] a = rest.isEmpty() ? new String[0] : rest.split("\\s+");
    if (a.length < min || a.length > max) {
      throw new IllegalArgumentException("usage: " + usage);
    }
    return a;
  }

  @Override
  public void close() {
    clients.forEach(
        (n, c) -> {
          c.close();
          out.println("[" + n + "] CLOSED");
        });
    clients.clear();
  }
}
