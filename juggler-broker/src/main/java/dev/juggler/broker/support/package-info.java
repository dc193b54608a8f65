/**
 * What the Redis and the in-process brokers share beyond the SPI: parts of their implementation
 * with one meaning, written once. Not for the brokers' users.
 */
package dev.juggler.broker.support;
