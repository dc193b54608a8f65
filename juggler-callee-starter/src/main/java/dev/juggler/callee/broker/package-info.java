/**
 * The broker of the callee side: produces the {@code CalleeBroker} the workers use, opened on the
 * target that {@link dev.juggler.callee.config.CalleeConfig} resolves, and closes it with the
 * application.
 */
package dev.juggler.callee.broker;
