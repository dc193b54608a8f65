package dev.juggler.web.security.internal;

import dev.juggler.protocol.message.Call;
import dev.juggler.protocol.message.Pub;
import dev.juggler.protocol.message.Request;
import dev.juggler.protocol.message.Sub;
import java.util.ArrayList;
import java.util.List;

/**
 * Request globs by type, as written {@code call:<glob>,sub:<glob>,pub:<glob>}: the permissions of
 * an authorization rule, or the requests that need authentication. A CALL is judged by its URI, a
 * PUB and a SUB by their channel; a SUB to a pattern by every channel the pattern can match. UNSB
 * is never concerned. Immutable and thread-safe.
 */
public final class RequestGlobs {
  /** No request at all. */
  public static final RequestGlobs NONE = new RequestGlobs(List.of(), List.of(), List.of());

  private final List<Glob> call;
  private final List<Glob> sub;
  private final List<Glob> pub;

  private RequestGlobs(List<Glob> call, List<Glob> sub, List<Glob> pub) {
    this.call = List.copyOf(call);
    this.sub = List.copyOf(sub);
    this.pub = List.copyOf(pub);
  }

  /**
   * Parses a comma-separated list of {@code call:<glob>}, {@code sub:<glob>}, {@code pub:<glob>}.
   *
   * @throws IllegalArgumentException saying which entry is wrong and why
   */
  public static RequestGlobs parse(String text) {
    List<Glob> call = new ArrayList<>();
    List<Glob> sub = new ArrayList<>();
    List<Glob> pub = new ArrayList<>();
    for (String raw : text.split(",", -1)) {
      String entry = raw.trim();
      int colon = entry.indexOf(':');
      String type = colon < 0 ? "" : entry.substring(0, colon);
      List<Glob> target =
          switch (type) {
            case "call" -> call;
            case "sub" -> sub;
            case "pub" -> pub;
            default ->
                throw new IllegalArgumentException(
                    "'" + entry + "' is not call:<glob>, sub:<glob> or pub:<glob>");
          };
      String glob = entry.substring(colon + 1);
      try {
        target.add(Glob.compile(glob));
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException("'" + entry + "': " + e.getMessage(), e);
      }
    }
    return new RequestGlobs(call, sub, pub);
  }

  /** All the globs of both. */
  public RequestGlobs union(RequestGlobs other) {
    return new RequestGlobs(
        concat(call, other.call), concat(sub, other.sub), concat(pub, other.pub));
  }

  private static List<Glob> concat(List<Glob> a, List<Glob> b) {
    List<Glob> all = new ArrayList<>(a);
    all.addAll(b);
    return all;
  }

  /**
   * Whether the request is within these globs: its URI or channel matches one, or, for a pattern
   * SUB, every channel the pattern can match does. False for UNSB and for a request without a name
   * (which the standard handler refuses anyway).
   */
  public boolean allows(Request request) {
    String name = name(request);
    if (name == null) {
      return false;
    }
    if (request instanceof Sub s && s.pattern()) {
      Glob pattern = compileOrNull(name);
      return pattern != null && GlobSets.covers(sub, pattern);
    }
    return anyMatch(globsOf(request), name);
  }

  /**
   * Whether the request concerns these globs at all: its URI or channel matches one, or, for a
   * pattern SUB, some channel matches both the pattern and a glob. A pattern that cannot be read,
   * and one that can match no channel at all ({@code []x}), count as touching every glob: they
   * would cost Redis on every publish like any other, so they are not a way around a protection.
   * False for UNSB and for a request without a name.
   */
  public boolean touches(Request request) {
    String name = name(request);
    if (name == null) {
      return false;
    }
    if (request instanceof Sub s && s.pattern()) {
      Glob pattern = compileOrNull(name);
      for (Glob g : sub) {
        if (pattern == null || pattern.matchesNothing() || GlobSets.overlaps(g, pattern)) {
          return true;
        }
      }
      return false;
    }
    return anyMatch(globsOf(request), name);
  }

  private List<Glob> globsOf(Request request) {
    if (request instanceof Call) {
      return call;
    } else if (request instanceof Pub) {
      return pub;
    } else if (request instanceof Sub) {
      return sub;
    }
    return List.of();
  }

  private static String name(Request request) {
    String name = request instanceof Call ? request.uri() : request.channel();
    return name == null || name.isEmpty() ? null : name;
  }

  private static boolean anyMatch(List<Glob> globs, String name) {
    for (Glob g : globs) {
      if (g.matches(name)) {
        return true;
      }
    }
    return false;
  }

  private static Glob compileOrNull(String pattern) {
    try {
      return Glob.compile(pattern);
    } catch (IllegalArgumentException e) {
      return null;
    }
  }

  @Override
  public String toString() {
    List<String> all = new ArrayList<>();
    call.forEach(g -> all.add("call:" + g));
    sub.forEach(g -> all.add("sub:" + g));
    pub.forEach(g -> all.add("pub:" + g));
    return String.join(",", all);
  }
}
