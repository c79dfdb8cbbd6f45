// The reference backend: what a practice's server must offer <schedule-dashboard>.
//
// One HTTP server carries both halves of the contract (CONTRACT §4):
// - REST: `GET /api/appointments/today` → `{ appointments, date?, version }`, with an
//   ETag so that unchanged polls cost a 304;
// - Socket.IO: namespace `/appointments`, event `dashboard_schedule_updated`, in the
//   three payload forms (snapshot, change, signal).
//
// It also carries fault switches, so the demo and the tests can break it on purpose:
// stop the socket server (handshakes refused, connections closed), drop every client,
// make REST fail, return garbage, hang or answer slowly; and check a token (on both
// halves with `requireToken`, on the socket alone with `socketToken`).
//
// It is a real server too (README, "The backend contract"): CORS by an allow-list
// (`allowedOrigins`; same origin only by default), applied to REST and to Socket.IO alike;
// Socket.IO connection state recovery, so that a short outage replays the events a client
// missed (`socket.recovered`), with the token middleware run again on recovery. With
// `redisUrl` it runs on Redis (README, "Running several backend processes"): the day lives in
// Redis (./store.js) and events travel through Socket.IO's Redis streams adapter (./redis.js),
// so any number of processes behind a plain load balancer serve the same practice group.
//
// Plain JavaScript with JSDoc so that Node runs it as it is.

import { createServer } from 'node:http';
import { Server } from 'socket.io';
import { connectRedis } from './redis.js';
import { andThen, createMemoryStore } from './store.js';

/**
 * @typedef {Record<string, unknown> & { id: string | number }} RawAppointment
 *
 * @typedef {object} RestFault
 * @property {number} [status]    answer with this HTTP status (and `body`, if given)
 * @property {string} [body]      raw body to send instead of the schedule
 * @property {string} [contentType] content type of `body` (default `application/json`)
 * @property {boolean} [hang]     never answer
 * @property {number} [delayMs]   answer after this many milliseconds
 * @property {string} [redirect]  answer `302 Found` with this `Location` (e.g. another origin)
 *
 * @typedef {object} BackendOptions
 * @property {number} [port]          0 (default) picks a free port
 * @property {string} [host]          default `127.0.0.1`
 * @property {string} [namespace]     default `/appointments`
 * @property {string} [eventName]     default `dashboard_schedule_updated`
 * @property {string} [restPath]      default `/api/appointments/today`
 * @property {RawAppointment[]} [appointments] the day to start with
 * @property {string} [date]          included as `date` in REST answers when set
 * @property {'object' | 'array'} [restShape] REST body shape (default `object`)
 * @property {string} [requireToken]  refuse handshakes and REST calls without this token
 * @property {string} [socketToken]   refuse Socket.IO handshakes without this token, while REST
 *                                    answers without one (a refusal by the socket side alone)
 * @property {number} [pingInterval]  Engine.IO heartbeat (ms); tests under a fake clock raise it
 * @property {string[]} [allowedOrigins] origins (`https://intranet.example-clinic.org`) whose pages may call
 *                                    REST and open the socket with credentials; the page's own origin
 *                                    always may. Default none: same origin only
 * @property {number} [maxDisconnectionDuration] how long a disconnected client's session and missed
 *                                    events are kept for recovery (ms, default 120 000)
 * @property {string} [redisUrl]      run on Redis (`redis://host:port`): the day and the events are shared
 *                                    by every process given the same Redis. Default: in memory, one process
 * @property {string} [redisPrefix]   prefix of the Redis keys, stream and channels (default `schedule-dashboard:`)
 */

/**
 * Creates the backend without listening, so that a host server (the demo's Vite
 * server) can mount `handleRequest` and attach Socket.IO to its own HTTP server.
 *
 * @param {BackendOptions} [options]
 */
