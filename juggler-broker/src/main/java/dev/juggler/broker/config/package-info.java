/**
 * Which broker serves each role, from the {@code juggler.redis.*} settings, shared by the server
 * and the callees so that both resolve them the same way: {@link
 * dev.juggler.broker.config.BrokerSettings} resolves, {@link
 * dev.juggler.broker.config.BrokerTarget} opens.
 */
package dev.juggler.broker.config;
