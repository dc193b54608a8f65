// juggler.js: a dependency-free client for Juggler's juggler.0 WebSocket protocol (RPC and
// pub-sub), for browsers and Node (a global WebSocket, or one passed in options.WebSocket).
//
//   import { Juggler } from '/juggler.js';
//   const j = await Juggler.connect('wss://example.com/ws');
//   const reversed = await j.call('test.reverse', 'abc', { timeout: 2000 });
//   const unsubscribe = await j.subscribe('chat.lobby', (args, event) => show(args));
//   await j.publish('chat.lobby', { text: 'hi' });

const CALL = 1, PUB = 2, SUB = 3, UNSB = 4, NACK = 7, ACK = 8, RES = 9, EVNT = 10;
const TYPES = { call: CALL, pub: PUB, sub: SUB, unsb: UNSB };

/** Base class of the errors this client rejects with. */
export class JugglerError extends Error {
  constructor(message) {
    super(message);
    this.name = new.target.name;
  }
}

/** The server refused the request (NACK): `code` follows HTTP meaning, `message` says why. */
export class NackError extends JugglerError {
  constructor(code, message) {
    super(`NACK ${code}: ${message}`);
    this.code = code;
    this.serverMessage = message;
  }
}

/** No RES came within the call's timeout; a RES that comes later is ignored. */
export class CallExpiredError extends JugglerError {}

/** The connection was lost (or not open) before the answer came. */
export class ConnectionLostError extends JugglerError {}

/** No ACK or NACK came within `ackTimeout`. */
export class AckTimeoutError extends JugglerError {}

function uuid() {
  if (globalThis.crypto && typeof globalThis.crypto.randomUUID === 'function') {
    return globalThis.crypto.randomUUID();
  }
  const b = new Uint8Array(16);
  globalThis.crypto.getRandomValues(b);
  b[6] = (b[6] & 0x0f) | 0x40;
  b[8] = (b[8] & 0x3f) | 0x80;
  const h = [...b].map((x) => x.toString(16).padStart(2, '0')).join('');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
}

const key = (channel, pattern) => (pattern ? 'p:' : 'c:') + channel;

/**
 * One juggler.0 connection. Events: `open` (detail `{ reconnected }`; after a reconnect, once the
 * subscriptions are answered again), `close` (detail `{ code, reason }`), `reconnecting` (detail
 * `{ attempt, delay }`).
 */
export class Juggler extends EventTarget {
  /**
   * Connects; resolves once the connection is open, rejects when the first attempt fails.
   *
   * Options: `allowedMessages` (e.g. `['call', 'pub']`: the client refuses other requests itself,
   * and sends the `Juggler-Allowed-Messages` header where the WebSocket can: not in browsers),
   * `reconnect` (default true), `minDelay` / `maxDelay` of the reconnect backoff (100 / 10000 ms),
   * `ackTimeout` (10000 ms), `WebSocket` (a constructor; default the global one).
   */
  static connect(url, options = {}) {
    return new Juggler(url, options).open();
  }

  constructor(url, options = {}) {
    super();
    this.url = url;
    this.options = {
      reconnect: true,
      minDelay: 100,
      maxDelay: 10000,
      ackTimeout: 10000,
      ...options,
    };
    const allowed = this.options.allowedMessages;
    this._allowed = allowed && allowed.length ? new Set(allowed.map((t) => t.toLowerCase())) : null;
    if (this._allowed) {
      for (const t of this._allowed) {
        if (!(t in TYPES)) throw new TypeError(`not a request type: ${t}`);
      }
    }
    this._WebSocket = this.options.WebSocket || globalThis.WebSocket;
    if (!this._WebSocket) throw new TypeError('no WebSocket: pass options.WebSocket');
    this._pending = new Map(); // request uuid -> { resolve, reject, timer, kind }
    this._subs = new Map(); // key -> { channel, pattern, handler, active }
    this._socket = null;
    this._closed = false;
    this._attempt = 0;
  }

