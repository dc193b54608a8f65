/**
 * The server's configuration ({@code juggler.server.*} and the broker settings, MicroProfile
 * Config).
 */
package dev.juggler.web.config;
