package dev.juggler.callee.worker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

class ServedUrisTest {
  private static final Set<String> REGISTERED = Set.of("test.reverse", "test.echo", "test.delay");

  @Test
  void allRegisteredWithoutAllowList() {
    assertEquals(
        List.of("test.delay", "test.echo", "test.reverse"),
        ServedUris.select(REGISTERED, Optional.empty()));
  }

  @Test
  void allowListNarrows() {
    assertEquals(
        List.of("test.delay", "test.echo"),
        ServedUris.select(REGISTERED, Optional.of(List.of("test.echo", "test.delay"))));
  }

  @Test
  void unknownUriFailsNamingTheProperty() {
    IllegalStateException e =
        assertThrows(
            IllegalStateException.class,
            () -> ServedUris.select(REGISTERED, Optional.of(List.of("test.echo", "test.ehco"))));
    assertTrue(e.getMessage().contains("juggler.callee.uris"), e.getMessage());
    assertTrue(e.getMessage().contains("test.ehco"), e.getMessage());
  }
}
