// Measures how many Redis connections a server holds as WebSocket clients come: opens N
// connections, each with one SUB (its own channel) and one CALL to test.echo, waits for every ACK
// and RES, then counts the clients of the Redis the server uses (CLIENT LIST, by client name).
//
//   node connection-bound.mjs N ws://127.0.0.1:9080/ws redis://127.0.0.1:6379
//
// Needs redis-cli on the PATH. The counts include the callees when they run in the same server.
import { randomUUID } from 'node:crypto';
import { execFileSync } from 'node:child_process';
import WebSocket from 'ws';

const [n = 500, url = 'ws://127.0.0.1:9080/ws', redis = 'redis://127.0.0.1:6379'] = process.argv.slice(2);
const { hostname, port } = new URL(redis);
const clients = () => execFileSync('redis-cli', ['-h', hostname, '-p', port || '6379', 'client', 'list'])
  .toString().trim().split('\n')
  .map(line => (line.match(/ name=(\S*)/) || [])[1] || '(unnamed)')
  .reduce((acc, name) => ({ ...acc, [name]: (acc[name] || 0) + 1 }), {});
const total = c => Object.entries(c).filter(([k]) => k !== '(unnamed)').reduce((s, [, v]) => s + v, 0);

const before = clients();
let acks = 0, results = 0;
const conns = await Promise.all([...Array(Number(n)).keys()].map(i => new Promise((resolve, reject) => {
  const ws = new WebSocket(url, ['juggler.0']);
  ws.on('message', d => {
    const type = JSON.parse(d.toString()).meta.type;
    if (type === 8) acks++;
    if (type === 9) results++;
  });
  ws.once('open', () => {
    ws.send(JSON.stringify({ meta: { type: 3, uuid: randomUUID() }, payload: { channel: 'bound.' + i, pattern: false } }));
    ws.send(JSON.stringify({ meta: { type: 1, uuid: randomUUID() }, payload: { uri: 'test.echo', timeout: 10e9, args: 'c' + i } }));
    resolve(ws);
  });
  ws.once('error', reject);
})));
for (let i = 0; i < 300 && (acks < 2 * n || results < n); i++) await new Promise(r => setTimeout(r, 100));
const during = clients();
console.log(`${n} WebSocket connections: ${acks} ACKs, ${results} RES`);
console.log(`Redis connections of the server (named juggler*): ${total(before)} before, ${total(during)} with them open`);
console.log('by name:', JSON.stringify(during));
conns.forEach(c => c.close());
process.exit(acks === 2 * n && results === Number(n) ? 0 : 1);