export function createBackend(options = {}) {
  const namespace = options.namespace ?? '/appointments';
  const eventName = options.eventName ?? 'dashboard_schedule_updated';
  const restPath = options.restPath ?? '/api/appointments/today';
  const restShape = options.restShape ?? 'object';

  const allowedOrigins = allowList(options.allowedOrigins);
  /** @type {Awaited<ReturnType<typeof connectRedis>> | undefined} */
  let redis;
  /** The day: in memory at once, in Redis once `ready`. @type {import('./store.js').Store | undefined} */
  let store = options.redisUrl ? undefined : createMemoryStore({ appointments: options.appointments, date: options.date });
  const ready = options.redisUrl
    ? connectRedis({ url: options.redisUrl, prefix: options.redisPrefix, appointments: options.appointments, date: options.date }).then((connected) => {
        redis = connected;
        store = connected.store;
      })
    : Promise.resolve();
  const day = () => {
    if (!store) throw new Error('schedule-dashboard backend: Redis is not connected yet (await backend.ready)');
    return store;
  };
  let socketsUp = true;
  /** @type {RestFault | null} */
  let restFault = null;
  /** @type {Set<import('node:http').ServerResponse>} */
  const hanging = new Set();
  /** @type {Set<ReturnType<typeof setTimeout>>} */
  const timers = new Set();
  const stats = {
    restRequests: 0,
    notModified: 0,
    /** @type {string[]} Authorization headers seen on REST */
    authorizations: [],
    /** @type {Array<{ auth: unknown, transport: string, path: string }>} */
    handshakes: [],
    connections: 0,
    /** Connections that recovered a session (missed events replayed). */
    recoveredConnections: 0,
    refusedHandshakes: 0,
    /** Socket.IO requests refused because their page's origin is not allowed. */
    refusedOrigins: 0,
    /** The most REST requests ever under way at once (a client must never overlap its own). */
    maxConcurrentRest: 0,
  };
  let restInFlight = 0;

  /** @type {Server | undefined} */
  let io;
  /** @type {import('node:http').Server | undefined} */
  let attachedTo;

  const body = (/** @type {import('./store.js').Day} */ { appointments, version, date }) =>
    JSON.stringify(restShape === 'array' ? appointments : { appointments, version, ...(date ? { date } : {}) });

  /**
   * Whether a request's page may use this backend: no Origin (not a browser page), the
   * backend's own origin, or one on the allow-list. Nothing else is ever echoed.
   * @param {import('node:http').IncomingMessage} req
   */
  const originAllowed = (req) => {
    const origin = req.headers.origin;
    if (!origin) return true;
    if (allowedOrigins.includes(origin)) return true;
    try {
      return new URL(origin).host === req.headers.host;
    } catch {
      return false;
    }
  };

  /**
   * Answers the REST route (and CORS preflights); returns false for any other URL.
   * @param {import('node:http').IncomingMessage} req
   * @param {import('node:http').ServerResponse} res
   */
  function handleRequest(req, res) {
    const url = new URL(req.url ?? '/', 'http://localhost');
    if (url.pathname !== restPath) return false;
    const origin = req.headers.origin;
    if (origin) {
      res.setHeader('Vary', 'Origin');
      if (originAllowed(req)) {
        res.setHeader('Access-Control-Allow-Origin', origin);
        res.setHeader('Access-Control-Allow-Credentials', 'true');
        res.setHeader('Access-Control-Expose-Headers', 'ETag');
      } else if (req.method === 'OPTIONS') {
        // A foreign page's preflight: refused, with nothing that would let its request through.
        res.writeHead(403).end();
        return true;
      }
    }
    if (req.method === 'OPTIONS') {
      res.setHeader('Access-Control-Allow-Methods', 'GET');
      res.setHeader('Access-Control-Allow-Headers', 'Authorization, If-None-Match, Accept');
      res.setHeader('Access-Control-Max-Age', '600');
      res.writeHead(204).end();
      return true;
    }
    stats.restRequests += 1;
    restInFlight += 1;
    stats.maxConcurrentRest = Math.max(stats.maxConcurrentRest, restInFlight);
    res.on('close', () => {
      restInFlight -= 1;
    });
    if (req.headers.authorization) stats.authorizations.push(req.headers.authorization);
    const fault = restFault;
    /** @param {{ body: string, etag: string }} snapshot */
    const answer = (snapshot) => {
      if (res.destroyed) return;
      if (options.requireToken && req.headers.authorization !== `Bearer ${options.requireToken}`) {
        res.writeHead(401, { 'Content-Type': 'application/json' }).end('{"error":"unauthorized"}');
        return;
      }
      if (fault?.redirect) {
        res.writeHead(302, { Location: fault.redirect }).end();
        return;
      }
      if (fault?.status || fault?.body !== undefined) {
        res.writeHead(fault.status ?? 200, { 'Content-Type': fault.contentType ?? 'application/json' });
        res.end(fault.body ?? '');
        return;
      }
      const { etag } = snapshot;
      res.setHeader('Cache-Control', 'no-cache');
      res.setHeader('ETag', etag);
      if (req.headers['if-none-match'] === etag) {
        stats.notModified += 1;
        res.writeHead(304).end();
        return;
      }
      res.writeHead(200, { 'Content-Type': 'application/json' }).end(snapshot.body);
    };
    // The answer is what the server had when the request arrived; a slow network delivers it late.
    const respond = (/** @type {import('./store.js').Day} */ today) => {
      const snapshot = { body: body(today), etag: today.etag };
      if (fault?.hang) {
        hanging.add(res);
        res.on('close', () => hanging.delete(res));
      } else if (fault?.delayMs) {
        const timer = setTimeout(() => {
          timers.delete(timer);
          answer(snapshot);
        }, fault.delayMs);
        timers.add(timer);
      } else {
        answer(snapshot);
      }
    };
    // Redis down or not yet connected: an error the element knows (the last good day stays).
    const unavailable = () => {
      if (!res.destroyed && !res.headersSent) res.writeHead(503, { 'Content-Type': 'application/json' }).end('{"error":"schedule store unavailable"}');
    };
    try {
      const pending = andThen(day().read(), respond);
      if (pending instanceof Promise) pending.catch(unavailable);
    } catch {
      unavailable();
    }
    return true;
  }

  /**
   * Attaches Socket.IO (path `/socket.io`) to an HTTP server. In Redis mode, `await ready` first.
   * Without a server, Socket.IO is made unattached: in Redis mode that is an emitter for the
   * clients of every other process (a worker that changes the day, as the cluster demo's simulator).
   * @param {import('node:http').Server} [httpServer]
   */
  function attach(httpServer) {
    if (options.redisUrl && !redis) throw new Error('schedule-dashboard backend: await backend.ready before attach() in Redis mode');
    attachedTo = httpServer;
    io = new Server(httpServer, {
      path: '/socket.io',
      ...(options.pingInterval && { pingInterval: options.pingInterval }),
      // For long-polling; WebSocket upgrades are not subject to CORS, so `allowRequest` checks them.
      cors: { origin: [...allowedOrigins], credentials: true },
      // Missed events replayed after a short outage; the token middleware runs again on recovery.
      connectionStateRecovery: { maxDisconnectionDuration: options.maxDisconnectionDuration ?? 120000, skipMiddlewares: false },
      ...(redis && { adapter: redis.adapter }),
      allowRequest: (req, callback) => {
        // While "stopped", handshakes are refused as a restarting server would refuse them.
        if (!socketsUp) {
          stats.refusedHandshakes += 1;
          callback('socket server stopped', false);
        } else if (!originAllowed(req)) {
          stats.refusedOrigins += 1;
          callback('origin not allowed', false);
        } else {
          callback(null, true);
        }
      },
    });
    const nsp = io.of(namespace);
    nsp.use((socket, next) => {
      // `pid` and `offset` are Socket.IO's own (a recovery attempt), not the page's auth.
      const { pid, offset, ...auth } = /** @type {Record<string, unknown>} */ (socket.handshake.auth ?? {});
      stats.handshakes.push({ auth, transport: socket.conn.transport.name, path: io?.path() ?? '', recovered: socket.recovered });
      const refused = [options.requireToken, options.socketToken].some((token) => token && auth.token !== token);
      if (refused) {
        next(new Error('unauthorized'));
        return;
      }
      next();
    });
    nsp.on('connection', (socket) => {
      stats.connections += 1;
      if (socket.recovered) stats.recoveredConnections += 1;
    });
    return io;
  }

  /** @param {unknown} payload */
  function emit(payload) {
    io?.of(namespace).emit(eventName, payload);
  }

  /** Emits many payloads back to back, as a burst of changes would arrive. @param {unknown[]} payloads */
  function emitMany(payloads) {
    for (const payload of payloads) emit(payload);
  }

  /** Closes every engine connection: clients see `transport close` and retry. */
  function dropClients() {
    if (!io) return;
    for (const client of Object.values(io.engine.clients)) client.close();
  }

  /** The in-memory store, for the synchronous getters. @param {string} name */
  const inMemory = (name) => {
    const current = day();
    if (current.kind !== 'memory') throw new Error(`schedule-dashboard backend: in Redis mode, read (await backend.snapshot()).${name}`);
    return current;
  };

  // The changes below are stored, then emitted. In memory they happen at once (plain return
  // values, as always); in Redis mode they return promises, and the change is in Redis, for
  // every process's REST, before any client hears of it. `await` works in both modes.
  return {
    namespace,
    eventName,
    restPath,
    handleRequest,
    attach,
    emit,
    emitMany,
    dropClients,
    /** Resolves when the backend can serve (at once in memory; in Redis mode, once connected). */
    ready,
    /** `'memory'` (one process) or `'redis'` (shared by every process on the same Redis). */
    mode: options.redisUrl ? 'redis' : 'memory',
    /** The current day, as the REST route serves it (in memory; in Redis mode, `snapshot()`). */
    get appointments() {
      return inMemory('appointments').read().appointments;
    },
    get version() {
      return inMemory('version').version;
    },
    /** The day as REST serves it, `{ appointments, version, date?, etag }` (a promise in Redis mode). */
    snapshot() {
      return day().read();
    },
    /** @param {string | undefined} value */
    setDate(value) {
      return andThen(day().setDate(value), () => undefined);
    },
    /**
     * Replaces the day; `emit` says how clients hear of it.
     * @param {RawAppointment[]} list
     * @param {{ emit?: 'snapshot' | 'signal' | false }} [how]
     */
    setAppointments(list, how = {}) {
      return andThen(day().replace(list), ({ version, date }) => {
        if (how.emit === 'snapshot') emit({ appointments: list, version, ...(date ? { date } : {}), emittedAt: Date.now() });
        if (how.emit === 'signal') emit({ emittedAt: Date.now() });
      });
    },
    /**
     * Creates or updates one appointment and, unless `emit` is false, emits the change.
     * @param {RawAppointment} appointment
     * @param {{ emit?: boolean }} [how]
     */
    upsert(appointment, how = {}) {
      return andThen(day().upsert(appointment), ({ action }) => {
        if (how.emit !== false) emit({ action, appointment, emittedAt: Date.now() });
        return action;
      });
    },
    /**
     * Deletes one appointment and, unless `emit` is false, emits the change.
     * @param {string | number} id
     * @param {{ emit?: boolean }} [how]
     */
    remove(id, how = {}) {
      return andThen(day().remove(id), () => {
        if (how.emit !== false) emit({ action: 'deleted', appointment: { id }, emittedAt: Date.now() });
      });
    },
    /** Stops the socket server: every connection closed, new handshakes refused. */
    stopSockets() {
      socketsUp = false;
      dropClients();
    },
    /** Lets handshakes in again. */
    startSockets() {
      socketsUp = true;
    },
    get socketsUp() {
      return socketsUp;
    },
    /** @param {RestFault | null} fault */
    setRestFault(fault) {
      restFault = fault;
      if (!fault?.hang) {
        for (const res of hanging) res.destroy();
        hanging.clear();
      }
    },
    /** Counters; `version` is the latest this process read or wrote (in Redis mode, others may be ahead). */
    stats() {
      return { ...stats, version: store?.version ?? 0, socketsUp, clients: io ? io.engine.clientsCount : 0, hanging: hanging.size };
    },
    /**
     * Closes Socket.IO, telling clients to go away (they do not reconnect), every pending
     * answer and the Redis connection (not the HTTP server Socket.IO was attached to).
     */
    async close() {
      releaseAnswers();
      if (io) {
        io.disconnectSockets(true);
        // An unattached Server (an emitter into Redis) has no engine.
        io.engine?.close();
        if (redis) await Promise.all([io.of('/'), io.of(namespace)].map((nsp) => nsp.adapter.close()));
      }
      await redis?.close();
    },
    /**
     * Leaves as a process given SIGTERM should: Socket.IO closed without a word to clients,
     * whose sessions are kept for recovery (in Redis mode, where another process finds them)
     * and who reconnect (to another process, behind a load balancer); the HTTP server it was
     * attached to closed; then the Redis connection, once the sessions are written.
     */
    async shutdown() {
      releaseAnswers();
      const server = io;
      if (server) {
        await new Promise((resolve) => {
          server.close(() => resolve(undefined));
          attachedTo?.closeAllConnections();
        });
      }
      await redis?.close();
    },
  };

  function releaseAnswers() {
    for (const timer of timers) clearTimeout(timer);
    timers.clear();
    for (const res of hanging) res.destroy();
    hanging.clear();
  }
}

