package dev.juggler.callee.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class ConfigChecksTest {

  @Test
  void rangeErrorsNameTheProperty() {
    assertEquals(8, ConfigChecks.inRange(CalleeConfig.WORKERS, 8, 1, 1024));
    IllegalStateException e =
        assertThrows(
            IllegalStateException.class,
            () -> ConfigChecks.inRange(CalleeConfig.WORKERS, 0, 1, 1024));
    assertTrue(e.getMessage().contains("juggler.callee.workers=0"), e.getMessage());
  }

  @Test
  void redisUrls() {
    assertEquals("127.0.0.1", ConfigChecks.redisUrl("k", "redis://127.0.0.1:6379").getHost());
    assertEquals(6380, ConfigChecks.redisUrl("k", " rediss://h:6380/2 ").getPort());
    assertThrows(IllegalStateException.class, () -> ConfigChecks.redisUrl("k", "http://h:1"));
    assertThrows(IllegalStateException.class, () -> ConfigChecks.redisUrl("k", "redis:///x"));
    assertThrows(IllegalStateException.class, () -> ConfigChecks.redisUrl("k", "redis://h:1/ x"));
  }

  @Test
  void calleesUseTheCallerUrlFallingBackToTheSharedOne() {
    Optional<String> none = Optional.empty();
    assertEquals("127.0.0.1", ConfigChecks.callerRedisUrl(none, none, none).getHost());
    assertEquals(
        "r", ConfigChecks.callerRedisUrl(Optional.of("redis://r:1"), none, none).getHost());
    assertEquals(
        "c",
        ConfigChecks.callerRedisUrl(Optional.of("redis://r:1"), Optional.of("redis://c:1"), none)
            .getHost());
    IllegalStateException bad =
        assertThrows(
            IllegalStateException.class,
            () -> ConfigChecks.callerRedisUrl(none, Optional.of("http://c:1"), none));
    assertTrue(bad.getMessage().contains(CalleeConfig.CALLER_REDIS_URL), bad.getMessage());
  }

  @Test
  void clusterNodesAreRefusedWithAUrl() {
    IllegalStateException e =
        assertThrows(
            IllegalStateException.class,
            () ->
                ConfigChecks.callerRedisUrl(
                    Optional.empty(), Optional.of("redis://c:1"), Optional.of("a:1")));
    assertTrue(e.getMessage().contains("juggler.redis.cluster.nodes=a:1"), e.getMessage());
    assertTrue(e.getMessage().contains("juggler.redis.caller.url"), e.getMessage());
  }

  @Test
  void passwordsAreNeverShown() {
    assertEquals("redis://***@h:1", ConfigChecks.redact("redis://u:secret@h:1"));
    assertEquals("redis://h:1", ConfigChecks.redact("redis://h:1"));
    IllegalStateException e =
        assertThrows(
            IllegalStateException.class, () -> ConfigChecks.redisUrl("k", "http://u:secret@h:1"));
    assertFalse(e.getMessage().contains("secret"), e.getMessage());
  }

  @Test
  void lists() {
    assertEquals(Optional.empty(), ConfigChecks.list(Optional.empty()));
    assertEquals(Optional.empty(), ConfigChecks.list(Optional.of(" , ")));
    assertEquals(
        Optional.of(List.of("test.echo", "test.delay")),
        ConfigChecks.list(Optional.of(" test.echo,,test.delay ")));
  }
}
