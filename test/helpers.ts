/**
 * Test helpers: a handle on a real reference backend (started by the test runner's
 * plugin, on its own port), and waits that keep working under sinon's fake clock.
 */
import { executeServerCommand } from '@web/test-runner-commands';
import { fixture, html } from '@open-wc/testing';
import '../src/schedule-dashboard.js';
import type { ScheduleDashboard } from '../src/schedule-dashboard.js';

// Captured before any test fakes the clock: waits must go on in real time.
const realSetTimeout = window.setTimeout.bind(window);
const realNow = performance.now.bind(performance);

/** Resolves after `ms` of real time, even under fake timers. */
export const realDelay = (ms: number) => new Promise<void>((resolve) => realSetTimeout(resolve, ms));

/** Waits (in real time) until `condition` holds; fails with `message` after `timeout` ms. */
export async function until(condition: () => unknown, message: string, timeout = 10000): Promise<void> {
  const started = realNow();
  for (;;) {
    if (await condition()) return;
    if (realNow() - started > timeout) throw new Error(`Timed out: ${message}`);
    await realDelay(20);
  }
}

export interface RawAppointment {
  id: string | number;
  [field: string]: unknown;
}

export interface BackendStats {
  restRequests: number;
  notModified: number;
  authorizations: string[];
  handshakes: Array<{ auth: Record<string, unknown>; transport: string; path: string }>;
  connections: number;
  refusedHandshakes: number;
  maxConcurrentRest: number;
  /** REST answers held open by the `hang` fault and not yet closed by the client. */
  hanging: number;
  clients: number;
  version: number;
}

/** A reference backend of our own, driven from the browser. */
export class Backend {
  private constructor(
    readonly id: string,
    readonly url: string,
    readonly restUrl: string,
  ) {}

  static async start(options: { appointments?: RawAppointment[]; [option: string]: unknown } = {}): Promise<Backend> {
    const answer = (await executeServerCommand('schedule-backend', { action: 'start', ...options })) as {
      id: string;
      url: string;
      restUrl: string;
    };
    const backend = new Backend(answer.id, answer.url, answer.restUrl);
    started.push(backend);
    return backend;
  }

  private run<T = unknown>(action: string, args: Record<string, unknown> = {}): Promise<T> {
    return executeServerCommand('schedule-backend', { action, id: this.id, ...args }) as Promise<T>;
  }

  emit(payload: unknown) {
    return this.run('emit', { payload });
  }
  emitMany(payloads: unknown[]) {
    return this.run('emitMany', { payloads });
  }
  setAppointments(appointments: RawAppointment[], emit?: 'snapshot' | 'signal' | false) {
    return this.run('setAppointments', { appointments, emit });
  }
  upsert(appointment: RawAppointment, emit = true) {
    return this.run('upsert', { appointment, emit });
  }
  remove(appointmentId: string | number, emit = true) {
    return this.run('remove', { appointmentId, emit });
  }
  dropClients() {
    return this.run('dropClients');
  }
  stopSockets() {
    return this.run('stopSockets');
  }
  startSockets() {
    return this.run('startSockets');
  }
  /** Closes the whole HTTP server (connections refused, REST included). */
  kill() {
    return this.run('kill');
  }
  revive() {
    return this.run('revive');
  }
  setRestFault(fault: { status?: number; body?: string; contentType?: string; hang?: boolean; delayMs?: number } | null) {
    return this.run('setRestFault', { fault });
  }
  stats() {
    return this.run<BackendStats>('stats');
  }
  close() {
    return this.run('close');
  }
}

const started: Backend[] = [];

/** Closes every backend a test started; call from `afterEach`. */
export async function closeBackends() {
  await Promise.all(started.splice(0).map((b) => b.close()));
}

/** An ISO instant today (browser time zone) at hh:mm. */
export function todayAt(hours: number, minutes = 0): string {
  const at = new Date();
  at.setHours(hours, minutes, 0, 0);
  return at.toISOString();
}

/** A small, realistic day. */
export function sampleDay(): RawAppointment[] {
  return [
    { id: 1, start: todayAt(9), end: todayAt(9, 30), patientName: 'Alice Martin', provider: 'Dr. Chen', room: '1', type: 'Check-up', status: 'confirmed' },
    { id: 2, start: todayAt(8, 30), patient_name: 'Bruno Keller', provider: 'Dr. Chen', room: '2', type: 'Cleaning', status: 'checked-in' },
    { id: 'c3', start_time: todayAt(10, 15), patientName: 'Chiara Rossi', provider: 'Dr. Osei', type: 'Filling', status: 'scheduled' },
  ];
}

/** `count` appointments from 07:00, `perHour` an hour, named "Pat 00", "Pat 01"…, each with `status(i)`. */
export const evenDay = (count: number, perHour: number, status: (i: number) => string): RawAppointment[] =>
  Array.from({ length: count }, (_, i) => ({
    id: i,
    start: todayAt(7 + Math.floor(i / perHour), (i % perHour) * (60 / perHour)),
    patientName: `Pat ${String(i).padStart(2, '0')}`,
    status: status(i),
  }));

