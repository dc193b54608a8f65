package dev.juggler.protocol.message;

/** A message sent by the server to a client: ACK, NACK, RES or EVNT. */
public sealed interface Response extends Msg permits Ack, Nack, Res, Evnt {}
