/**
 * The parts of {@link dev.juggler.web.security}: Redis globs and the containment and overlap checks
 * on them, request globs and authorization rules, the origin allow-list, key loading and token
 * verification (nimbus-jose-jwt).
 *
 * <p>Not an API: types here are public only so that the parent package can use them, and may change
 * at any time.
 */
package dev.juggler.web.security.internal;