/** Settings that keep tests quick without changing what they prove. */
export const QUICK = { reconnectionDelay: 100, reconnectionDelayMax: 300 };

/** Renders the element against `backend`. */
export async function dashboardFor(
  backend: Backend,
  options: { pollInterval?: number; reconnectionDelay?: number; reconnectionDelayMax?: number; reconnectionAttempts?: number; extra?: Partial<ScheduleDashboard> } = {},
): Promise<ScheduleDashboard> {
  const el = await fixture<ScheduleDashboard>(html`<schedule-dashboard
    server-url=${backend.url}
    log-level="silent"
    poll-interval=${options.pollInterval ?? 30000}
    reconnection-delay=${options.reconnectionDelay ?? QUICK.reconnectionDelay}
    reconnection-delay-max=${options.reconnectionDelayMax ?? QUICK.reconnectionDelayMax}
    reconnection-attempts=${options.reconnectionAttempts ?? 60}
  ></schedule-dashboard>`);
  Object.assign(el, options.extra ?? {});
  return el;
}

const shadow = (el: ScheduleDashboard) => el.shadowRoot!;

/** The badge's visible text, whitespace folded. */
export const badgeText = (el: ScheduleDashboard) =>
  (shadow(el).querySelector('[part="badge"]')?.textContent ?? '').replace(/\s+/g, ' ').trim();

/** Each row's visible text, whitespace folded. */
export const rows = (el: ScheduleDashboard) =>
  [...shadow(el).querySelectorAll('[part="appointment"]')].map((li) => (li.textContent ?? '').replace(/\s+/g, ' ').trim());

/** The patient names shown, in order. */
export const patients = (el: ScheduleDashboard) =>
  [...shadow(el).querySelectorAll('[part="patient"]')].map((p) => p.textContent?.trim());

export const errorText = (el: ScheduleDashboard) => shadow(el).querySelector('[part="error"]')?.textContent?.trim() ?? '';

/** True once the badge says Live. */
export const isLive = (el: ScheduleDashboard) => () => badgeText(el).startsWith('Live');

/** REST requests the backend has answered so far. */
export const requests = async (backend: Backend) => (await backend.stats()).restRequests;

/**
 * Records every uncaught error and unhandled rejection from `start()` to `stop()`, which
 * returns what was recorded (a test fails on any of them).
 */
export function uncaughtErrors() {
  const seen: string[] = [];
  const onError = (e: ErrorEvent) => seen.push(String(e.message));
  const onRejection = (e: PromiseRejectionEvent) => seen.push(String(e.reason));
  return {
    start() {
      seen.length = 0;
      window.addEventListener('error', onError);
      window.addEventListener('unhandledrejection', onRejection);
    },
    stop(): readonly string[] {
      window.removeEventListener('error', onError);
      window.removeEventListener('unhandledrejection', onRejection);
      return [...seen];
    },
  };
}

/**
 * A cluster of our own (README, "Running several backend processes"): Redis, backend
 * processes and the round-robin proxy in front (`url`), driven from the browser.
 */
export class Cluster {
  private constructor(
    readonly id: string,
    readonly url: string,
    readonly ports: readonly number[],
  ) {}

  static async start(options: { processes?: number } = {}): Promise<Cluster> {
    const answer = (await executeServerCommand('schedule-cluster', { action: 'start', ...options })) as { id: string; url: string; ports: number[] };
    const cluster = new Cluster(answer.id, answer.url, answer.ports);
    startedClusters.push(cluster);
    return cluster;
  }

  private run<T = unknown>(action: string, args: Record<string, unknown> = {}): Promise<T> {
    return executeServerCommand('schedule-cluster', { action, id: this.id, ...args }) as Promise<T>;
  }

  /** Runs a backend action (`upsert`, `emit`, `stats`, …) in the process of slot `index`. */
  call<T = unknown>(index: number, call: string, args: Record<string, unknown> = {}): Promise<T> {
    return this.run<T>('call', { index, call, args });
  }
  stats(index: number) {
    return this.call<BackendStats & { recoveredConnections: number }>(index, 'stats');
  }
  /** The slot of the process that holds `clients` socket connections (the one page's socket: 1). */
  async processWith(clients = 1): Promise<number | undefined> {
    for (let index = 0; index < this.ports.length; index += 1) {
      if ((await this.stats(index)).clients === clients) return index;
    }
    return undefined;
  }
  /** SIGKILL: a crash (no session kept); SIGTERM: a graceful exit (sessions kept for recovery). */
  kill(index: number, signal: 'SIGKILL' | 'SIGTERM') {
    return this.run<{ code: number | null; signal: string | null }>('kill', { index, signal });
  }
  /** Starts the process of slot `index` again on its port. */
  revive(index: number) {
    return this.run('revive', { index });
  }
  /** The proxy holds new connections until `resume()`. */
  pause() {
    return this.run('pause');
  }
  resume() {
    return this.run('resume');
  }
  close() {
    return this.run('close');
  }
}

const startedClusters: Cluster[] = [];

/** Closes every cluster a test started; call from `afterEach`. */
export async function closeClusters() {
  await Promise.all(startedClusters.splice(0).map((c) => c.close()));
}
