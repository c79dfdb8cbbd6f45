// A @web/test-runner plugin that gives browser tests their own reference backends.
//
// In a test:
//   import { executeServerCommand } from '@web/test-runner-commands';
//   const { id, url } = await executeServerCommand('schedule-backend', { action: 'start', appointments });
//   await executeServerCommand('schedule-backend', { action: 'stopSockets', id });
//
// Every backend listens on its own free port, so test files may run in parallel. Each one
// allows the test runner's own origin (the page under test), plus any `allowedOrigins` given.
//
// A cluster (Redis, backend processes, the round-robin proxy: ./cluster.js), by its own command:
//   const { id, url } = await executeServerCommand('schedule-cluster', { action: 'start' });
//   await executeServerCommand('schedule-cluster', { action: 'kill', id, index: 0, signal: 'SIGKILL' });
// Actions: `start` ({ processes }), `kill` ({ index, signal }), `revive` ({ index }), `call`
// ({ index, call, args }: a backend action in one process), `pause` and `resume` (the proxy
// holds new connections meanwhile), `close`.

import { startBackend } from './backend.js';
import { startCluster } from './cluster.js';
import { startUpgradeRefusingProxy } from './upgrade-refusing-proxy.js';

/** @typedef {Awaited<ReturnType<typeof startBackend>>} Backend */
/** @typedef {Awaited<ReturnType<typeof startUpgradeRefusingProxy>>} Proxy */

const COMMAND = 'schedule-backend';
const CLUSTER_COMMAND = 'schedule-cluster';

/** @typedef {Awaited<ReturnType<typeof startCluster>>} Cluster */

/** @type {Record<string, (cluster: Cluster, args: any) => unknown>} */
const clusterActions = {
  kill: (c, { index, signal }) => c.kill(index, signal),
  revive: (c, { index }) => c.revive(index),
  call: (c, { index, call, args }) => c.call(index, call, args),
  pause: (c) => c.proxy.pause(),
  resume: (c) => c.proxy.resume(),
};

/**
 * @returns {import('@web/test-runner').TestRunnerPlugin}
 */
export function scheduleBackendPlugin() {
  /** @type {Map<string, Backend>} */
  const backends = new Map();
  /** @type {Map<string, Cluster>} */
  const clusters = new Map();
  let nextId = 1;
  /** The origin of the pages under test, known once the test runner's server starts. @type {string[]} */
  let runnerOrigins = [];
  /** A backend's proxy that refuses WebSocket upgrades, while started. @type {Map<Backend, Proxy>} */
  const proxies = new Map();
  const stopProxy = async (/** @type {Backend} */ b) => {
    const proxy = proxies.get(b);
    proxies.delete(b);
    await proxy?.close();
  };

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
    // A loopback proxy in front of this backend that forwards plain HTTP and refuses WebSocket upgrades.
    startUpgradeRefusingProxy: async (b) => {
      await stopProxy(b);
      const proxy = await startUpgradeRefusingProxy({ target: b.url });
      proxies.set(b, proxy);
      return { url: proxy.url, port: proxy.port };
    },
    upgradeRefusingProxyStats: (b) => proxies.get(b)?.stats() ?? null,
    stopUpgradeRefusingProxy: (b) => stopProxy(b),
  };

  return {
    name: 'schedule-backend',
    serverStart({ config }) {
      const scheme = config.http2 || config.sslCert ? 'https' : 'http';
      runnerOrigins = [`${scheme}://${config.hostname ?? 'localhost'}:${config.port}`];
    },
    async serverStop() {
      await Promise.all([...backends.values()].map((b) => Promise.all([stopProxy(b), b.close()])));
      backends.clear();
      await Promise.all([...clusters.values()].map((c) => c.close()));
      clusters.clear();
    },
    async executeCommand({ command, payload }) {
      if (command === CLUSTER_COMMAND) return clusterCommand(/** @type {any} */ (payload ?? {}));
      if (command !== COMMAND) return undefined;
      const { action, id, ...args } = /** @type {any} */ (payload ?? {});
      if (action === 'start') {
        const backend = await startBackend({ ...args, allowedOrigins: [...runnerOrigins, ...(args.allowedOrigins ?? [])] });
        const backendId = String(nextId++);
        backends.set(backendId, backend);
        return { id: backendId, url: backend.url, restUrl: backend.restUrl, port: backend.port };
      }
      const backend = backends.get(id);
      if (action === 'close') {
        backends.delete(id);
        if (backend) await stopProxy(backend);
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

  /** @param {{ action: string, id?: string, [arg: string]: any }} payload */
  async function clusterCommand({ action, id, ...args }) {
    if (action === 'start') {
      const cluster = await startCluster({ processes: args.processes, allowedOrigins: runnerOrigins });
      const clusterId = String(nextId++);
      clusters.set(clusterId, cluster);
      return { id: clusterId, url: cluster.url, restUrl: `${cluster.url}/api/appointments/today`, ports: cluster.ports };
    }
    const cluster = clusters.get(/** @type {string} */ (id));
    if (action === 'close') {
      clusters.delete(/** @type {string} */ (id));
      await cluster?.close();
      return true;
    }
    if (!cluster) throw new Error(`schedule-cluster: no cluster ${id}`);
    const run = clusterActions[action];
    if (!run) throw new Error(`schedule-cluster: unknown action ${action}`);
    return (await run(cluster, args)) ?? true;
  }
}
