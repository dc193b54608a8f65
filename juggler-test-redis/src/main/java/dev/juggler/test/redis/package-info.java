/**
 * A private Redis server for tests: {@link dev.juggler.test.redis.TestRedis} starts one and {@link
 * dev.juggler.test.redis.RedisExtension} shares one across a whole JUnit 5 run.
 *
 * <p>The server comes from, in this order: a Testcontainers {@code redis:7} container when Docker
 * is available, the {@code redis-server} found on the {@code PATH}, or the Redis 6.2 binary shipped
 * in the {@code embedded-redis} artifact. System property {@code juggler.test.redis} ({@code auto},
 * {@code testcontainers}, {@code binary}, {@code embedded}) forces one way. When none works the
 * start fails with an exception that names every way tried and why it failed; tests are never
 * skipped for want of a Redis.
 *
 * <p>{@link dev.juggler.test.redis.TestRedisCluster} starts a Redis Cluster of three masters from
 * {@code redis-server} processes (the {@code PATH}'s, else the embedded one; never a container),
 * and {@link dev.juggler.test.redis.RedisClusterExtension} shares one across a run, advertising its
 * seed nodes in system property {@code juggler.test.redis.cluster.nodes}.
 */
package dev.juggler.test.redis;
