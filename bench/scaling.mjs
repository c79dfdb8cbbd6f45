// `node bench/scaling.mjs [--clients=1000] [--events=200]`: the figures of docs/scaling.md,
// measured on this machine against a real cluster (demo/server/cluster.js: Debian's
// redis-server, two backend processes on it, the round-robin proxy in front). Not run in CI:
// it takes a minute and the whole machine.
//
// 1. Sockets per process and memory per socket: N clients connect through the proxy (half on
//    each process); each process's memory after a full GC, before and after, divided by its sockets.
// 2. Fan-out through Redis: E change events emitted in one burst through process 1 only; every
//    client (on both processes) must receive all of them: events per second and deliveries per second.
// 3. Reconnect after a crash: process 1 is killed (SIGKILL); its clients reconnect through the
//    proxy to process 2, configured exactly as the element configures its socket (1 s first
//    delay with ±50 % jitter, 5 s cap): time from the kill until each is back.
//
// The N clients run in this one Node process (one Manager each: N screens, not N elements on one
// page), so on two cores they share the machine with the backends and Redis: the figures are a
// floor for a real deployment, where the screens are elsewhere.
import { performance } from 'node:perf_hooks';
import { Manager } from 'socket.io-client';
import { startCluster } from '../demo/server/cluster.js';
import { defaultSettings, loadElementSocket } from './lib/element-socket.mjs';
import { bytes, ms, percentile, until } from './lib/stats.mjs';

const arg = (name, fallback) => Number(process.argv.find((a) => a.startsWith(`--${name}=`))?.split('=')[1] ?? fallback);
const CLIENTS = arg('clients', 1000);
const EVENTS = arg('events', 200);

const { managerOptions, handshakeAuth } = await loadElementSocket();
const cluster = await startCluster({ processes: 2, execArgv: ['--expose-gc'], output: 'ignore' });
const settings = defaultSettings(cluster.url);
const clients = [];
const results = { clients: CLIENTS, events: EVENTS };
try {
  const memory = () => Promise.all([0, 1].map((i) => cluster.call(i, 'memory')));
  const before = await memory();

  // 1. Sockets and memory.
  const t0 = performance.now();
  for (let i = 0; i < CLIENTS; i += 1) {
    const manager = new Manager(settings.serverUrl, managerOptions(settings));
    const client = { connects: 0, lastConnectAt: 0, received: 0 };
    client.socket = manager.socket(settings.namespace, { auth: (callback) => callback(handshakeAuth(settings.namespace, undefined)) });
    client.socket.on('connect', () => {
      client.connects += 1;
      client.lastConnectAt = performance.now();
    });
    client.socket.on('dashboard_schedule_updated', () => (client.received += 1));
    clients.push(client);
  }
  await until(() => clients.every((c) => c.connects === 1), 120000, `${CLIENTS} clients connected`);
  results.connectAllMs = performance.now() - t0;
  const after = await memory();
  const sockets = await Promise.all([0, 1].map(async (i) => (await cluster.call(i, 'stats')).clients));
  results.perProcess = [0, 1].map((i) => ({
    sockets: sockets[i],
    rssPerSocket: (after[i].rss - before[i].rss) / sockets[i],
    heapPerSocket: (after[i].heapUsed - before[i].heapUsed) / sockets[i],
    rss: after[i].rss,
  }));

  // 2. Fan-out: one burst through process 1, delivered by both.
  const day = new Date().toISOString().slice(0, 10);
  const payloads = Array.from({ length: EVENTS }, (_, k) => ({
    action: 'updated',
    appointment: { id: `apt-${k % 40}`, start: `${day}T09:00:00Z`, patientName: 'Bench Patient', status: 'checked-in', room: '2' },
    emittedAt: Date.now(),
  }));
  const t1 = performance.now();
  await cluster.call(0, 'emitMany', { payloads });
  await until(() => clients.every((c) => c.received === EVENTS), 120000, 'every event at every client');
  const fanOutMs = performance.now() - t1;
  results.fanOut = { ms: fanOutMs, eventsPerS: EVENTS / (fanOutMs / 1000), deliveriesPerS: (EVENTS * CLIENTS) / (fanOutMs / 1000) };

  // 3. Kill process 1: its clients reconnect to process 2.
  const downAt = performance.now();
  await cluster.kill(0, 'SIGKILL');
  const moved = () => clients.filter((c) => c.connects === 2);
  await until(() => moved().length === sockets[0], 120000, 'the killed process’s clients back');
  const back = moved().map((c) => c.lastConnectAt - downAt);
  results.reconnect = { clients: back.length, p50: percentile(back, 50), p95: percentile(back, 95), max: Math.max(...back) };
  results.afterKill = (await cluster.call(1, 'stats')).clients;
} finally {
  for (const c of clients) c.socket.disconnect();
  await cluster.close();
}

console.log(`\nscaling, ${new Date().toISOString()}: ${CLIENTS} clients, 2 backend processes on Redis behind the round-robin proxy\n`);
console.log('| measure | result |\n|---|---|');
const row = (measure, result) => console.log(`| ${measure} | ${result} |`);
row('all clients connected (through the proxy)', ms(results.connectAllMs));
results.perProcess.forEach((p, i) =>
  row(`process ${i + 1}: sockets; memory per socket, RSS (JS heap); RSS in all`, `${p.sockets}; ${bytes(Math.round(p.rssPerSocket))} (${bytes(Math.round(p.heapPerSocket))}); ${bytes(p.rss)}`),
);
row(`fan-out: ${EVENTS} events through process 1 to all ${CLIENTS} clients`, ms(results.fanOut.ms));
row('fan-out: events per second (deliveries per second)', `${Math.round(results.fanOut.eventsPerS)} (${Math.round(results.fanOut.deliveriesPerS)})`);
row(`process 1 killed: its ${results.reconnect.clients} clients back on process 2, p50 / p95 / max`, `${ms(results.reconnect.p50)} / ${ms(results.reconnect.p95)} / ${ms(results.reconnect.max)}`);
row('sockets on process 2 afterwards', String(results.afterKill));
console.log(`\n${JSON.stringify(results)}`);
process.exit(0);