/**
 * Origins as the browser sends them (`https://host[:port]`, no path); `*` is refused, since
 * answering any origin with credentials is what an allow-list is for avoiding.
 * @param {string[] | undefined} list
 */
function allowList(list = []) {
  return list.map((entry) => {
    if (entry === '*') throw new TypeError('allowedOrigins: list the origins; "*" is not allowed with credentials');
    return entry === 'null' ? entry : new URL(entry).origin;
  });
}

/**
 * Starts the backend on its own HTTP server.
 *
 * @param {BackendOptions & { otherRequests?: import('node:http').RequestListener }} [options]
 *   `otherRequests`: what answers any request that is not the backend's (default: 404), as a
 *   cluster process hands the demo page on to where it is served
 */
export async function startBackend(options = {}) {
  const backend = createBackend(options);
  await backend.ready;
  const notFound = options.otherRequests ?? ((_req, res) => res.writeHead(404, { 'Content-Type': 'text/plain' }).end('Not found'));
  const http = createServer((req, res) => {
    if (!backend.handleRequest(req, res)) notFound(req, res);
  });
  const io = backend.attach(http);
  const host = options.host ?? '127.0.0.1';
  await new Promise((resolve, reject) => {
    http.once('error', reject);
    http.listen(options.port ?? 0, host, () => resolve(undefined));
  });
  const address = http.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  const url = `http://${host}:${port}`;
  const closeSockets = backend.close;
  return Object.assign(backend, {
    port,
    url,
    restUrl: `${url}${backend.restPath}`,
    /** Kills the whole server: every connection closed, the port refuses (REST too). */
    async kill() {
      backend.dropClients();
      await new Promise((resolve) => {
        http.close(() => resolve(undefined));
        http.closeAllConnections();
      });
    },
    /** Starts the killed server again on the same port. */
    async revive() {
      if (http.listening) return;
      await new Promise((resolve, reject) => {
        http.once('error', reject);
        http.listen(port, host, () => resolve(undefined));
      });
    },
    async close() {
      await closeSockets();
      await new Promise((resolve) => {
        io.close(() => resolve(undefined));
        http.closeAllConnections();
      });
    },
  });
}
