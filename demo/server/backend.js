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
// Plain JavaScript with JSDoc so that Node runs it as it is.

import { createServer } from 'node:http';
import { Server } from 'socket.io';

/**
 * @typedef {Record<string, unknown> & { id: string | number }} RawAppointment
 *
 * @typedef {object} RestFault
 * @property {number} [status]    answer with this HTTP status (and `body`, if given)
 * @property {string} [body]      raw body to send instead of the schedule
 * @property {string} [contentType] content type of `body` (default `application/json`)
 * @property {boolean} [hang]     never answer
 * @property {number} [delayMs]   answer after this many milliseconds
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

  /** @type {Map<string, RawAppointment>} */
  let appointments = new Map();
  let version = 1;
  let date = options.date;
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
    refusedHandshakes: 0,
    /** The most REST requests ever under way at once (a client must never overlap its own). */
    maxConcurrentRest: 0,
  };
  let restInFlight = 0;

  const setAll = (/** @type {RawAppointment[]} */ list) => {
    appointments = new Map(list.map((a) => [String(a.id), a]));
    version += 1;
  };
  setAll(options.appointments ?? []);

  /** @type {Server | undefined} */
  let io;

  const body = () => {
    const list = [...appointments.values()];
    return JSON.stringify(restShape === 'array' ? list : { appointments: list, version, ...(date ? { date } : {}) });
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
      res.setHeader('Access-Control-Allow-Origin', origin);
      res.setHeader('Access-Control-Allow-Credentials', 'true');
      res.setHeader('Access-Control-Expose-Headers', 'ETag');
      res.setHeader('Vary', 'Origin');
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
    // The answer is what the server had when the request arrived; a slow network delivers it late.
    const snapshot = { body: body(), etag: `"v${version}"` };
    const answer = () => {
      if (res.destroyed) return;
      if (options.requireToken && req.headers.authorization !== `Bearer ${options.requireToken}`) {
        res.writeHead(401, { 'Content-Type': 'application/json' }).end('{"error":"unauthorized"}');
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
    if (fault?.hang) {
      hanging.add(res);
      res.on('close', () => hanging.delete(res));
    } else if (fault?.delayMs) {
      const timer = setTimeout(() => {
        timers.delete(timer);
        answer();
      }, fault.delayMs);
      timers.add(timer);
    } else {
      answer();
    }
    return true;
  }

  /**
   * Attaches Socket.IO (path `/socket.io`) to an HTTP server.
   * @param {import('node:http').Server} httpServer
   */
  function attach(httpServer) {
    io = new Server(httpServer, {
      path: '/socket.io',
      ...(options.pingInterval && { pingInterval: options.pingInterval }),
      cors: { origin: true, credentials: true },
      // While "stopped", handshakes are refused as a restarting server would refuse them.
      allowRequest: (_req, callback) => {
        if (!socketsUp) stats.refusedHandshakes += 1;
        callback(socketsUp ? null : 'socket server stopped', socketsUp);
      },
    });
    const nsp = io.of(namespace);
    nsp.use((socket, next) => {
      const auth = /** @type {Record<string, unknown>} */ (socket.handshake.auth ?? {});
      stats.handshakes.push({ auth, transport: socket.conn.transport.name, path: io?.path() ?? '' });
      const refused = [options.requireToken, options.socketToken].some((token) => token && auth.token !== token);
      if (refused) {
        next(new Error('unauthorized'));
        return;
      }
      next();
    });
    nsp.on('connection', () => {
      stats.connections += 1;
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

  return {
    namespace,
    eventName,
    restPath,
    handleRequest,
    attach,
    emit,
    emitMany,
    dropClients,
    /** The current day, as the REST route serves it. */
    get appointments() {
      return [...appointments.values()];
    },
    get version() {
      return version;
    },
    /** @param {string | undefined} value */
    setDate(value) {
      date = value;
      version += 1;
    },
    /**
     * Replaces the day; `emit` says how clients hear of it.
     * @param {RawAppointment[]} list
     * @param {{ emit?: 'snapshot' | 'signal' | false }} [how]
     */
    setAppointments(list, how = {}) {
      setAll(list);
      if (how.emit === 'snapshot') emit({ appointments: list, version, ...(date ? { date } : {}), emittedAt: Date.now() });
      if (how.emit === 'signal') emit({ emittedAt: Date.now() });
    },
    /**
     * Creates or updates one appointment and, unless `emit` is false, emits the change.
     * @param {RawAppointment} appointment
     * @param {{ emit?: boolean }} [how]
     */
    upsert(appointment, how = {}) {
      const action = appointments.has(String(appointment.id)) ? 'updated' : 'created';
      appointments.set(String(appointment.id), appointment);
      version += 1;
      if (how.emit !== false) emit({ action, appointment, emittedAt: Date.now() });
      return action;
    },
    /**
     * Deletes one appointment and, unless `emit` is false, emits the change.
     * @param {string | number} id
     * @param {{ emit?: boolean }} [how]
     */
    remove(id, how = {}) {
      appointments.delete(String(id));
      version += 1;
      if (how.emit !== false) emit({ action: 'deleted', appointment: { id }, emittedAt: Date.now() });
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
    stats() {
      return { ...stats, version, socketsUp, clients: io ? io.engine.clientsCount : 0, hanging: hanging.size };
    },
    /** Closes Socket.IO and every pending answer (not the HTTP server it was attached to). */
    async close() {
      for (const timer of timers) clearTimeout(timer);
      timers.clear();
      for (const res of hanging) res.destroy();
      hanging.clear();
      if (io) {
        io.disconnectSockets(true);
        io.engine.close();
      }
    },
  };
}

/**
 * Starts the backend on its own HTTP server.
 *
 * @param {BackendOptions} [options]
 */
export async function startBackend(options = {}) {
  const backend = createBackend(options);
  const http = createServer((req, res) => {
    if (!backend.handleRequest(req, res)) res.writeHead(404, { 'Content-Type': 'text/plain' }).end('Not found');
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
