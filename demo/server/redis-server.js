// A throwaway Redis for the cluster demo, the tests and the scaling benchmark: Debian's
// `redis-server` (`apt-get install redis-server`) on a free loopback port, nothing written
// to disk (`--save '' --appendonly no`), stopped with its owner.
//
// Plain JavaScript with JSDoc so that Node runs it as it is.

import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createServer } from 'node:net';

/** `REDIS_SERVER`, else Debian's path, else whatever `redis-server` is on the PATH. */
export function redisServerPath() {
  return process.env.REDIS_SERVER || (existsSync('/usr/bin/redis-server') ? '/usr/bin/redis-server' : 'redis-server');
}

/** A loopback port that was free a moment ago. */
export async function freePort(host = '127.0.0.1') {
  const server = createServer();
  await new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, host, () => resolve(undefined));
  });
  const address = server.address();
  await new Promise((resolve) => server.close(resolve));
  return typeof address === 'object' && address ? address.port : 0;
}

/**
 * Starts `redis-server` on a free loopback port (or `port`); resolves once it accepts
 * connections.
 *
 * @param {{ port?: number, bin?: string, args?: string[] }} [options] `args`: more `redis-server` options
 */
export async function startRedisServer(options = {}) {
  const bin = options.bin ?? redisServerPath();
  for (let attempt = 1; ; attempt += 1) {
    const port = options.port ?? (await freePort());
    try {
      return await launch(bin, port, options.args ?? []);
    } catch (error) {
      // Another program took the free port between the check and the start: try another.
      if (options.port || attempt >= 3 || !/Address already in use/i.test(String(error))) throw error;
    }
  }
}

/**
 * @param {string} bin
 * @param {number} port
 * @param {string[]} args
 */
async function launch(bin, port, args) {
  const child = spawn(bin, ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', ...args], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  await new Promise((resolve, reject) => {
    const onData = (/** @type {Buffer} */ chunk) => {
      output += chunk;
      if (/Ready to accept connections/.test(output)) {
        cleanup();
        resolve(undefined);
      }
    };
    const onExit = (/** @type {number | null} */ code) => {
      cleanup();
      reject(new Error(`redis-server exited (${code}) before it was ready:\n${output.slice(-2000)}`));
    };
    const onError = (/** @type {Error} */ error) => {
      cleanup();
      reject(new Error(`redis-server could not start (${bin}): ${error.message}. On Debian: apt-get install redis-server`));
    };
    const cleanup = () => {
      child.stdout.off('data', onData);
      child.off('exit', onExit);
      child.off('error', onError);
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', (chunk) => (output += chunk));
    child.once('exit', onExit);
    child.once('error', onError);
  });
  // Keep draining its log, so that a full pipe never stalls it.
  child.stdout.resume();
  const exited = new Promise((resolve) => child.once('exit', resolve));
  return {
    port,
    url: `redis://127.0.0.1:${port}`,
    pid: child.pid,
    /** Stops it (SIGTERM; SIGKILL after 2 s) and resolves when it has exited. */
    async stop() {
      if (child.exitCode !== null || child.signalCode !== null) return;
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 2000);
      await exited;
      clearTimeout(timer);
    },
  };
}
