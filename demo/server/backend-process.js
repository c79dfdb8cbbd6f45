// The reference backend as a process of its own: one of the processes of README, "Running
// several backend processes", as the tests and the scaling benchmark start them.
//
//   PORT=0 REDIS_URL=redis://127.0.0.1:6379 node demo/server/backend-process.js
//
// Environment: `PORT` (0: a free one), `HOST` (`127.0.0.1`), `REDIS_URL` (unset: in memory,
// alone), `REDIS_PREFIX`, `ALLOWED_ORIGINS` (comma-separated), `PAGE_ORIGIN` (every request
// that is not the backend's is passed on to this origin: the cluster demo's page server;
// unset: 404).
//
// Started with an IPC channel (`fork`), it reports `{ ready: true, port, url, pid }` and
// answers `{ id, action, args }` with `{ id, result }` or `{ id, error }`: the backend's
// methods (`emit`, `upsert`, `remove`, `setAppointments`, `setDate`, `snapshot`, `stats`,
// `dropClients`, `stopSockets`, `startSockets`, `setRestFault`) and `memory` (its
// `process.memoryUsage()`, after a GC when run with `--expose-gc`). It exits when its parent
// goes away.
//
// SIGTERM: leaves gracefully (`shutdown()`: sessions kept for recovery, clients reconnect
// elsewhere). SIGKILL, by nature, keeps nothing.

import { request } from 'node:http';
import { startBackend } from './backend.js';

/**
 * Passes a request on to `origin` as it came (method, path, headers) and its answer back.
 * @param {string} origin
 * @returns {import('node:http').RequestListener}
 */
const passOn = (origin) => (req, res) => {
  const upstream = request(new URL(req.url ?? '/', origin), { method: req.method, headers: req.headers }, (answer) => {
    res.writeHead(answer.statusCode ?? 502, answer.headers);
    answer.pipe(res);
  });
  upstream.on('error', () => {
    if (!res.headersSent) res.writeHead(502, { 'Content-Type': 'text/plain' });
    res.end('page server unavailable');
  });
  req.pipe(upstream);
};

const backend = await startBackend({
  port: Number(process.env.PORT) || 0,
  host: process.env.HOST || '127.0.0.1',
  redisUrl: process.env.REDIS_URL || undefined,
  redisPrefix: process.env.REDIS_PREFIX || undefined,
  allowedOrigins: process.env.ALLOWED_ORIGINS ? process.env.ALLOWED_ORIGINS.split(',').map((o) => o.trim()).filter(Boolean) : [],
  ...(process.env.PAGE_ORIGIN && { otherRequests: passOn(process.env.PAGE_ORIGIN) }),
});

/** @type {Record<string, (args: any) => unknown>} */
const actions = {
  emit: ({ payload }) => backend.emit(payload),
  emitMany: ({ payloads }) => backend.emitMany(payloads),
  upsert: ({ appointment, emit }) => backend.upsert(appointment, { emit }),
  remove: ({ appointmentId, emit }) => backend.remove(appointmentId, { emit }),
  setAppointments: ({ appointments, emit }) => backend.setAppointments(appointments, { emit }),
  setDate: ({ date }) => backend.setDate(date),
  snapshot: () => backend.snapshot(),
  stats: () => backend.stats(),
  dropClients: () => backend.dropClients(),
  stopSockets: () => backend.stopSockets(),
  startSockets: () => backend.startSockets(),
  setRestFault: ({ fault }) => backend.setRestFault(fault ?? null),
  memory: () => {
    globalThis.gc?.();
    return process.memoryUsage();
  },
};

let leaving = false;
process.on('SIGTERM', async () => {
  if (leaving) return;
  leaving = true;
  await backend.shutdown();
  process.exit(0);
});

if (process.send) {
  process.on('message', async (/** @type {any} */ message) => {
    const { id, action, args = {} } = message ?? {};
    try {
      const run = actions[action];
      if (!run) throw new Error(`unknown action ${action}`);
      process.send?.({ id, result: (await run(args)) ?? null });
    } catch (error) {
      process.send?.({ id, error: String(/** @type {Error} */ (error)?.message ?? error) });
    }
  });
  // An orphan would hold its port and its Redis connection: leave with the parent.
  process.on('disconnect', () => process.exit(0));
  process.send({ ready: true, port: backend.port, url: backend.url, pid: process.pid, mode: backend.mode });
} else {
  console.log(`schedule-dashboard backend (${backend.mode}) on ${backend.url}`);
}
