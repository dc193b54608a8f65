/**
 * End-to-end tests of the packaged application: each {@code *IT} deploys {@code target/juggler.ear}
 * on the Liberty server {@code jugglerIT} (started and stopped by Arquillian, see {@code
 * arquillian.xml}) and talks to it as a client over loopback, with a private Redis from {@link
 * dev.juggler.test.redis.RedisExtension}.
 *
 * <p>Register the extensions in this order, {@code @ExtendWith({RedisExtension.class,
 * ArquillianExtension.class})}: Arquillian reads {@code arquillian.xml}, and so the Redis URL it
 * hands to the server, in its first {@code beforeAll}, which must come after the Redis one.
 */
package dev.juggler.it;
