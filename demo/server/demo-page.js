// What `npm start` and `npm run start:cluster` share: the demo page served through Vite's
// middleware (TypeScript straight from src/), and the page's fault buttons (`POST
// /demo-api/...`), which act on whatever backend the demo runs: one in memory, or every
// process of a cluster.
//
// Plain JavaScript with JSDoc so that Node runs it as it is.

import { createServer } from 'node:http';
import { fileURLToPath } from 'node:url';
import { createServer as createViteServer } from 'vite';

const root = fileURLToPath(new URL('../..', import.meta.url));

/**
 * What the fault buttons act on; each may return a promise (a cluster's processes answer later).
 * @typedef {object} FaultTarget
 * @property {() => unknown} dropClients
 * @property {() => unknown} stopSockets
 * @property {() => unknown} startSockets
 * @property {(fault: import('./backend.js').RestFault | null) => unknown} setRestFault
 * @property {() => unknown} step  the simulator changes something now
 */

/**
 * The handler of the fault buttons: answers `POST /demo-api/<fault>[?seconds=n]`, returns
 * false for any other request. `more`: faults of this demo only (`kill-process`), given the seconds.
 * @param {FaultTarget} target
 * @param {Record<string, (seconds: number) => unknown>} [more]
 */
export function faultButtons(target, more = {}) {
  /** @type {Map<string, ReturnType<typeof setTimeout>>} */
  const undo = new Map();
  /** Runs `end` after `seconds`, replacing an earlier one of the same fault. */
  const later = (/** @type {string} */ fault, /** @type {number} */ seconds, /** @type {() => unknown} */ end) => {
    clearTimeout(undo.get(fault));
    undo.set(fault, setTimeout(() => void end(), seconds * 1000));
  };
  /** @type {Record<string, (seconds: number) => unknown>} */
  const faults = {
    drop: () => target.dropClients(),
    stop: (seconds) => {
      later('stop', seconds, () => target.startSockets());
      return target.stopSockets();
    },
    'rest-fail': (seconds) => {
      later('rest', seconds, () => target.setRestFault(null));
      return target.setRestFault({ status: 503, body: '{"error":"maintenance"}' });
    },
    'rest-slow': (seconds) => {
      later('rest', seconds, () => target.setRestFault(null));
      return target.setRestFault({ delayMs: 4000 });
    },
    step: () => target.step(),
    ...more,
  };
  /** @type {import('node:http').RequestListener & ((req: any, res: any) => boolean)} */
  const handle = (req, res) => {
    const url = new URL(req.url ?? '/', 'http://localhost');
    if (!url.pathname.startsWith('/demo-api/') || req.method !== 'POST') return false;
    const name = url.pathname.slice('/demo-api/'.length);
    const fault = Object.hasOwn(faults, name) ? faults[name] : undefined;
    if (!fault) {
      res.writeHead(404).end();
      return true;
    }
    const seconds = Math.min(300, Math.max(1, Number(url.searchParams.get('seconds') ?? 15)));
    Promise.resolve()
      .then(() => fault(seconds))
      .then(
        () => res.writeHead(204).end(),
        (error) => res.writeHead(409, { 'Content-Type': 'text/plain' }).end(String(error?.message ?? error)),
      );
    return true;
  };
  return Object.assign(handle, {
    /** Clears the timers that would undo a fault. */
    stop() {
      for (const timer of undo.values()) clearTimeout(timer);
    },
  });
}

/**
 * A Vite plugin that writes the practice's time zone into the demo page as every dashboard's
 * `time-zone`, as a practice's own page would: the simulated clinic's day is the practice's,
 * and a browser in another zone (or the same machine an evening away from UTC) would
 * otherwise call another day today and show none of it.
 * @param {string} timeZone
 * @returns {import('vite').Plugin}
 */
function practiceTimeZone(timeZone) {
  const value = timeZone.replace(/[&"<>]/g, (c) => `&#${c.charCodeAt(0)};`);
  return {
    name: 'practice-time-zone',
    transformIndexHtml: (html) => html.replaceAll('<schedule-dashboard ', `<schedule-dashboard time-zone="${value}" `),
  };
}

/**
 * Starts an HTTP server with the demo page at `/demo/` (`/` redirects there): requests
 * `handle` takes are its own, the rest go to Vite.
 * @param {{ port: number, host?: string, timeZone: string, handle: (req: import('node:http').IncomingMessage, res: import('node:http').ServerResponse) => boolean, hmr?: boolean }} options
 *   `timeZone`: the practice's (`practiceTimeZone`);
 *   `hmr`: live reload (off when the page is reached through a proxy that does not carry it)
 */
export async function startPageServer(options) {
  const http = createServer();
  const vite = await createViteServer({
    root,
    configFile: false,
    appType: 'mpa',
    logLevel: 'warn',
    plugins: [practiceTimeZone(options.timeZone)],
    server: { middlewareMode: true, hmr: options.hmr === false ? false : { server: http } },
  });
  http.on('request', (req, res) => {
    if (req.url === '/' || req.url === '/index.html') {
      res.writeHead(302, { Location: '/demo/' }).end();
      return;
    }
    if (options.handle(req, res)) return;
    vite.middlewares(req, res);
  });
  await new Promise((resolve, reject) => {
    http.once('error', reject);
    http.listen(options.port, options.host, () => resolve(undefined));
  });
  const address = http.address();
  return {
    http,
    port: typeof address === 'object' && address ? address.port : options.port,
    async close() {
      await vite.close();
      http.closeAllConnections();
      await new Promise((resolve) => http.close(() => resolve(undefined)));
    },
  };
}
