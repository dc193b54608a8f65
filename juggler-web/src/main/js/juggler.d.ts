// Types of juggler.js, the juggler.0 client.

export type RequestType = 'call' | 'pub' | 'sub' | 'unsb';

export interface ConnectOptions {
  /** Request types this connection sends; others are refused by the client itself. */
  allowedMessages?: RequestType[];
  /** Reconnect after a lost connection, restoring subscriptions (default true). */
  reconnect?: boolean;
  /** Backoff of reconnect attempts, in ms (defaults 100 and 10000), with jitter. */
  minDelay?: number;
  maxDelay?: number;
  /** How long a PUB, SUB or UNSB waits for its ACK or NACK, in ms (default 10000). */
  ackTimeout?: number;
  /** The WebSocket constructor to use (default: the global one). */
  WebSocket?: unknown;
}

export interface EventInfo {
  channel: string;
  /** The pattern the event came through, for pattern subscriptions. */
  pattern?: string;
  /** The UUID of the PUB. */
  pubUuid: string;
  /** The UUID of this EVNT message. */
  uuid: string;
}

export type EventHandler<T = unknown> = (args: T, event: EventInfo) => void;

export class JugglerError extends Error {}
export class NackError extends JugglerError {
  /** HTTP-like code: 400, 401, 403, 404, 408, 413, 429, 500, 503, 504 (see the README). */
  readonly code: number;
  readonly serverMessage: string;
}
export class CallExpiredError extends JugglerError {}
export class ConnectionLostError extends JugglerError {}
export class AckTimeoutError extends JugglerError {}

export class Juggler extends EventTarget {
  static connect(url: string, options?: ConnectOptions): Promise<Juggler>;
  constructor(url: string, options?: ConnectOptions);
  /** Opens a client made with `new` (listeners added first); resolves once open. */
  open(): Promise<Juggler>;
  readonly url: string;
  readonly state: 'connecting' | 'open' | 'reconnecting' | 'closed';
  /** Resolves with the RES args; timeout in ms (default 60000); onAck when the call is queued. */
  call<T = unknown>(
    uri: string,
    args?: unknown,
    options?: { timeout?: number; onAck?: () => void },
  ): Promise<T>;
  /** Resolves on ACK with a function that unsubscribes. */
  subscribe<T = unknown>(
    channel: string,
    handler: EventHandler<T>,
    options?: { pattern?: boolean },
  ): Promise<() => Promise<void>>;
  unsubscribe(channel: string, options?: { pattern?: boolean }): Promise<void>;
  publish(channel: string, args?: unknown): Promise<void>;
  close(): void;
}

export default Juggler;
