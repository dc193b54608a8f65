// Conformance run of a juggler.0 server, driven by a client that shares no code with the server:
// the `ws` package and hand-written frames, checked against the protocol document.
//
//   node conformance.mjs [ws://127.0.0.1:9080/ws]
//
// Needs the example callees (test.echo, test.reverse, test.delay). Prints one line per check and
// a closing "N passed, N failed" line; exits 1 when a check failed.
import { randomUUID } from 'node:crypto';
import WebSocket from 'ws';

const url = process.argv[2] || process.env.JUGGLER_WS_URL || 'ws://127.0.0.1:9080/ws';
const CALL = 1, PUB = 2, SUB = 3, UNSB = 4, NACK = 7, ACK = 8, RES = 9, EVNT = 10;
const UUID_RE = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const MS = 1_000_000; // nanoseconds per millisecond: CALL timeouts are Go durations

class Client {
  static open(headers = {}, protocols = ['juggler.0']) {
    return new Promise((resolve, reject) => {
      const ws = new WebSocket(url, protocols, { headers });
      const c = new Client(ws);
      ws.once('open', () => resolve(c));
      ws.once('unexpected-response', (req, res) => reject(new Error('HTTP ' + res.statusCode)));
      ws.once('error', reject);
    });
  }

  constructor(ws) {
    this.ws = ws;
    this.frames = [];
    this.raw = [];
    this.waiters = [];
    this.closed = new Promise(resolve => ws.on('close', (code, reason) => resolve({ code, reason: reason.toString() })));
    ws.on('message', (data, isBinary) => {
      const text = data.toString();
      this.raw.push(text);
      const msg = JSON.parse(text);
      const w = this.waiters.shift();
      if (w) w(msg); else this.frames.push(msg);
    });
  }

  next(ms = 5000) {
    if (this.frames.length) return Promise.resolve(this.frames.shift());
    return new Promise(resolve => {
      const w = msg => { clearTimeout(t); resolve(msg); };
      const t = setTimeout(() => { this.waiters.splice(this.waiters.indexOf(w), 1); resolve(null); }, ms);
      this.waiters.push(w);
    });
  }

  async nextN(n, ms = 5000) {
    const out = [];
    for (let i = 0; i < n; i++) {
      const m = await this.next(ms);
      if (!m) throw new Error(`expected ${n} frames, got ${i}`);
      out.push(m);
    }
    return out;
  }

  send(type, payload, uuid = randomUUID()) {
    this.ws.send(JSON.stringify({ meta: { type, uuid }, payload }));
    return uuid;
  }

  sendText(text) { this.ws.send(text); }

  closeAfter(ms = 5000) {
    return Promise.race([this.closed, new Promise(r => setTimeout(() => r(null), ms))]);
  }

  close() { this.ws.terminate(); }
}

let passed = 0, failed = 0;
async function check(name, fn) {
  const clients = [];
  const open = async (...a) => { const c = await Client.open(...a); clients.push(c); return c; };
  try {
    await fn(open);
    passed++;
    console.log('ok   ' + name);
  } catch (e) {
    failed++;
    console.log('FAIL ' + name + ': ' + (e && e.message || e));
  } finally {
    clients.forEach(c => c.close());
  }
}

function assert(cond, what) { if (!cond) throw new Error(what); }
function eq(a, b, what) {
  const x = JSON.stringify(a), y = JSON.stringify(b);
  if (x !== y) throw new Error(`${what}: expected ${y}, got ${x}`);
}
function expectMsg(m, type, forUuid) {
  assert(m, `expected a type ${type} message, got nothing`);
  eq(m.meta.type, type, 'meta.type of ' + JSON.stringify(m));
  assert(UUID_RE.test(m.meta.uuid), 'meta.uuid is a canonical UUID');
  if (forUuid) eq(m.payload.for, forUuid, 'payload.for');
  return m.payload;
}
async function call(c, uri, args, timeoutMs = 2000) {
  const id = c.send(CALL, { uri, timeout: timeoutMs * MS, args });
  const ack = expectMsg(await c.next(), ACK, id);
  eq(ack.for_type, CALL, 'ACK for_type');
  eq(ack.uri, uri, 'ACK uri');
  assert(!('channel' in ack), 'empty optional fields are omitted');
  return expectMsg(await c.next(), RES, id);
}
const unique = p => p + '.' + randomUUID().slice(0, 8);

