package dev.juggler.web.security.internal;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The origins whose pages may open WebSockets ({@code juggler.security.allowed-origins}): exact
 * origins ({@code https://app.example.com}) and wildcard subdomains ({@code https://*.example.com},
 * any depth, not {@code example.com} itself). Scheme and host compare case-insensitively; a default
 * port (80 for http, 443 for https) may be written or left out. Immutable and thread-safe.
 */
public final class OriginAllowList {
  /** Every origin is allowed. */
  public static final OriginAllowList ANY = new OriginAllowList(List.of());

  private record Origin(String scheme, String host, int port) {}

  private final List<Origin> entries;

  private OriginAllowList(List<Origin> entries) {
    this.entries = List.copyOf(entries);
  }

  /**
   * Parses a comma-separated list; empty means any origin.
   *
   * @throws IllegalArgumentException naming the entry that is not an origin
   */
  public static OriginAllowList parse(String text) {
    if (text == null || text.isBlank()) {
      return ANY;
    }
    List<Origin> entries = new ArrayList<>();
    for (String raw : text.split(",", -1)) {
      String entry = raw.trim();
      Origin o = parseOrigin(entry, true);
      if (o == null) {
        throw new IllegalArgumentException(
            "'"
                + entry
                + "' is not an origin: scheme://host[:port], or scheme://*.domain[:port], with"
                + " no path");
      }
      entries.add(o);
    }
    return new OriginAllowList(entries);
  }

  /** Whether every origin is allowed. */
  public boolean allowsAny() {
    return entries.isEmpty();
  }

  /** Whether the value of an {@code Origin} header is allowed. */
  public boolean allows(String origin) {
    if (entries.isEmpty()) {
      return true;
    }
    Origin o = parseOrigin(origin == null ? "" : origin.trim(), false);
    if (o == null) {
      return false; // "null" (sandboxed pages, files) and anything unreadable
    }
    for (Origin e : entries) {
      if (e.scheme.equals(o.scheme) && e.port == o.port && hostMatches(e.host, o.host)) {
        return true;
      }
    }
    return false;
  }

  private static boolean hostMatches(String entry, String host) {
    if (entry.startsWith("*.")) {
      String suffix = entry.substring(1); // ".example.com"
      return host.length() > suffix.length() && host.endsWith(suffix);
    }
    return entry.equals(host);
  }

  /** {@code scheme://host[:port]}, normalized; {@code null} when it is not one. */
  private static Origin parseOrigin(String s, boolean wildcard) {
    int sep = s.indexOf("://");
    if (sep <= 0) {
      return null;
    }
    String scheme = s.substring(0, sep).toLowerCase(Locale.ROOT);
    if (!scheme.matches("[a-z][a-z0-9+.-]*")) {
      return null;
    }
    String rest = s.substring(sep + 3);
    String host;
    String port = null;
    if (rest.startsWith("[")) {
      int end = rest.indexOf(']');
      if (end < 0) {
        return null;
      }
      host = rest.substring(0, end + 1);
      if (!host.matches("\\[[0-9A-Fa-f:.]+\\]")) {
        return null;
      }
      String after = rest.substring(end + 1);
      if (!after.isEmpty()) {
        if (!after.startsWith(":")) {
          return null;
        }
        port = after.substring(1);
      }
    } else {
      int colon = rest.lastIndexOf(':');
      host = colon < 0 ? rest : rest.substring(0, colon);
      port = colon < 0 ? null : rest.substring(colon + 1);
      String label = "[A-Za-z0-9_-]+";
      String name = label + "(\\." + label + ")*";
      if (!host.matches(wildcard ? "(\\*\\.)?" + name : name)) {
        return null;
      }
    }
    int p;
    if (port == null) {
      p = defaultPort(scheme);
    } else {
      if (!port.matches("[0-9]{1,5}") || Integer.parseInt(port) == 0) {
        return null;
      }
      p = Integer.parseInt(port);
      if (p > 65535) {
        return null;
      }
    }
    return new Origin(scheme, host.toLowerCase(Locale.ROOT), p);
  }

  private static int defaultPort(String scheme) {
    return switch (scheme) {
      case "http", "ws" -> 80;
      case "https", "wss" -> 443;
      default -> -1;
    };
  }

  @Override
  public String toString() {
    if (entries.isEmpty()) {
      return "any origin";
    }
    List<String> all = new ArrayList<>();
    entries.forEach(o -> all.add(o.scheme + "://" + o.host + (o.port < 0 ? "" : ":" + o.port)));
    return String.join(",", all);
  }
}
