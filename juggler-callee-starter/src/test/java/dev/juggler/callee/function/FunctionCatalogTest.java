package dev.juggler.callee.function;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Optional;
import org.junit.jupiter.api.Test;

class FunctionCatalogTest {

  @Test
  void firstClaimWins() {
    FunctionCatalog catalog = new FunctionCatalog();
    assertEquals(Optional.empty(), catalog.claim("test.echo", "A#echo()"));
    String problem = catalog.claim("test.echo", "B#echo()").orElseThrow();
    assertTrue(problem.contains("Duplicate @RpcFunction URI \"test.echo\""), problem);
    assertTrue(problem.contains("A#echo()") && problem.contains("B#echo()"), problem);
  }

  @Test
  void sameMethodSeenTwiceIsNoDuplicate() {
    FunctionCatalog catalog = new FunctionCatalog();
    catalog.claim("u", "A#f()");
    assertEquals(Optional.empty(), catalog.claim("u", "A#f()"));
  }

  @Test
  void refusesUrisThatCannotBeListed() {
    FunctionCatalog catalog = new FunctionCatalog();
    assertTrue(catalog.claim("", "A#f()").orElseThrow().contains("blank URI"));
    assertTrue(catalog.claim("  ", "A#f()").isPresent());
    assertTrue(catalog.claim("a,b", "A#f()").isPresent());
    assertTrue(catalog.claim("juggler.uris", "A#f()").orElseThrow().contains("reserved"));
    assertTrue(catalog.claim("a b", "A#f()").isPresent());
  }
}
