package dev.juggler.web.security;

import dev.juggler.protocol.message.Request;
import dev.juggler.web.security.internal.RequestGlobs;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

/**
 * The authorization rules of {@code juggler.security.authz.rules}: {@code ;}-separated {@code
 * <selector>=<permission>,<permission>…}, where a selector is {@code role:<name>}, {@code
 * claim:<name>=<value>}, {@code authenticated} or {@code any}, and a permission {@code
 * call:<glob>}, {@code sub:<glob>} or {@code pub:<glob>}. A request is allowed when a rule whose
 * selector matches the connection's identity allows it (the permissions of all matching rules
 * together, for a pattern SUB). Immutable and thread-safe.
 */
public final class AuthzRules {

  /** Who a rule is for. */
  private record Selector(Kind kind, String name, String value) {
    enum Kind {
      ROLE,
      CLAIM,
      AUTHENTICATED,
      ANY
    }

    boolean matches(Identity id) {
      return switch (kind) {
        case ANY -> true;
        case AUTHENTICATED -> id != null;
        case ROLE -> id != null && id.roles().contains(name);
        case CLAIM -> id != null && claimHas(id.claims().get(name), value);
      };
    }

    private static boolean claimHas(Object claim, String value) {
      if (claim instanceof Collection<?> c) {
        return c.stream().anyMatch(v -> v != null && String.valueOf(v).equals(value));
      }
      return claim != null && String.valueOf(claim).equals(value);
    }
  }

  private record Rule(Selector selector, RequestGlobs permissions) {}

  private final List<Rule> rules;

  private AuthzRules(List<Rule> rules) {
    this.rules = List.copyOf(rules);
  }

  /**
   * Parses the rules, strictly.
   *
   * @throws IllegalArgumentException naming the rule at fault and why
   */
  public static AuthzRules parse(String text) {
    List<Rule> rules = new ArrayList<>();
    for (String raw : text.split(";", -1)) {
      String rule = raw.trim();
      try {
        rules.add(parseRule(rule));
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException("rule '" + rule + "': " + e.getMessage(), e);
      }
    }
    return new AuthzRules(rules);
  }

  private static Rule parseRule(String rule) {
    if (rule.isEmpty()) {
      throw new IllegalArgumentException("empty rule (two ';' in a row, or one at an end)");
    }
    // claim:<name>=<value>=<permissions> has one '=' inside its selector
    int eq = rule.indexOf('=');
    if (rule.startsWith("claim:") && eq >= 0) {
      eq = rule.indexOf('=', eq + 1);
    }
    if (eq < 0) {
      throw new IllegalArgumentException("expected <selector>=<permission>,<permission>...");
    }
    Selector selector = selector(rule.substring(0, eq).trim());
    String permissions = rule.substring(eq + 1).trim();
    if (permissions.isEmpty()) {
      throw new IllegalArgumentException("no permissions after '='");
    }
    return new Rule(selector, RequestGlobs.parse(permissions));
  }

  private static Selector selector(String s) {
    if (s.equals("any")) {
      return new Selector(Selector.Kind.ANY, null, null);
    } else if (s.equals("authenticated")) {
      return new Selector(Selector.Kind.AUTHENTICATED, null, null);
    } else if (s.startsWith("role:") && s.length() > "role:".length()) {
      return new Selector(Selector.Kind.ROLE, s.substring("role:".length()), null);
    } else if (s.startsWith("claim:")) {
      int eq = s.indexOf('=');
      String name = s.substring("claim:".length(), eq).trim();
      String value = s.substring(eq + 1).trim();
      if (!name.isEmpty() && !value.isEmpty()) {
        return new Selector(Selector.Kind.CLAIM, name, value);
      }
    }
    throw new IllegalArgumentException(
        "'" + s + "' is not role:<name>, claim:<name>=<value>, authenticated or any");
  }

  /**
   * Whether a connection with this identity ({@code null}: anonymous) may make the request.
   * Requests without a URI or channel are not judged here: the caller lets them through to be
   * refused as bad requests.
   */
  public boolean allows(Identity identity, Request request) {
    RequestGlobs granted = RequestGlobs.NONE;
    for (Rule r : rules) {
      if (r.selector.matches(identity)) {
        if (r.permissions.allows(request)) {
          return true;
        }
        granted = granted.union(r.permissions);
      }
    }
    // a pattern SUB may be covered by the globs of several rules together
    return granted != RequestGlobs.NONE && granted.allows(request);
  }

  /** Whether a rule needs an identity: with authentication off, only {@code any} rules apply. */
  public boolean needsIdentity() {
    return rules.stream().anyMatch(r -> r.selector.kind != Selector.Kind.ANY);
  }

  @Override
  public String toString() {
    return rules.size() + " rules";
  }
}
