// `npm start`: the reference backend, the clinic simulator and the demo page on one port.
//
//   PORT=4321 npm start    (default 5173)
//   TZ_PRACTICE=Europe/Berlin npm start   the practice's time zone (default: this machine's)
//
// Several backend processes on Redis behind a load balancer: `npm run start:cluster` (./cluster.js).

import { createBackend } from './server/backend.js';
import { faultButtons, startPageServer } from './server/demo-page.js';
import { simulate } from './server/simulator.js';

const port = Number(process.env.PORT ?? 5173);
const timeZone = process.env.TZ_PRACTICE || Intl.DateTimeFormat().resolvedOptions().timeZone;

const backend = createBackend();
const simulator = simulate(backend, { timeZone });
const { dropClients, stopSockets, startSockets, setRestFault } = backend;
const faults = faultButtons({ dropClients, stopSockets, startSockets, setRestFault, step: simulator.step });

const page = await startPageServer({ port, timeZone, handle: (req, res) => faults(req, res) || backend.handleRequest(req, res) });
backend.attach(page.http);

console.log(`schedule-dashboard demo (practice time zone ${timeZone})`);
console.log(`  open http://localhost:${port}/demo/`);

const shutdown = async () => {
  simulator.stop();
  faults.stop();
  await backend.close();
  await page.close();
  process.exit(0);
};
process.on('SIGINT', shutdown);
process.on('SIGTERM', shutdown);
