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
//
// REST during the restart: each client also runs the element's own schedule feed
// (src/data/schedule-feed.ts through ./lib/element-feed.mjs: single flight, ETag, the catch-up
// retried while live, the reconciling fetch after a reconnect) with the controller's two rules
// around it (CONTRACT §5): when the socket drops, one fetch at once and then one every
// poll-interval; when it is back, the reconciling fetch. Counted: REST requests per client per
// restart (sent, and answered by the server: a fetch to the dead port is refused at once),
// and the most answered within any 100 ms, with the reconciling fetch spread over a random wait
// of at most reconnection-delay (the element's rule) and without (the rule before it: at once).
import { fork } from 'node:child_process';
import { once } from 'node:events';
import { fileURLToPath } from 'node:url';
import { performance } from 'node:perf_hooks';
import { Manager } from 'socket.io-client';
import { loadElementFeed } from './lib/element-feed.mjs';
import { defaultSettings, loadElementSocket } from './lib/element-socket.mjs';
import { ms, percentile, until } from './lib/stats.mjs';

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

/** The most of `times` (ms) within any 100 ms. */
function peakPer100Ms(times) {
  const sorted = [...times].sort((a, b) => a - b);
  let peak = 0;
  for (let i = 0, j = 0; i < sorted.length; i += 1) {
    while (sorted[i] - sorted[j] >= 100) j += 1;
    peak = Math.max(peak, i - j + 1);
  }
  return peak;
}

/**
 * Every REST request the clients' feeds send, as `{ at, answered }`: `fetch` itself is
 * wrapped, so what is counted is what left, whoever sent it.
 */
function recordRest() {
  const sent = [];
  const realFetch = globalThis.fetch;
  globalThis.fetch = async (...args) => {
    const request = { at: performance.now(), answered: false };
    sent.push(request);
    const response = await realFetch(...args);
    request.answered = true;
    return response;
  };
  return { sent, restore: () => (globalThis.fetch = realFetch) };
}

export async function storm(n, pauseMs, spread, { managerOptions, handshakeAuth }, elementFeed) {
  let backend = await startBackendProcess();
  const settings = defaultSettings(backend.url);
  const clients = [];
  const rest = recordRest();
  try {
    for (let i = 0; i < n; i += 1) {
      // One Manager per client: N dashboards in N browsers, not N elements sharing one page.
      const manager = new Manager(settings.serverUrl, managerOptions(settings));
      const client = { manager, connects: 0, lastConnectAt: 0, attempts: 0, failedAttempts: 0, polling: undefined };
      // The element passes auth as a function, asked at every handshake; so does this.
      client.socket = manager.socket(settings.namespace, {
        auth: (callback) => callback(handshakeAuth(settings.namespace, undefined)),
      });
      const { feed, metrics, config } = elementFeed(settings.serverUrl, { live: () => client.socket.connected });
      Object.assign(client, { feed, metrics });
      void feed.fetch('initial');
      client.socket.on('connect', () => {
        client.connects += 1;
        client.lastConnectAt = performance.now();
        clearInterval(client.polling);
        feed.liveChanged(true);
        const outage = client.connects > 1;
        if (spread || !outage) feed.connected(outage);
        else {
          // Before the spread: the reconciling fetch at once.
          feed.connected(false);
          void feed.fetch('reconcile');
        }
      });
      client.socket.on('disconnect', () => {
        feed.liveChanged(false);
        void feed.fetch('poll');
        client.polling = setInterval(() => void feed.fetch('poll'), config.pollInterval);
      });
      manager.on('reconnect_attempt', () => (client.attempts += 1));
      manager.on('reconnect_error', () => (client.failedAttempts += 1));
      clients.push(client);
    }
    await until(() => clients.every((c) => c.connects === 1 && c.feed.loaded), 60000, `${n} clients connected and loaded`);
    const sentBefore = rest.sent.length;

    const downAt = performance.now();
    await kill(backend.child);
    await new Promise((resolve) => setTimeout(resolve, pauseMs));
    backend = await startBackendProcess(backend.port);
    const upAt = performance.now();
    await until(() => clients.every((c) => c.connects === 2), 120000, `${n} clients back`);
    // Each client's reconciling fetch done, nothing owed any more.
    await until(() => clients.every((c) => c.metrics.consistency.checks === 1 && !c.feed.catchingUp), 60000, `${n} clients reconciled`);

    const back = clients.map((c) => c.lastConnectAt - downAt);
    const allBack = Math.max(...back);
    const restart = rest.sent.slice(sentBefore);
    const answered = restart.filter((r) => r.answered);
    return {
      n,
      pauseMs,
      spread,
      restPerClient: restart.length / n,
      restAnsweredPerClient: answered.length / n,
      restPeakPer100Ms: peakPer100Ms(answered.map((r) => r.at)),
      downMs: upAt - downAt,
      allBackMs: allBack,
      allBackAfterUpMs: allBack - (upAt - downAt),
      p50Ms: percentile(back, 50),
      p95Ms: percentile(back, 95),
      maxMs: allBack,
      // The herd the server sees: the most reconnects within any 100 ms.
      peakPer100Ms: peakPer100Ms(back),
      attempts: clients.reduce((sum, c) => sum + c.attempts, 0),
      failedAttempts: clients.reduce((sum, c) => sum + c.failedAttempts, 0),
    };
  } finally {
    for (const c of clients) {
      // Listeners first, as the element lets go: a closing client must not start polling.
      c.socket.off();
      clearInterval(c.polling);
      c.feed?.dispose();
      c.socket.disconnect(); // the Manager closes with its last socket
    }
    rest.restore();
    await kill(backend.child);
  }
}

export async function runStorm({ quick }) {
  const sizes = quick ? [20] : [100, 500, 1000];
  const pauses = [0, 5000];
  const element = await loadElementSocket();
  const elementFeed = await loadElementFeed();
  const results = [];
  for (const spread of [true, false]) {
    for (const pauseMs of pauses) for (const n of sizes) results.push(await storm(n, pauseMs, spread, element, elementFeed));
  }
  return {
    rows: results.flatMap((r) => {
      const label = `N=${r.n}, ${r.pauseMs ? `restart after ${r.pauseMs / 1000} s` : 'immediate restart'}`;
      const rest = `${label}, reconciling fetch ${r.spread ? 'spread (≤ reconnection-delay)' : 'at once (no spread)'}`;
      const restRows = [
        { measure: `${rest}: REST requests per client per restart, sent (answered)`, result: `${r.restPerClient.toFixed(2)} (${r.restAnsweredPerClient.toFixed(2)})` },
        { measure: `${rest}: most REST requests answered within 100 ms`, result: String(r.restPeakPer100Ms) },
      ];
      // Reconnects do not depend on the spread: reported once, from the runs with it.
      if (!r.spread) return restRows;
      return [
        ...restRows,
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
