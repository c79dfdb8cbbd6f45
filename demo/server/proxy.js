// A round-robin TCP proxy: the plain load balancer of README, "Running several backend
// processes". Each accepted connection goes to the next backend in turn, as bytes (no HTTP
// parsing, no sticky sessions: the element's transport is WebSocket, one connection for a
// socket's whole life). A backend that refuses the connection (a dead process) is skipped
// for the next one, so a client whose process died reconnects to another.
//
// `pause()` holds new connections (accepted, not forwarded) until `resume()`, as a load
// balancer does while it drains; the tests use it to decide what happens while a client waits.
//
// Plain JavaScript with JSDoc so that Node runs it as it is.

import { connect, createServer } from 'node:net';

/**
 * @typedef {{ host?: string, port: number }} Upstream
 *
 * @typedef {object} ProxyOptions
 * @property {Array<Upstream | string | number>} upstreams  backends: `{ host, port }`, `'host:port'` or a port (host `127.0.0.1`)
 * @property {number} [port]  0 (default) picks a free port
 * @property {string} [host]  default `127.0.0.1`
 */

/** @param {Upstream | string | number} entry @returns {Required<Upstream>} */
function upstream(entry) {
  if (typeof entry === 'number') return { host: '127.0.0.1', port: entry };
  if (typeof entry === 'string') {
    const at = entry.lastIndexOf(':');
    return { host: entry.slice(0, at) || '127.0.0.1', port: Number(entry.slice(at + 1)) };
  }
  return { host: entry.host ?? '127.0.0.1', port: entry.port };
}

/**
 * Starts the proxy.
 * @param {ProxyOptions} options
 */
export async function startProxy(options) {
  let upstreams = options.upstreams.map(upstream);
  const host = options.host ?? '127.0.0.1';
  let next = 0;
  let paused = false;
  /** @type {import('node:net').Socket[]} */
  let held = [];
  /** @type {Set<import('node:net').Socket>} */
  const open = new Set();
  const stats = {
    /** Connections forwarded, by `host:port`. @type {Record<string, number>} */
    forwarded: {},
    /** Backends that refused a connection, which then went to the next one. */
    skipped: 0,
    /** Connections closed because no backend took them. */
    failed: 0,
  };

  /**
   * Hands a client connection to the next backend, or the one after if that one refuses.
   * @param {import('node:net').Socket} client
   * @param {number} [tries] backends still to try
   */
  const forward = (client, tries = upstreams.length) => {
    if (client.destroyed) return;
    if (tries === 0) {
      stats.failed += 1;
      client.destroy();
      return;
    }
    const target = upstreams[next++ % upstreams.length];
    const server = connect(target.port, target.host);
    open.add(server);
    server.once('close', () => open.delete(server));
    let connected = false;
    server.once('error', () => {
      if (connected) return;
      // Refused (a dead process): the client never knew, so the next backend may take it.
      stats.skipped += 1;
      forward(client, tries - 1);
    });
    server.once('connect', () => {
      connected = true;
      const key = `${target.host}:${target.port}`;
      stats.forwarded[key] = (stats.forwarded[key] ?? 0) + 1;
      server.on('error', () => client.destroy());
      client.on('error', () => server.destroy());
      client.once('close', () => server.destroy());
      server.once('close', () => client.destroy());
      client.pipe(server);
      server.pipe(client);
    });
  };

  const proxy = createServer({ pauseOnConnect: true }, (client) => {
    open.add(client);
    client.once('close', () => open.delete(client));
    client.on('error', () => client.destroy());
    if (paused) held.push(client);
    else forward(client);
  });

  await new Promise((resolve, reject) => {
    proxy.once('error', reject);
    proxy.listen(options.port ?? 0, host, () => resolve(undefined));
  });
  const address = proxy.address();
  const port = typeof address === 'object' && address ? address.port : 0;

  return {
    port,
    url: `http://${host}:${port}`,
    /** Holds new connections (accepted, their bytes kept) until `resume()`. */
    pause() {
      paused = true;
    },
    /** Forwards the held connections, and the next ones. */
    resume() {
      paused = false;
      const waiting = held;
      held = [];
      for (const client of waiting) forward(client);
    },
    /** How many connections are being held. */
    get holding() {
      return held.filter((c) => !c.destroyed).length;
    },
    /** Replaces the backends (new connections only). @param {Array<Upstream | string | number>} list */
    setUpstreams(list) {
      upstreams = list.map(upstream);
    },
    stats() {
      return { ...stats, forwarded: { ...stats.forwarded }, open: open.size };
    },
    /** Stops listening and closes every connection. */
    async close() {
      const closed = new Promise((resolve) => proxy.close(() => resolve(undefined)));
      for (const socket of open) socket.destroy();
      await closed;
    },
  };
}
