// Starts ./backend-process.js as a child process and drives it: the parent's side of its
// IPC channel. For the tests and the scaling benchmark (README, "Running several backend
// processes").
//
// Plain JavaScript with JSDoc so that Node runs it as it is.

import { fork } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const script = fileURLToPath(new URL('./backend-process.js', import.meta.url));

/**
 * @typedef {object} ForkOptions
 * @property {number} [port]        0 (default): a free one
 * @property {string} [redisUrl]    unset: in memory
 * @property {string} [redisPrefix]
 * @property {string[]} [allowedOrigins]
 * @property {string} [pageOrigin]  where requests that are not the backend's go (the demo page's server)
 * @property {string[]} [execArgv]  Node options, e.g. `['--expose-gc']`
 * @property {'inherit' | 'ignore'} [output] the child's stdout/stderr (default `inherit`)
 */

/**
 * Forks a backend process; resolves once it listens.
 * @param {ForkOptions} [options]
 */
export async function forkBackend(options = {}) {
  const child = fork(script, [], {
    env: {
      ...process.env,
      PORT: String(options.port ?? 0),
      REDIS_URL: options.redisUrl ?? '',
      REDIS_PREFIX: options.redisPrefix ?? '',
      ALLOWED_ORIGINS: (options.allowedOrigins ?? []).join(','),
      PAGE_ORIGIN: options.pageOrigin ?? '',
    },
    execArgv: options.execArgv ?? [],
    stdio: ['ignore', options.output ?? 'inherit', options.output ?? 'inherit', 'ipc'],
  });
  const exited = new Promise((resolve) => child.once('exit', (code, signal) => resolve({ code, signal })));
  /** @type {{ port: number, url: string, pid: number, mode: string }} */
  const ready = await new Promise((resolve, reject) => {
    const onMessage = (/** @type {any} */ message) => {
      if (!message?.ready) return;
      child.off('message', onMessage);
      resolve(message);
    };
    child.on('message', onMessage);
    exited.then(({ code, signal }) => reject(new Error(`backend process exited (${code ?? signal}) before it listened`)));
  });

  let nextId = 1;
  /** @type {Map<number, { resolve: (value: any) => void, reject: (error: Error) => void }>} */
  const pending = new Map();
  child.on('message', (/** @type {any} */ message) => {
    const waiting = pending.get(message?.id);
    if (!waiting) return;
    pending.delete(message.id);
    if (message.error) waiting.reject(new Error(message.error));
    else waiting.resolve(message.result);
  });
  exited.then(() => {
    for (const waiting of pending.values()) waiting.reject(new Error('backend process exited'));
    pending.clear();
  });

  return {
    ...ready,
    child,
    /** Resolves with `{ code, signal }` when the process has exited. */
    exited,
    /**
     * Runs one of the backend's actions in the process (see ./backend-process.js).
     * @param {string} action
     * @param {Record<string, unknown>} [args]
     * @returns {Promise<any>}
     */
    call(action, args = {}) {
      return new Promise((resolve, reject) => {
        const id = nextId++;
        pending.set(id, { resolve, reject });
        child.send({ id, action, args }, (error) => {
          if (!error) return;
          pending.delete(id);
          reject(error);
        });
      });
    },
    /**
     * Sends a signal (SIGTERM: a graceful exit; SIGKILL: a crash) and resolves once it has exited.
     * @param {NodeJS.Signals} [signal]
     */
    async kill(signal = 'SIGTERM') {
      if (child.exitCode === null && child.signalCode === null) child.kill(signal);
      return exited;
    },
  };
}