  /**
   * Opens the connection of a client made with `new Juggler(url, options)` (so that listeners can
   * be added first); resolves with the client once open, rejects when this first attempt fails.
   */
  open() {
    return this._open().then(() => this);
  }

  /** `connecting`, `open`, `reconnecting` or `closed`. */
  get state() {
    if (this._closed) return 'closed';
    if (this._socket && this._socket.readyState === 1) return 'open';
    return this._attempt > 0 ? 'reconnecting' : 'connecting';
  }

  /**
   * Calls `uri` with `args` (any JSON value). Resolves with the result's args (a callee's failure
   * is a result too: `{ error: { message } }`); rejects with NackError, CallExpiredError (no RES
   * within `timeout` ms, default 60000) or ConnectionLostError. `onAck`, if given, is called when
   * the server has queued the call.
   */
  call(uri, args, { timeout = 60000, onAck } = {}) {
    this._requireAllowed('call');
    if (!(timeout > 0)) throw new RangeError('timeout must be a positive number of milliseconds');
    const id = uuid();
    const p = this._register(id, 'call', timeout, () => new CallExpiredError(`${uri}: no result within ${timeout} ms`), onAck);
    this._send(id, CALL, { uri, timeout: Math.round(timeout * 1e6), args: args === undefined ? null : args });
    return p;
  }

  /**
   * Subscribes `handler(args, event)` to a channel, or to a Redis glob pattern with `{ pattern:
   * true }`. Resolves on ACK with a function that unsubscribes (and resolves on that ACK). Handlers
   * are called in the order the server sends events; subscriptions are restored after a reconnect.
   */
  async subscribe(channel, handler, { pattern = false } = {}) {
    this._requireAllowed('sub');
    const k = key(channel, pattern);
    const sub = { channel, pattern, handler, active: false };
    this._subs.set(k, sub);
    try {
      await this._request(SUB, { channel, pattern }, 'sub');
    } catch (e) {
      if (this._subs.get(k) === sub) this._subs.delete(k);
      throw e;
    }
    sub.active = true;
    return () => this.unsubscribe(channel, { pattern });
  }

  /** Removes a subscription; its handler gets nothing more. Resolves on ACK. */
  unsubscribe(channel, { pattern = false } = {}) {
    this._requireAllowed('unsb');
    this._subs.delete(key(channel, pattern));
    return this._request(UNSB, { channel, pattern }, 'unsb');
  }

  /** Publishes `args` (any JSON value) on `channel`; resolves on ACK. */
  publish(channel, args) {
    this._requireAllowed('pub');
    return this._request(PUB, { channel, args: args === undefined ? null : args }, 'pub');
  }

  /** Closes the connection and stops reconnecting; pending requests reject. */
  close() {
    if (this._closed) return;
    this._closed = true;
    clearTimeout(this._retry);
    const s = this._socket;
    this._socket = null;
    if (s && s.readyState <= 1) s.close(1000, 'bye');
    this._failPending(new ConnectionLostError('client closed'));
  }

  // ---- internals ----

  _requireAllowed(type) {
    if (this._allowed && !this._allowed.has(type)) {
      throw new JugglerError(`${type.toUpperCase()} is not among this client's allowed messages`);
    }
  }

  _open() {
    return new Promise((resolve, reject) => {
      let socket;
      try {
        const headers = this._allowed ? { 'Juggler-Allowed-Messages': [...this._allowed].join(',') } : undefined;
        // browsers take no headers; WebSocket implementations for Node such as `ws` do
        socket = headers && typeof window === 'undefined'
          ? new this._WebSocket(this.url, 'juggler.0', { headers })
          : new this._WebSocket(this.url, 'juggler.0');
      } catch (e) {
        reject(e);
        return;
      }
      let opened = false;
      this._socket = socket;
      socket.onopen = () => {
        if (socket.protocol !== 'juggler.0') {
          socket.close(1002, 'subprotocol');
          return;
        }
        opened = true;
        const reconnected = this._attempt > 0;
        this._attempt = 0;
        const announce = () => this.dispatchEvent(Object.assign(new Event('open'), { detail: { reconnected } }));
        // after a reconnect, `open` comes once every subscription is answered again
        if (reconnected) this._resubscribe().then(announce);
        else announce();
        resolve();
      };
      socket.onmessage = (e) => this._receive(e.data);
      socket.onerror = () => {};
      socket.onclose = (e) => {
        if (this._socket === socket) this._socket = null;
        this._failPending(new ConnectionLostError(`connection closed: ${e.code} ${e.reason || ''}`.trim()));
        if (!opened) reject(new ConnectionLostError(`could not connect to ${this.url}: ${e.code}`));
        if (this._closed) return;
        this.dispatchEvent(Object.assign(new Event('close'), { detail: { code: e.code, reason: e.reason } }));
        if (this.options.reconnect && (opened || this._attempt > 0)) this._scheduleReconnect();
      };
    });
  }