await check('handshake negotiates juggler.0', async open => {
  const c = await open();
  eq(c.ws.protocol, 'juggler.0', 'negotiated subprotocol');
});

await check('handshake without juggler.0 is not served', async () => {
  let served = false;
  try {
    const c = await Client.open({}, []);
    const closed = await c.closeAfter(2000);
    served = closed === null;
    c.close();
  } catch (e) { /* refused: fine */ }
  assert(!served, 'a connection without the subprotocol must not be served');
});

await check('CALL test.echo: ACK then RES with the same string', async open => {
  const c = await open();
  const res = await call(c, 'test.echo', 'hello');
  eq(res.uri, 'test.echo', 'RES uri');
  eq(res.args, 'hello', 'RES args');
});

await check('test.reverse reverses by code point', async open => {
  eq((await call(await open(), 'test.reverse', 'a😀bc')).args, 'cb😀a', 'reversed');
});

await check('test.delay: "150" sleeps and returns 150', async open => {
  const t0 = Date.now();
  eq((await call(await open(), 'test.delay', '150')).args, 150, 'result');
  assert(Date.now() - t0 >= 140, 'it slept');
});

await check('callee errors are {"error":{"message":…}} results', async open => {
  const c = await open();
  for (const [uri, bad] of [['test.echo', 42], ['test.echo', { a: 1 }], ['test.reverse', null], ['test.delay', 'soon']]) {
    const res = await call(c, uri, bad);
    assert(res.args && res.args.error && typeof res.args.error.message === 'string', `${uri}(${JSON.stringify(bad)}) → ${JSON.stringify(res.args)}`);
  }
});

await check('no RES after the call timeout (timeout in nanoseconds)', async open => {
  const c = await open();
  const id = c.send(CALL, { uri: 'test.delay', timeout: 100 * MS, args: '600' });
  expectMsg(await c.next(), ACK, id);
  eq(await c.next(1200), null, 'no RES for an expired call');
});

await check('frames with a trailing newline are accepted (Go clients send one)', async open => {
  const c = await open();
  const id = randomUUID();
  c.sendText(JSON.stringify({ meta: { type: CALL, uuid: id }, payload: { uri: 'test.echo', timeout: 2000 * MS, args: 'nl' } }) + '\n');
  expectMsg(await c.next(), ACK, id);
  eq(expectMsg(await c.next(), RES, id).args, 'nl', 'RES args');
});

await check('captured exchange: SUB news, SUB new* (pattern), PUB news', async open => {
  const c = await open();
  const news = unique('news');
  const pattern = news.slice(0, -2) + '*';
  const s1 = c.send(SUB, { channel: news, pattern: false });
  const a1 = expectMsg(await c.next(), ACK, s1);
  eq([a1.for_type, a1.channel], [SUB, news], 'SUB ACK');
  assert(!('uri' in a1), 'no uri in a SUB ACK');
  const s2 = c.send(SUB, { channel: pattern, pattern: true });
  eq(expectMsg(await c.next(), ACK, s2).channel, pattern, 'pattern SUB ACK');
  const p = c.send(PUB, { channel: news, args: { hello: 'world' } });
  const frames = await c.nextN(3);
  const evnts = frames.filter(f => f.meta.type === EVNT).map(f => expectMsg(f, EVNT, p));
  const acks = frames.filter(f => f.meta.type === ACK).map(f => expectMsg(f, ACK, p));
  eq(acks.length, 1, 'one PUB ACK');
  eq(acks[0].for_type, PUB, 'PUB ACK for_type');
  eq(evnts.length, 2, 'two events (channel and pattern)');
  eq(evnts.map(e => e.pattern || null).sort(), [null, pattern].sort(), 'pattern field only via the pattern');
  evnts.forEach(e => { eq(e.channel, news, 'EVNT channel'); eq(e.args, { hello: 'world' }, 'EVNT args'); });
});

await check('UNSB stops events', async open => {
  const [s, p] = [await open(), await open()];
  const ch = unique('unsb');
  expectMsg(await s.next(s.send(SUB, { channel: ch, pattern: false }) && 5000), ACK);
  const u = s.send(UNSB, { channel: ch, pattern: false });
  eq(expectMsg(await s.next(), ACK, u).for_type, UNSB, 'UNSB ACK');
  expectMsg(await p.next(p.send(PUB, { channel: ch, args: 1 }) && 5000), ACK);
  eq(await s.next(500), null, 'no event after UNSB');
});

