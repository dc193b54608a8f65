/**
 * The node's brokers: produced from the configuration for the rest of the application ({@link
 * dev.juggler.web.broker.Brokers}), and whether they answer ({@link
 * dev.juggler.web.broker.BrokerReadiness}, which the readiness checks and the start-up report use).
 */
package dev.juggler.web.broker;
