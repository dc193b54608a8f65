/** Server configuration (MicroProfile Config) and the producers of the brokers it configures. */
package dev.juggler.web.config;
