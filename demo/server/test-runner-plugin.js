// A @web/test-runner plugin that gives browser tests their own reference backends.
//
// In a test:
//   import { executeServerCommand } from '@web/test-runner-commands';
//   const { id, url } = await executeServerCommand('schedule-backend', { action: 'start', appointments });
//   await executeServerCommand('schedule-backend', { action: 'stopSockets', id });
//
// Every backend listens on its own free port, so test files may run in parallel.

import { startBackend } from './backend.js';

/** @typedef {Awaited<ReturnType<typeof startBackend>>} Backend */

const COMMAND = 'schedule-backend';

/**
 * @returns {import('@web/test-runner').TestRunnerPlugin}
 */
export function scheduleBackendPlugin() {
  /** @type {Map<string, Backend>} */
  const backends = new Map();
  let nextId = 1;

  /** @type {Record<string, (backend: Backend, args: any) => unknown>} */
  const actions = {
    emit: (b, { payload }) => b.emit(payload),
    emitMany: (b, { payloads }) => b.emitMany(payloads),
    setAppointments: (b, { appointments, emit }) => b.setAppointments(appointments, { emit }),
    upsert: (b, { appointment, emit }) => b.upsert(appointment, { emit }),
    remove: (b, { appointmentId, emit }) => b.remove(appointmentId, { emit }),
    setDate: (b, { date }) => b.setDate(date),
    dropClients: (b) => b.dropClients(),
    stopSockets: (b) => b.stopSockets(),
    kill: (b) => b.kill(),
    revive: (b) => b.revive(),
    startSockets: (b) => b.startSockets(),
    setRestFault: (b, { fault }) => b.setRestFault(fault ?? null),
    stats: (b) => b.stats(),
  };

  return {
    name: 'schedule-backend',
    async serverStop() {
      await Promise.all([...backends.values()].map((b) => b.close()));
      backends.clear();
    },
    async executeCommand({ command, payload }) {
      if (command !== COMMAND) return undefined;
      const { action, id, ...args } = /** @type {any} */ (payload ?? {});
      if (action === 'start') {
        const backend = await startBackend(args);
        const backendId = String(nextId++);
        backends.set(backendId, backend);
        return { id: backendId, url: backend.url, restUrl: backend.restUrl, port: backend.port };
      }
      const backend = backends.get(id);
      if (action === 'close') {
        backends.delete(id);
        await backend?.close();
        return true;
      }
      if (!backend) throw new Error(`schedule-backend: no backend ${id}`);
      const run = actions[action];
      if (!run) throw new Error(`schedule-backend: unknown action ${action}`);
      // Commands must answer something other than undefined to count as handled.
      return (await run(backend, args)) ?? true;
    },
  };
}
