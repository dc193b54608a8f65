package dev.juggler.web.security.internal;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class OriginAllowListTest {
  private final OriginAllowList list =
      OriginAllowList.parse(
          "https://app.example.com, https://*.example.org:8443,http://localhost:8080");

  @Test
  void exactOriginsCompareCaseInsensitivelyWithDefaultPorts() {
    assertTrue(list.allows("https://app.example.com"));
    assertTrue(list.allows("HTTPS://App.Example.COM"));
    assertTrue(list.allows("https://app.example.com:443"));
    assertTrue(list.allows("http://localhost:8080"));
    assertFalse(list.allows("http://app.example.com")); // other scheme
    assertFalse(list.allows("https://app.example.com:8443")); // other port
    assertFalse(list.allows("https://evil.app.example.com"));
    assertFalse(list.allows("https://app.example.com.evil.net"));
    assertFalse(list.allows("http://localhost"));
    assertTrue(OriginAllowList.parse("https://a.example.com:443").allows("https://a.example.com"));
  }

  @Test
  void wildcardsMatchSubdomainsOnly() {
    assertTrue(list.allows("https://a.example.org:8443"));
    assertTrue(list.allows("https://a.b.example.org:8443"));
    assertFalse(list.allows("https://example.org:8443"));
    assertFalse(list.allows("https://evilexample.org:8443"));
    assertFalse(list.allows("https://a.example.org"));
  }

  @Test
  void unreadableOriginsAreNotAllowed() {
    for (String o :
        List.of(
            "null",
            "",
            "https://app.example.com/",
            "https://app.example.com/path",
            "app.example.com",
            "https://user@app.example.com",
            "https://app.example.com:99999")) {
      assertFalse(list.allows(o), o);
    }
  }

  @Test
  void emptyMeansAnyOrigin() {
    assertTrue(OriginAllowList.parse("").allowsAny());
    assertTrue(OriginAllowList.parse(null).allows("https://anything.example"));
    assertFalse(list.allowsAny());
  }

  @Test
  void badEntriesAreRefused() {
    for (String bad :
        List.of(
            "app.example.com",
            "https://app.example.com/",
            "https://*",
            "https://a.*.com",
            "https://app.example.com,",
            "*",
            "https://app.example.com:0")) {
      assertThrows(IllegalArgumentException.class, () -> OriginAllowList.parse(bad), bad);
    }
  }
}
