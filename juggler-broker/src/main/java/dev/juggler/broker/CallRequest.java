package dev.juggler.broker;

import dev.juggler.protocol.message.RawJson;
import java.time.Duration;
import java.util.UUID;

/**
 * A call as the server node hands it to the broker.
 *
 * @param callUuid the CALL message's UUID; the RES refers to it
 * @param connUuid the calling connection, to which the result goes
 * @param uri the function's URI
 * @param args the arguments, raw
 * @param timeout the call's time-to-live, positive
 */
public record CallRequest(
    UUID callUuid, UUID connUuid, String uri, RawJson args, Duration timeout) {}
