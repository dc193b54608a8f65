package dev.juggler.web.security.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import org.junit.jupiter.api.Test;

class BearerTokenTest {

  @Test
  void headerOrParameter() throws Exception {
    assertEquals("abc", BearerToken.find(List.of("Bearer abc"), null));
    assertEquals("abc", BearerToken.find(List.of("bearer  abc "), List.of()));
    assertEquals("abc", BearerToken.find(null, List.of("abc")));
    assertEquals("abc", BearerToken.find(List.of("Basic dXNlcjpwdw=="), List.of("abc")));
    assertNull(BearerToken.find(List.of("Basic dXNlcjpwdw=="), null));
    assertNull(BearerToken.find(List.of("BearerX abc"), null));
    assertNull(BearerToken.find(null, null));
  }

  @Test
  void severalOrEmptyTokensAreRefused() {
    InvalidTokenException both =
        assertThrows(
            InvalidTokenException.class, () -> BearerToken.find(List.of("Bearer a"), List.of("b")));
    assertEquals("invalid_request", both.error());
    assertEquals(400, both.status());
    assertThrows(
        InvalidTokenException.class, () -> BearerToken.find(List.of("Bearer a", "Bearer b"), null));
    assertThrows(InvalidTokenException.class, () -> BearerToken.find(null, List.of("a", "b")));
    InvalidTokenException empty =
        assertThrows(InvalidTokenException.class, () -> BearerToken.find(List.of("Bearer "), null));
    assertEquals("invalid_token", empty.error());
    assertEquals(401, empty.status());
  }
}
