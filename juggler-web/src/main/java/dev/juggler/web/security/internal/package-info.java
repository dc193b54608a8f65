/**
 * The parts of {@link dev.juggler.web.security} that know nothing of identities: Redis globs and
 * the containment and overlap checks on them, request globs, the origin allow-list, bearer tokens
 * in a request, and key loading (nimbus-jose-jwt).
 *
 * <p>Not an API: types here are public only so that the parent package can use them, and may change
 * at any time.
 */
package dev.juggler.web.security.internal;
