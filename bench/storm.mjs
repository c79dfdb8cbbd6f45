// Scenario 4, reconnect storm: N dashboards' sockets, as Node clients configured exactly
// as the element configures its own (managerOptions and handshakeAuth from
// src/connection/socket.ts: websocket only, 1 s first delay with Socket.IO's ±50 % jitter, 5 s
// cap, 60 attempts), all connected to the reference backend, which is then restarted:
// its process killed (every connection reset at once, the port closed) and started
// again on the same port, at once (down for as long as Node takes to start it) and
// after 5 s (a slow restart: attempts fail and the backoff grows). Reported: how long
// until every client is back, and how the reconnects spread out (the jittered backoff
// is what keeps them from arriving all together).
//
// One Node process runs all N clients, another the backend, so the two do not share
// an event loop; on two cores they still share the machine. Times are taken in the
// clients' process when each socket's `connect` event runs.
import { fork } from 'node:child_process';
import { once } from 'node:events';
import { fileURLToPath } from 'node:url';
import { performance } from 'node:perf_hooks';
import { Manager } from 'socket.io-client';
import { defaultSettings, loadElementSocket } from './lib/element-socket.mjs';
import { ms, percentile } from './lib/stats.mjs';

const backendScript = fileURLToPath(new URL('./lib/backend-process.mjs', import.meta.url));

/** Starts the backend process (on `port`, or a free one) and resolves when it listens. */
async function startBackendProcess(port = 0) {
  const child = fork(backendScript, [], {
    env: { ...process.env, PORT: String(port) },
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  const [message] = await once(child, 'message');
  return { child, port: message.port, url: message.url };
}

async function kill(child) {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = once(child, 'exit');
  child.kill('SIGKILL');
  await exited;
}

/** Resolves when `test()` holds, checking every 10 ms; rejects after `ms`. */
async function until(test, ms, what) {
  const end = performance.now() + ms;
  while (!test()) {
    if (performance.now() > end) throw new Error(`timed out after ${ms} ms: ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

async function storm(n, pauseMs, { managerOptions, handshakeAuth }) {
  let backend = await startBackendProcess();
  const settings = defaultSettings(backend.url);
  const clients = [];
  try {
    for (let i = 0; i < n; i += 1) {
      // One Manager per client: N dashboards in N browsers, not N elements sharing one page.
      const manager = new Manager(settings.serverUrl, managerOptions(settings));
      const client = { manager, connects: 0, lastConnectAt: 0, attempts: 0, failedAttempts: 0 };
      // The element passes auth as a function, asked at every handshake; so does this.
      client.socket = manager.socket(settings.namespace, {
        auth: (callback) => callback(handshakeAuth(settings.namespace, undefined)),
      });
      client.socket.on('connect', () => {
        client.connects += 1;
        client.lastConnectAt = performance.now();
      });
      manager.on('reconnect_attempt', () => (client.attempts += 1));
      manager.on('reconnect_error', () => (client.failedAttempts += 1));
      clients.push(client);
    }
    await until(() => clients.every((c) => c.connects === 1), 60000, `${n} clients connected`);

    const downAt = performance.now();
    await kill(backend.child);
    await new Promise((resolve) => setTimeout(resolve, pauseMs));
    backend = await startBackendProcess(backend.port);
    const upAt = performance.now();
    await until(() => clients.every((c) => c.connects === 2), 120000, `${n} clients back`);

    const back = clients.map((c) => c.lastConnectAt - downAt);
    const allBack = Math.max(...back);
    // The herd the server sees: the most reconnects within any 100 ms.
    const sorted = [...back].sort((a, b) => a - b);
    let peak = 0;
    for (let i = 0, j = 0; i < sorted.length; i += 1) {
      while (sorted[i] - sorted[j] >= 100) j += 1;
      peak = Math.max(peak, i - j + 1);
    }
    return {
      n,
      pauseMs,
      downMs: upAt - downAt,
      allBackMs: allBack,
      allBackAfterUpMs: allBack - (upAt - downAt),
      p50Ms: percentile(back, 50),
      p95Ms: percentile(back, 95),
      maxMs: allBack,
      peakPer100Ms: peak,
      attempts: clients.reduce((sum, c) => sum + c.attempts, 0),
      failedAttempts: clients.reduce((sum, c) => sum + c.failedAttempts, 0),
    };
  } finally {
    for (const c of clients) c.socket.disconnect(); // the Manager closes with its last socket
    await kill(backend.child);
  }
}

export async function runStorm({ quick }) {
  const sizes = quick ? [20] : [100, 500, 1000];
  const pauses = [0, 5000];
  const element = await loadElementSocket();
  const results = [];
  for (const pauseMs of pauses) for (const n of sizes) results.push(await storm(n, pauseMs, element));
  return {
    rows: results.flatMap((r) => {
      const label = `N=${r.n}, ${r.pauseMs ? `restart after ${r.pauseMs / 1000} s` : 'immediate restart'}`;
      return [
        { measure: `${label}: server down (kill → listening again)`, result: ms(r.downMs) },
        { measure: `${label}: all back, from kill (from listening)`, result: `${ms(r.allBackMs)} (${ms(r.allBackAfterUpMs)})` },
        { measure: `${label}: reconnect time from kill, p50 / p95 / max`, result: `${ms(r.p50Ms)} / ${ms(r.p95Ms)} / ${ms(r.maxMs)}` },
        { measure: `${label}: most reconnects within 100 ms`, result: String(r.peakPer100Ms) },
        { measure: `${label}: reconnect attempts (failed)`, result: `${r.attempts} (${r.failedAttempts})` },
      ];
    }),
    raw: results,
  };
}
