/** Test support for the end-to-end tests: a raw juggler.0 client and the test deployment. */
package dev.juggler.it.support;
