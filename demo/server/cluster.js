// A whole cluster on one machine (README, "Running several backend processes"): Debian's
// `redis-server` on a free loopback port, backend processes on Redis, and the round-robin
// proxy in front of them, the one address clients are given. For `npm run start:cluster`,
// the browser tests (./test-runner-plugin.js) and the scaling benchmark.
//
// A process can be killed (SIGKILL: a crash, no session kept; SIGTERM: a graceful exit,
// sessions kept for recovery) and started again on its port, where the proxy finds it.
//
// Plain JavaScript with JSDoc so that Node runs it as it is.

import { forkBackend } from './fork-backend.js';
import { startProxy } from './proxy.js';
import { startRedisServer } from './redis-server.js';

/** @typedef {Awaited<ReturnType<typeof forkBackend>>} BackendProcess */

/**
 * @typedef {object} ClusterOptions
 * @property {number} [processes]  backend processes (default 2)
 * @property {number} [port]       the proxy's port (0, the default: a free one)
 * @property {string[]} [allowedOrigins] pages of other origins that may use it (README, CORS)
 * @property {string} [pageOrigin] where the processes send requests that are not the backend's
 * @property {string[]} [execArgv] Node options for the processes (`--expose-gc`)
 * @property {'inherit' | 'ignore'} [output] the processes' stdout/stderr (default `inherit`)
 */

/**
 * Starts Redis, the processes and the proxy; resolves once all of them listen.
 * @param {ClusterOptions} [options]
 */
export async function startCluster(options = {}) {
  const redis = await startRedisServer();
  /** @type {Array<BackendProcess | undefined>} */
  const processes = [];
  const fork = (/** @type {number} */ port = 0) =>
    forkBackend({
      port,
      redisUrl: redis.url,
      allowedOrigins: options.allowedOrigins,
      pageOrigin: options.pageOrigin,
      execArgv: options.execArgv,
      output: options.output,
    });
  try {
    for (let i = 0; i < (options.processes ?? 2); i += 1) processes.push(await fork());
  } catch (error) {
    await Promise.all(processes.map((p) => p?.kill('SIGKILL')));
    await redis.stop();
    throw error;
  }
  /** Ports stay with their slot, so that a process started again is where the proxy looks. */
  const ports = processes.map((p) => /** @type {BackendProcess} */ (p).port);
  const proxy = await startProxy({ upstreams: ports, port: options.port });

  /** @param {number} index */
  const at = (index) => {
    if (!(index in ports)) throw new RangeError(`cluster: no process ${index}`);
    return processes[index];
  };

  return {
    redis,
    proxy,
    /** The address clients are given (the proxy's). */
    url: proxy.url,
    port: proxy.port,
    /** The processes by slot; `undefined` while one is down. */
    get processes() {
      return [...processes];
    },
    /** Every slot's port. */
    ports: [...ports],
    /** Whether the process in slot `index` is running. @param {number} index */
    running(index) {
      return at(index) !== undefined;
    },
    /**
     * Runs a backend action in one process (see ./backend-process.js).
     * @param {number} index
     * @param {string} action
     * @param {Record<string, unknown>} [args]
     */
    call(index, action, args) {
      const p = at(index);
      if (!p) throw new Error(`cluster: process ${index} is down`);
      return p.call(action, args);
    },
    /** Runs an action in every running process. @param {string} action @param {Record<string, unknown>} [args] */
    callAll(action, args) {
      return Promise.all(processes.map((p) => p?.call(action, args)));
    },
    /**
     * Stops the process in slot `index` with `signal` (SIGKILL: a crash; SIGTERM: a graceful
     * exit); resolves once it has exited.
     * @param {number} index
     * @param {NodeJS.Signals} [signal]
     */
    async kill(index, signal = 'SIGKILL') {
      const p = at(index);
      processes[index] = undefined;
      return p?.kill(signal);
    },
    /** Starts the process in slot `index` again, on its port. @param {number} index */
    async revive(index) {
      if (at(index)) return;
      processes[index] = await fork(ports[index]);
    },
    async close() {
      await proxy.close();
      await Promise.all(processes.map((p) => p?.kill('SIGKILL')));
      processes.fill(undefined);
      await redis.stop();
    },
  };
}
