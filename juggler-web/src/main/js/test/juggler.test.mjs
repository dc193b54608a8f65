// juggler.js against a running server: JUGGLER_URL=ws://host:port/ws node --experimental-websocket --test
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Juggler, NackError, CallExpiredError, ConnectionLostError, JugglerError } from '../juggler.js';

const URL = process.env.JUGGLER_URL;
if (!URL) throw new Error('set JUGGLER_URL to the server, e.g. ws://127.0.0.1:9080/ws');

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
const until = async (what, cond, ms = 10000) => {
  const end = Date.now() + ms;
  while (!cond()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await sleep(10);
  }
};
const unique = (name) => `js.${name}.${Math.random().toString(36).slice(2)}`;

test('calls resolve with the result; the timeout travels in nanoseconds', async () => {
  const j = await Juggler.connect(URL);
  try {
    let acked = 0;
    assert.equal(await j.call('test.echo', 'hello', { timeout: 5000, onAck: () => acked++ }), 'hello');
    assert.equal(acked, 1, 'onAck ran once, before the result');
    assert.equal(await j.call('test.reverse', 'a😀b'), 'b😀a');
    // 300 ms of work within a 2000 ms timeout: would expire at once if sent as 2000 ns
    assert.equal(await j.call('test.delay', '300', { timeout: 2000 }), 300);
    // a callee's failure is a result, not a rejection
    const failed = await j.call('test.echo', 42);
    assert.equal(typeof failed.error.message, 'string');
  } finally {
    j.close();
  }
});

test('a NACK rejects with its code and message', async () => {
  const j = await Juggler.connect(URL);
  try {
    const e = await j.call('', 'x').then(() => null, (err) => err);
    assert.ok(e instanceof NackError, String(e));
    assert.equal(e.code, 400);
    assert.match(e.serverMessage, /uri/);
  } finally {
    j.close();
  }
});

test('a call with no RES in time rejects as expired and its late RES is ignored', async () => {
  const j = await Juggler.connect(URL);
  try {
    const e = await j.call('test.delay', '600', { timeout: 150 }).then(() => null, (err) => err);
    assert.ok(e instanceof CallExpiredError, String(e));
    await sleep(700); // the late RES, if any, must not disturb anything
    assert.equal(await j.call('test.echo', 'after'), 'after');
  } finally {
    j.close();
  }
});

test('subscribers get every event in order, channels and patterns, until they unsubscribe', async () => {
  const channel = unique('order');
  const sub = await Juggler.connect(URL);
  const pub = await Juggler.connect(URL);
  try {
    const byChannel = [];
    const byPattern = [];
    const unsubscribe = await sub.subscribe(channel, (args, e) => byChannel.push([args, e.channel, e.pattern]));
    await sub.subscribe(channel.slice(0, -3) + '*', (args, e) => byPattern.push([args, e.pattern]), { pattern: true });
    const n = 200;
    await Promise.all(Array.from({ length: n }, (_, i) => pub.publish(channel, { i })));
    await until('all events', () => byChannel.length === n && byPattern.length === n);
    assert.deepEqual(byChannel.map(([a]) => a.i), Array.from({ length: n }, (_, i) => i));
    assert.deepEqual(byPattern.map(([a]) => a.i), Array.from({ length: n }, (_, i) => i));
    assert.equal(byChannel[0][1], channel);
    assert.equal(byChannel[0][2], undefined);
    assert.equal(byPattern[0][1], channel.slice(0, -3) + '*');

    await unsubscribe();
    await sub.unsubscribe(channel.slice(0, -3) + '*', { pattern: true });
    const sentinel = unique('sentinel');
    const last = [];
    await sub.subscribe(sentinel, (args) => last.push(args));
    await pub.publish(channel, { i: 'after' });
    await pub.publish(sentinel, 'last');
    await until('the sentinel', () => last.length === 1);
    assert.equal(byChannel.length, n, 'nothing after unsubscribing');
    assert.equal(byPattern.length, n, 'nothing after unsubscribing the pattern');
  } finally {
    sub.close();
    pub.close();
  }
});

test('a request type the client did not allow is refused locally', async () => {
  const j = await Juggler.connect(URL, { allowedMessages: ['call'] });
  try {
    assert.throws(() => j.publish('x', 1), JugglerError);
    await assert.rejects(j.subscribe('x', () => {}), JugglerError);
    assert.equal(await j.call('test.echo', 'still'), 'still');
  } finally {
    j.close();
  }
});

test('after a lost connection pending calls reject, the client reconnects and its subscriptions are back', async () => {
  const channel = unique('reconnect');
  const j = await Juggler.connect(URL, { minDelay: 50, maxDelay: 200 });
  const pub = await Juggler.connect(URL);
  const seen = [];
  const events = [];
  for (const type of ['open', 'close', 'reconnecting']) j.addEventListener(type, (e) => events.push([type, e.detail]));
  try {
    await j.subscribe(channel, (args) => seen.push(args));
    const pending = j.call('test.delay', '3000', { timeout: 5000 });
    j._socket.send('not json'); // a protocol violation: the server closes this connection
    const e = await pending.then(() => null, (err) => err);
    assert.ok(e instanceof ConnectionLostError, String(e));
    await until('the reconnect', () => events.some(([t, d]) => t === 'open' && d.reconnected));
    assert.ok(events.some(([t, d]) => t === 'close' && d.code === 1002), JSON.stringify(events));
    assert.ok(events.some(([t]) => t === 'reconnecting'), JSON.stringify(events));
    // the subscription is restored on the new connection
    // `open` came after the subscription was restored: the next event arrives
    await pub.publish(channel, 'again');
    await until('the event after reconnecting', () => seen.includes('again'));
    assert.equal(await j.call('test.echo', 'back'), 'back');
    assert.equal(j.state, 'open');
  } finally {
    j.close();
    pub.close();
  }
  assert.equal(j.state, 'closed');
});
