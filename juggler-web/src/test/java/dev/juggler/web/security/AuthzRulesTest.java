package dev.juggler.web.security;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.juggler.protocol.message.Call;
import dev.juggler.protocol.message.Pub;
import dev.juggler.protocol.message.RawJson;
import dev.juggler.protocol.message.Request;
import dev.juggler.protocol.message.Sub;
import dev.juggler.web.security.internal.RequestGlobs;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class AuthzRulesTest {
  static final String EXAMPLE =
      "role:admin=call:*,sub:*,pub:*;role:user=call:test.*,sub:chat.*,pub:chat.*;"
          + "claim:tenant=acme=sub:acme.*;authenticated=call:test.echo;any=sub:public.*";

  private final AuthzRules rules = AuthzRules.parse(EXAMPLE);

  static Identity identity(Set<String> roles, Map<String, Object> claims) {
    return new Identity("alice", roles, claims, Instant.now().plus(Duration.ofHours(1)));
  }

  static Request call(String uri) {
    return new Call(UUID.randomUUID(), uri, Duration.ZERO, RawJson.NULL);
  }

  static Request pub(String channel) {
    return new Pub(UUID.randomUUID(), channel, RawJson.NULL);
  }

  static Request sub(String channel, boolean pattern) {
    return new Sub(UUID.randomUUID(), channel, pattern);
  }

  @Test
  void rolesGrantTheirPermissions() {
    Identity admin = identity(Set.of("admin"), Map.of());
    Identity user = identity(Set.of("user"), Map.of());
    assertTrue(rules.allows(admin, call("anything.at.all")));
    assertTrue(rules.allows(admin, sub("*", true)));
    assertTrue(rules.allows(user, call("test.reverse")));
    assertTrue(rules.allows(user, pub("chat.lobby")));
    assertTrue(rules.allows(user, sub("chat.room?", true)));
    assertFalse(rules.allows(user, call("admin.reset")));
    assertFalse(rules.allows(user, pub("news")));
    assertFalse(rules.allows(user, sub("*", true)));
    assertFalse(rules.allows(user, sub("ch*", true)));
  }

  @Test
  void claimsMatchByValueOrArrayElement() {
    assertTrue(rules.allows(identity(Set.of(), Map.of("tenant", "acme")), sub("acme.x", false)));
    assertTrue(
        rules.allows(
            identity(Set.of(), Map.of("tenant", List.of("x", "acme"))), sub("acme.y", false)));
    assertFalse(rules.allows(identity(Set.of(), Map.of("tenant", "other")), sub("acme.x", false)));
    assertFalse(rules.allows(identity(Set.of(), Map.of("tenant", "acme")), pub("acme.x")));
  }

  @Test
  void authenticatedAndAnyRules() {
    Identity nobody = identity(Set.of(), Map.of());
    assertTrue(rules.allows(nobody, call("test.echo")));
    assertFalse(rules.allows(null, call("test.echo")));
    assertTrue(rules.allows(null, sub("public.news", false)));
    assertTrue(rules.allows(null, sub("public.*", true)));
    assertFalse(rules.allows(null, sub("public*", true)));
    assertFalse(rules.allows(null, pub("public.news")));
  }

  @Test
  void patternsMayBeCoveredByRulesTogether() {
    AuthzRules two = AuthzRules.parse("role:a=sub:a.*;any=sub:b.*");
    Identity a = identity(Set.of("a"), Map.of());
    assertTrue(two.allows(a, sub("[ab].*", true)));
    assertFalse(two.allows(null, sub("[ab].*", true)));
    assertTrue(two.allows(null, sub("b.?", true)));
  }

  @Test
  void badRulesAreRefusedNamingTheRule() {
    for (String bad :
        List.of(
            "role:admin",
            "role:=call:*",
            "root=call:*",
            "role:admin=",
            "role:admin=call:",
            "role:admin=get:*",
            "role:admin=call:*;",
            "role:a=call:*;;any=sub:x",
            "claim:tenant=call:*",
            "claim:=x=call:*",
            "any=sub:chat.[ab")) {
      IllegalArgumentException e =
          assertThrows(IllegalArgumentException.class, () -> AuthzRules.parse(bad), bad);
      assertTrue(e.getMessage().startsWith("rule '"), e.getMessage());
    }
    assertEquals(
        "rule 'role:admin=get:*': 'get:*' is not call:<glob>, sub:<glob> or pub:<glob>",
        assertThrows(IllegalArgumentException.class, () -> AuthzRules.parse("role:admin=get:*"))
            .getMessage());
  }

  @Test
  void protectedRequestsAreThoseTheGlobsTouch() {
    RequestGlobs prot = RequestGlobs.parse("call:admin.*,sub:private.*,pub:private.*");
    assertTrue(prot.touches(call("admin.reset")));
    assertFalse(prot.touches(call("test.echo")));
    assertTrue(prot.touches(sub("private.x", false)));
    assertTrue(prot.touches(sub("*", true))); // would receive private.* events
    assertFalse(prot.touches(sub("pri[a-z]", true)));
    assertFalse(prot.touches(sub("public.*", true)));
    assertTrue(prot.touches(sub("private.[ab", true))); // unreadable: protected
    assertFalse(prot.touches(pub("public.x")));
  }

  @Test
  void aPatternThatCanMatchNoChannelIsProtected() {
    // No channel matches it, so it overlaps no glob; it still costs Redis on every PUBLISH.
    RequestGlobs all = RequestGlobs.parse("sub:*");
    assertTrue(all.touches(sub("[]x", true)));
    assertTrue(all.touches(sub("a[]", true)));
    assertTrue(RequestGlobs.parse("sub:private.*").touches(sub("public.[]", true)));
    assertTrue(all.touches(sub("[]x", false))); // a channel, not a pattern: "[]x" itself
    assertFalse(RequestGlobs.parse("call:*,pub:*").touches(sub("[]x", true)), "no SUB protected");
    assertFalse(RequestGlobs.NONE.touches(sub("[]x", true)));
  }
}