await check('args travel as the exact JSON text sent', async open => {
  const [s, p] = [await open(), await open()];
  const ch = unique('raw');
  expectMsg(await s.next(s.send(SUB, { channel: ch, pattern: false }) && 5000), ACK);
  const args = '{"n":123456789012345678901234567890.5e-3,"s":"\\u00e9","a":[1,{}]}';
  const id = randomUUID();
  p.sendText(`{"meta":{"type":2,"uuid":"${id}"},"payload":{"channel":"${ch}","args":${args}}}`);
  expectMsg(await p.next(), ACK, id);
  expectMsg(await s.next(), EVNT, id);
  assert(s.raw.some(r => r.includes('"args":' + args)), 'EVNT args byte-identical: ' + s.raw.at(-1));
});

await check('events from one publisher arrive in publish order', async open => {
  const [s, p] = [await open(), await open()];
  const ch = unique('order');
  expectMsg(await s.next(s.send(SUB, { channel: ch, pattern: false }) && 5000), ACK);
  for (let i = 0; i < 300; i++) p.send(PUB, { channel: ch, args: i });
  const got = (await s.nextN(300)).map(f => expectMsg(f, EVNT).args);
  eq(got, [...Array(300).keys()], 'event order');
});

await check('ACK/NACKs come in request order', async open => {
  const c = await open();
  const ids = [];
  for (let i = 0; i < 30; i++) {
    const kind = i % 3;
    if (kind === 0) ids.push(c.send(SUB, { channel: unique('o'), pattern: false }));
    else if (kind === 1) ids.push(c.send(PUB, { channel: unique('o'), args: i }));
    else ids.push(c.send(CALL, { uri: '', timeout: MS, args: null })); // NACK 400
  }
  const answers = (await c.nextN(30)).filter(f => f.meta.type === ACK || f.meta.type === NACK);
  eq(answers.map(a => a.payload.for), ids, 'order of ACK/NACK');
  answers.filter(a => a.meta.type === NACK).forEach(n => {
    eq(n.payload.code, 400, 'NACK code for an empty URI');
    assert(n.payload.message, 'NACK message');
  });
});

await check('Juggler-Allowed-Messages restricts the connection', async open => {
  const c = await open({ 'Juggler-Allowed-Messages': 'call, pub' });
  await call(c, 'test.echo', 'allowed');
  c.send(SUB, { channel: 'x', pattern: false });
  const closed = await c.closeAfter();
  assert(closed, 'a SUB on a call,pub connection closes it');
  eq(closed.code, 1008, 'close code');
});

const violations = [
  ['invalid JSON', c => c.sendText('{"meta":'), 1002],
  ['binary frame', c => c.ws.send(Buffer.from([1, 2, 3]), { binary: true }), 1003],
  ['unknown type', c => c.send(99, {}), 1002],
  ['server type sent by a client', c => c.send(ACK, {}), 1002],
  ['payload field of the wrong JSON type', c => c.send(CALL, { uri: 5, timeout: MS }), 1002],
  ['fractional timeout', c => c.send(CALL, { uri: 'test.echo', timeout: 1.5 }), 1002],
  ['data after the object', c => c.sendText(`{"meta":{"type":2,"uuid":"${randomUUID()}"},"payload":{"channel":"a"}}{}`), 1002],
  ['missing payload', c => c.sendText(`{"meta":{"type":2,"uuid":"${randomUUID()}"}}`), 1002],
  ['meta.uuid not a UUID', c => c.sendText('{"meta":{"type":2,"uuid":"abc"},"payload":{"channel":"a"}}'), 1002],
  ['frame over the read limit (64 KiB)', c => c.send(PUB, { channel: 'big', args: 'x'.repeat(70000) }), 1009],
];
for (const [name, offend, code] of violations) {
  await check(`violation closes only that connection: ${name} → ${code}`, async open => {
    const [bystander, offender] = [await open(), await open()];
    offend(offender);
    const closed = await offender.closeAfter();
    assert(closed, 'connection closed');
    eq(closed.code, code, 'close code');
    eq((await call(bystander, 'test.echo', 'still here')).args, 'still here', 'bystander still served');
  });
}

console.log(`conformance: ${passed} passed, ${failed} failed`);
process.exit(failed ? 1 : 0);
