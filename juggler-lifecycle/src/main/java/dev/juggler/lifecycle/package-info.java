/** What an application of the container needs to know about the life of the process it runs in. */
package dev.juggler.lifecycle;
