// `npm run start:cluster`: the demo as a practice group would run it (README, "Running several
// backend processes"): Debian's `redis-server`, two backend processes on it, the round-robin
// proxy in front, and the demo page on the proxy's port. The clinic simulator changes the day
// through Redis from this process, as a separate worker would; the page's fault buttons act
// on every process, and "Kill one backend process" crashes one (SIGKILL), started again after
// the seconds asked for: its screens reconnect through the proxy to the other one.
//
//   PORT=4321 npm run start:cluster   (default 5173: the proxy)
//   PROCESSES=3 npm run start:cluster (default 2)
//   TZ_PRACTICE=Europe/Berlin …       the practice's time zone (default: this machine's)

import { createBackend } from './server/backend.js';
import { startCluster } from './server/cluster.js';
import { faultButtons, startPageServer } from './server/demo-page.js';
import { simulate } from './server/simulator.js';

const port = Number(process.env.PORT ?? 5173);
const processes = Math.max(2, Number(process.env.PROCESSES) || 2);
const timeZone = process.env.TZ_PRACTICE || Intl.DateTimeFormat().resolvedOptions().timeZone;

/** @type {Awaited<ReturnType<typeof startCluster>> | undefined} */
let cluster;
/** @type {ReturnType<typeof simulate> | undefined} */
let simulator;
/** Kills take turns, so that each process gets its go. */
let nextVictim = 0;
/** @type {Set<ReturnType<typeof setTimeout>>} */
const revivals = new Set();

/** Crashes one running process (never the last) and starts it again after `seconds`. */
async function killOne(/** @type {number} */ seconds) {
  if (!cluster) throw new Error('the cluster is starting');
  const running = cluster.ports.map((_, i) => i).filter((i) => cluster?.running(i));
  if (running.length < 2) throw new Error('only one backend process is running: it is kept');
  const victim = running.find((i) => i >= nextVictim % cluster.ports.length) ?? running[0];
  nextVictim = victim + 1;
  await cluster.kill(victim, 'SIGKILL');
  console.log(`  backend process ${victim + 1} (port ${cluster.ports[victim]}) killed; back in ${seconds} s`);
  const timer = setTimeout(async () => {
    revivals.delete(timer);
    await cluster?.revive(victim);
    console.log(`  backend process ${victim + 1} (port ${cluster?.ports[victim]}) running again`);
  }, seconds * 1000);
  revivals.add(timer);
}

const all = (/** @type {string} */ action, /** @type {Record<string, unknown>} */ args = {}) => cluster?.callAll(action, args);
const faults = faultButtons(
  {
    dropClients: () => all('dropClients'),
    stopSockets: () => all('stopSockets'),
    startSockets: () => all('startSockets'),
    setRestFault: (fault) => all('setRestFault', { fault }),
    step: () => simulator?.step(),
  },
  { 'kill-process': killOne },
);

// The page server is internal (a free loopback port): the processes pass it every request that
// is not theirs. `GET /demo-api/cluster` tells the page to show the cluster's own buttons.
const page = await startPageServer({
  port: 0,
  host: '127.0.0.1',
  timeZone,
  hmr: false,
  handle: (req, res) => {
    if (req.method === 'GET' && req.url === '/demo-api/cluster') {
      const up = cluster ? cluster.ports.filter((_, i) => cluster?.running(i)).length : 0;
      res.writeHead(200, { 'Content-Type': 'application/json' }).end(JSON.stringify({ processes: cluster?.ports.length ?? 0, running: up }));
      return true;
    }
    return faults(req, res);
  },
});
cluster = await startCluster({ processes, port, pageOrigin: `http://127.0.0.1:${page.port}` });

// The simulator's backend serves nobody: its Socket.IO is an emitter into the Redis stream.
const worker = createBackend({ redisUrl: cluster.redis.url });
await worker.ready;
worker.attach();
simulator = simulate(worker, { timeZone });

console.log(`schedule-dashboard cluster demo (practice time zone ${timeZone})`);
console.log(`  redis-server on ${cluster.redis.url}`);
cluster.ports.forEach((p, i) => console.log(`  backend process ${i + 1} on http://127.0.0.1:${p}`));
console.log(`  round-robin proxy: open http://localhost:${port}/demo/`);

const shutdown = async () => {
  simulator?.stop();
  faults.stop();
  for (const timer of revivals) clearTimeout(timer);
  try {
    await worker.close();
  } finally {
    await cluster?.close();
    await page.close();
    process.exit(0);
  }
};
process.on('SIGINT', shutdown);
process.on('SIGTERM', shutdown);
