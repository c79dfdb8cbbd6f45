// One HTTP server per browser scenario: the bench page, the element's bundle, and the
// reference backend (REST and Socket.IO) on the same origin. Same origin keeps CORS
// preflights out of the figures; a deployment across origins would add them.
import { createHash } from 'node:crypto';
import { createServer } from 'node:http';
import { readFile } from 'node:fs/promises';
import { createBackend } from '../../demo/server/backend.js';

const root = new URL('../../', import.meta.url);

const PAGE = `<!doctype html>
<html lang="en">
  <head><meta charset="utf-8"><title>schedule-dashboard bench</title></head>
  <body>
    <script type="module" src="/schedule-dashboard.bundled.js"></script>
    <script type="module" src="/bench-page.js"></script>
  </body>
</html>`;

const FILES = {
  // BENCH_BUNDLE=path measures another build of the bundle (an older one, for a before/after).
  '/schedule-dashboard.bundled.js': process.env.BENCH_BUNDLE || 'dist/schedule-dashboard.bundled.js',
  '/bench-page.js': 'bench/page/bench-page.js',
  '/naive-schedule.js': 'bench/page/naive-schedule.js',
};

// Each file is read once per bench run and then served from memory: a build running
// meanwhile (it empties dist/) must neither break a scenario nor give the scenarios of
// one run different bundles.
const cache = new Map();
const load = (file) => {
  if (!cache.has(file)) cache.set(file, readFile(file.startsWith('/') ? file : new URL(file, root)));
  return cache.get(file);
};

/** Size and hash of the bundle this run served, for results.json (undefined if none was served). */
export async function servedBundle() {
  const file = FILES['/schedule-dashboard.bundled.js'];
  if (!cache.has(file)) return undefined;
  const body = await cache.get(file);
  return { file, bytes: body.length, sha256: createHash('sha256').update(body).digest('hex').slice(0, 16) };
}

/** @param {import('../../demo/server/backend.js').BackendOptions} [options] */
export async function startPageServer(options = {}) {
  const backend = createBackend(options);
  const http = createServer(async (req, res) => {
    if (backend.handleRequest(req, res)) return;
    const path = new URL(req.url ?? '/', 'http://localhost').pathname;
    if (path === '/') {
      // Cross-origin isolation gives performance.now() 5 µs resolution instead of 100 µs.
      res.writeHead(200, {
        'Content-Type': 'text/html; charset=utf-8',
        'Cross-Origin-Opener-Policy': 'same-origin',
        'Cross-Origin-Embedder-Policy': 'require-corp',
      });
      res.end(PAGE);
      return;
    }
    const file = FILES[path];
    if (!file) {
      res.writeHead(404).end();
      return;
    }
    res.writeHead(200, { 'Content-Type': 'text/javascript; charset=utf-8', 'Cache-Control': 'no-store' });
    res.end(await load(file));
  });
  backend.attach(http);
  await new Promise((resolve, reject) => {
    http.once('error', reject);
    http.listen(0, '127.0.0.1', resolve);
  });
  const address = /** @type {import('node:net').AddressInfo} */ (http.address());
  return {
    backend,
    url: `http://127.0.0.1:${address.port}`,
    async close() {
      await backend.close();
      http.closeAllConnections();
      await new Promise((resolve) => http.close(resolve));
    },
  };
}
