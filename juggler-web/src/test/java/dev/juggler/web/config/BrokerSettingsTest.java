package dev.juggler.web.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class BrokerSettingsTest {
  private static final Optional<String> NONE = Optional.empty();

  private static BrokerSettings resolve(String url, String caller, String pubsub, String nodes) {
    return BrokerSettings.resolve(
        Optional.ofNullable(url),
        Optional.ofNullable(caller),
        Optional.ofNullable(pubsub),
        Optional.ofNullable(nodes));
  }

  private static String failure(String url, String caller, String pubsub, String nodes) {
    return assertThrows(IllegalArgumentException.class, () -> resolve(url, caller, pubsub, nodes))
        .getMessage();
  }

  @Test
  void nothingSetMeansTheLocalRedisForBothRoles() {
    BrokerSettings b = BrokerSettings.resolve(NONE, NONE, NONE, NONE);
    assertEquals(BrokerTarget.redis(URI.create("redis://127.0.0.1:6379")), b.caller());
    assertTrue(b.shared());
  }

  @Test
  void rolesFallBackToTheSharedUrl() {
    BrokerSettings b = resolve("redis://r:1", null, "redis://p:2", null);
    assertEquals(URI.create("redis://r:1"), b.caller().url());
    assertEquals(URI.create("redis://p:2"), b.pubsub().url());
    assertFalse(b.shared());

    BrokerSettings c = resolve(null, "redis://c:1", null, null);
    assertEquals(URI.create("redis://c:1"), c.caller().url());
    assertEquals(URI.create("redis://127.0.0.1:6379"), c.pubsub().url());
  }

  @Test
  void equalUrlsShareOneBrokerAndBlankValuesCountAsUnset() {
    assertTrue(resolve("redis://r:1", "redis://r:1", " ", null).shared());
    assertTrue(resolve(null, null, null, "").shared());
  }

  @Test
  void malformedUrlsNameTheirProperty() {
    assertTrue(failure("http://r:1", null, null, null).startsWith("juggler.redis.url "));
    assertTrue(failure(null, "redis:///x", null, null).startsWith("juggler.redis.caller.url "));
    assertTrue(failure(null, null, "redis://h:1/ x", null).startsWith("juggler.redis.pubsub.url "));
  }

  @Test
  void passwordsStayOutOfMessages() {
    assertFalse(failure("http://u:secret@h:1", null, null, null).contains("secret"));
    assertEquals(
        "redis://***@h:1", BrokerTarget.redis(URI.create("redis://u:secret@h:1")).toString());
  }

  @Test
  void clusterNodesWithAnyUrlNameBoth() {
    String m = failure(null, null, "redis://p:2", "a:1,b:2");
    assertTrue(m.contains("juggler.redis.cluster.nodes"), m);
    assertTrue(m.contains("juggler.redis.pubsub.url"), m);
    assertFalse(m.contains("juggler.redis.caller.url"), m);
    String all = failure("redis://r:1", "redis://c:1", "redis://p:2", "a:1");
    assertTrue(
        all.contains("juggler.redis.url, juggler.redis.caller.url, juggler.redis.pubsub.url"), all);
  }

  @Test
  void clusterNodesAloneAreNotSupportedYet() {
    assertTrue(failure(null, null, null, "a:1").contains("juggler.redis.cluster.nodes"));
  }
}
