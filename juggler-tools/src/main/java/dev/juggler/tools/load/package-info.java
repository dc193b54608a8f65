/**
 * The load generator: {@code juggler load} (calls, closed loop or at a fixed rate) and {@code
 * juggler load pubsub} (publishers and subscribers on one channel), with their latency histograms
 * and the per-subscriber accounting of lost and reordered events.
 */
package dev.juggler.tools.load;
