package dev.juggler.broker.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.juggler.broker.redis.RedisTarget;
import java.net.URI;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class BrokerSettingsTest {

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

  private static URI url(BrokerTarget target) {
    return ((RedisTarget.Standalone) ((BrokerTarget.OnRedis) target).redis()).url();
  }

  @Test
  void nothingSetMeansTheInProcessBrokerForBothRoles() {
    BrokerSettings b = resolve(null, null, " ", "");
    assertInstanceOf(BrokerTarget.InProcess.class, b.caller());
    assertTrue(b.shared());
    assertTrue(b.caller().singleNode());
    assertTrue(b.caller().toString().contains("single node"));
  }

  @Test
  void rolesFallBackToTheSharedUrl() {
    BrokerSettings b = resolve("redis://r:1", null, "redis://p:2", null);
    assertEquals(URI.create("redis://r:1"), url(b.caller()));
    assertEquals(URI.create("redis://p:2"), url(b.pubsub()));
    assertFalse(b.shared());
    assertFalse(b.caller().singleNode());
  }

  @Test
  void aRoleWithoutAnyUrlIsRefused() {
    String m = failure(null, "redis://c:1", null, null);
    assertTrue(m.contains("juggler.redis.pubsub.url") && m.contains("juggler.redis.url"), m);
  }

  @Test
  void equalUrlsShareOneBrokerAndBlankValuesCountAsUnset() {
    assertTrue(resolve("redis://r:1", "redis://r:1", " ", null).shared());
  }

  @Test
  void malformedUrlsNameTheirProperty() {
    assertTrue(failure("http://r:1", null, null, null).startsWith("juggler.redis.url "));
    assertTrue(
        failure(null, "redis:///x", "redis://p:1", null).startsWith("juggler.redis.caller.url "));
    assertTrue(
        failure("redis://r:1", null, "redis://h:1/ x", null)
            .startsWith("juggler.redis.pubsub.url "));
    assertTrue(failure(null, null, null, "a:b:c").startsWith("juggler.redis.cluster.nodes "));
  }

  @Test
  void passwordsStayOutOfMessagesAndLogs() {
    assertFalse(failure("http://u:secret@h:1", null, null, null).contains("secret"));
    assertEquals(
        "Redis at redis://***@h:1",
        resolve("redis://u:secret@h:1", null, null, null).caller().toString());
  }

  @Test
  void clusterNodesServeBothRoles() {
    BrokerSettings b = resolve(null, null, null, "127.0.0.1:7000, 127.0.0.1:7001");
    assertInstanceOf(RedisTarget.Cluster.class, ((BrokerTarget.OnRedis) b.caller()).redis());
    assertTrue(b.shared());
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
}
