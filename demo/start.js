// `npm start`: the reference backend, the clinic simulator and the demo page on one port.
//
//   PORT=4321 npm start    (default 5173)
//   TZ_PRACTICE=Europe/Berlin npm start   the practice's time zone (default: this machine's)

import { createServer } from 'node:http';
import { fileURLToPath } from 'node:url';
import { createServer as createViteServer } from 'vite';
import { createBackend } from './server/backend.js';
import { simulate } from './server/simulator.js';

const root = fileURLToPath(new URL('..', import.meta.url));
const port = Number(process.env.PORT ?? 5173);
const timeZone = process.env.TZ_PRACTICE || Intl.DateTimeFormat().resolvedOptions().timeZone;

const backend = createBackend();
const simulator = simulate(backend, { timeZone });

/** @type {ReturnType<typeof setTimeout> | undefined} */
let restartTimer;

/** The fault buttons of the demo page. */
function handleControl(req, res) {
  const url = new URL(req.url ?? '/', 'http://localhost');
  if (!url.pathname.startsWith('/demo-api/') || req.method !== 'POST') return false;
  const seconds = Math.min(300, Math.max(1, Number(url.searchParams.get('seconds') ?? 15)));
  switch (url.pathname) {
    case '/demo-api/drop':
      backend.dropClients();
      break;
    case '/demo-api/stop':
      backend.stopSockets();
      clearTimeout(restartTimer);
      restartTimer = setTimeout(() => backend.startSockets(), seconds * 1000);
      break;
    case '/demo-api/rest-fail':
      backend.setRestFault({ status: 503, body: '{"error":"maintenance"}' });
      setTimeout(() => backend.setRestFault(null), seconds * 1000);
      break;
    case '/demo-api/rest-slow':
      backend.setRestFault({ delayMs: 4000 });
      setTimeout(() => backend.setRestFault(null), seconds * 1000);
      break;
    case '/demo-api/step':
      simulator.step();
      break;
    default:
      res.writeHead(404).end();
      return true;
  }
  res.writeHead(204).end();
  return true;
}

const http = createServer();
const vite = await createViteServer({
  root,
  configFile: false,
  appType: 'mpa',
  logLevel: 'warn',
  server: { middlewareMode: true, hmr: { server: http } },
});
http.on('request', (req, res) => {
  if (req.url === '/' || req.url === '/index.html') {
    res.writeHead(302, { Location: '/demo/' }).end();
    return;
  }
  if (handleControl(req, res) || backend.handleRequest(req, res)) return;
  vite.middlewares(req, res);
});
backend.attach(http);

http.listen(port, () => {
  console.log(`schedule-dashboard demo (practice time zone ${timeZone})`);
  console.log(`  open http://localhost:${port}/demo/`);
});

const shutdown = async () => {
  simulator.stop();
  await backend.close();
  await vite.close();
  http.close();
  process.exit(0);
};
process.on('SIGINT', shutdown);
process.on('SIGTERM', shutdown);
