// A loopback HTTP proxy that refuses WebSocket upgrades, as some corporate proxies and
// gateways do. Plain HTTP requests (REST, Engine.IO long-polling) are forwarded to the
// target server; an `upgrade` request is answered `403 Forbidden` and its connection closed.
//
// Used by the browser tests to prove that `transports="websocket polling"` falls back to
// long-polling (README, "Attributes and properties").
//
// Plain JavaScript with JSDoc so that Node runs it as it is.

import { createServer, request } from 'node:http';

/**
 * @typedef {object} UpgradeRefusingProxyOptions
 * @property {string} target   origin of the server to forward to, e.g. `http://127.0.0.1:4000`
 * @property {string} [host]   default `127.0.0.1`
 * @property {number} [port]   0 (default) picks a free port
 */

/**
 * Starts the proxy.
 *
 * @param {UpgradeRefusingProxyOptions} options
 */
export async function startUpgradeRefusingProxy(options) {
  const target = new URL(options.target);
  const host = options.host ?? '127.0.0.1';
  const stats = { forwarded: 0, refusedUpgrades: 0 };

  const server = createServer((req, res) => {
    stats.forwarded += 1;
    const upstream = request(
      {
        hostname: target.hostname,
        port: target.port,
        method: req.method,
        path: req.url,
        headers: { ...req.headers, host: target.host },
      },
      (answer) => {
        res.writeHead(answer.statusCode ?? 502, answer.headers);
        answer.pipe(res);
      },
    );
    upstream.on('error', () => {
      if (!res.headersSent) res.writeHead(502);
      res.end();
    });
    // The client gave up (an aborted long-poll, a closed page): so does the upstream request.
    res.on('close', () => upstream.destroy());
    req.pipe(upstream);
  });

  server.on('upgrade', (_req, socket) => {
    stats.refusedUpgrades += 1;
    socket.end('HTTP/1.1 403 Forbidden\r\nConnection: close\r\nContent-Length: 0\r\n\r\n');
  });

  await new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, host, () => resolve(undefined));
  });
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : 0;

  return {
    port,
    url: `http://${host}:${port}`,
    /** Requests forwarded and upgrades refused so far. */
    stats() {
      return { ...stats };
    },
    async close() {
      await new Promise((resolve) => {
        server.close(() => resolve(undefined));
        server.closeAllConnections();
      });
    },
  };
}