  _scheduleReconnect() {
    const attempt = ++this._attempt;
    const cap = Math.min(this.options.maxDelay, this.options.minDelay * 2 ** (attempt - 1));
    const delay = Math.round(cap / 2 + Math.random() * (cap / 2)); // "equal jitter"
    this.dispatchEvent(Object.assign(new Event('reconnecting'), { detail: { attempt, delay } }));
    this._retry = setTimeout(() => {
      if (!this._closed) this._open().catch(() => {}); // a failed attempt closes, and retries
    }, delay);
  }

  _resubscribe() {
    const answers = [];
    for (const sub of this._subs.values()) {
      if (sub.active) answers.push(this._request(SUB, { channel: sub.channel, pattern: sub.pattern }, 'sub'));
    }
    return Promise.allSettled(answers);
  }

  _register(id, kind, timeout, onTimeout, onAck) {
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        if (this._pending.delete(id)) reject(onTimeout());
      }, timeout);
      this._pending.set(id, { resolve, reject, timer, kind, onAck });
    });
  }

  _request(type, payload, kind) {
    const id = uuid();
    const t = this.options.ackTimeout;
    const p = this._register(id, kind, t, () => new AckTimeoutError(`${kind}: no answer within ${t} ms`));
    this._send(id, type, payload);
    return p;
  }

  _send(id, type, payload) {
    const s = this._socket;
    if (!s || s.readyState !== 1) {
      this._settle(id, (p) => p.reject(new ConnectionLostError(this._closed ? 'client closed' : 'not connected')));
      return;
    }
    s.send(JSON.stringify({ meta: { type, uuid: id }, payload }));
  }

  _settle(id, fn) {
    const p = this._pending.get(id);
    if (!p) return false; // expired, failed or never ours: a late answer is dropped
    this._pending.delete(id);
    clearTimeout(p.timer);
    fn(p);
    return true;
  }

  _failPending(error) {
    for (const id of [...this._pending.keys()]) this._settle(id, (p) => p.reject(error));
  }

  _receive(data) {
    let m;
    try {
      m = JSON.parse(data);
    } catch {
      return;
    }
    const p = m && m.payload;
    if (!p || !m.meta) return;
    switch (m.meta.type) {
      case ACK:
        // a CALL's ACK only says it was queued: its promise waits for the RES
        if (p.for_type !== CALL) {
          this._settle(p.for, (x) => x.resolve());
        } else {
          const pending = this._pending.get(p.for);
          if (pending && pending.onAck) pending.onAck();
        }
        break;
      case NACK:
        this._settle(p.for, (x) => x.reject(new NackError(p.code, p.message)));
        break;
      case RES:
        this._settle(p.for, (x) => x.resolve(p.args));
        break;
      case EVNT: {
        const sub = this._subs.get(p.pattern !== undefined ? key(p.pattern, true) : key(p.channel, false));
        if (sub) {
          try {
            sub.handler(p.args, { channel: p.channel, pattern: p.pattern, pubUuid: p.for, uuid: m.meta.uuid });
          } catch (e) {
            setTimeout(() => { throw e; }); // reported, without stopping delivery
          }
        }
        break;
      }
      default:
    }
  }
}

export default Juggler;
