/**
 * The callee workers: long-running loops that take calls from the broker, execute them and store
 * their results.
 *
 * <p>{@link dev.juggler.callee.worker.CalleeWorkers} is the container-facing part: a startup
 * singleton that runs {@link dev.juggler.callee.worker.WorkerLoop}s on the container's managed
 * executor and stops them when the application stops, and a {@link
 * dev.juggler.callee.worker.Heartbeat} on the managed scheduled executor that keeps the served URIs
 * live in the broker while they run. The loops and their helpers are plain classes so that their
 * logic is tested without a container.
 */
package dev.juggler.callee.worker;
