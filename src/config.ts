/**
 * Configuration: every default in one place, the normalisation of what a host page
 * wrote into what the controller uses, and which of its parts a change touches.
 *
 * Attributes can hold anything. A value that makes no sense falls back to its default
 * (README, "Attributes and properties"); nothing here throws.
 */

import type { FetchAppointments } from './data/rest.js';
import type { LogLevel, LogSink } from './logging.js';
import type { SocketSettings } from './connection/socket.js';
import type { PatientNames } from './view/templates.js';

/** A bearer token, or a function that returns one (or a Promise of one). */
export type AuthToken = string | (() => string | undefined | Promise<string | undefined>);

/** The documented defaults: the element's fields start from these, and nonsense falls back to them. */
export const DEFAULTS: Readonly<
  Omit<ScheduleConnectionConfig, 'serverUrl' | 'timeZone' | 'authToken' | 'fetchAppointments' | 'logger' | 'lateAfter' | 'waitAlert'> & {
    patientNames: PatientNames;
    lateAfter: number;
    waitAlert: number;
    layout: 'list' | 'columns';
  }
> = Object.freeze({
  namespace: '/appointments',
  socketPath: '/socket.io',
  transports: 'websocket',
  eventName: 'dashboard_schedule_updated',
  appointmentsUrl: '/api/appointments/today',
  pollInterval: 30000,
  reconnectionAttempts: 60,
  reconnectionDelay: 1000,
  reconnectionDelayMax: 5000,
  requestTimeout: 10000,
  withCredentials: false,
  logLevel: 'warn',
  patientNames: 'full',
  lateAfter: 10,
  waitAlert: 15,
  layout: 'list',
});

/** What the controller reads from its host. */
export interface ScheduleConnectionConfig {
  /** Socket.IO server origin; empty or undefined means the page's origin. */
  serverUrl?: string;
  namespace: string;
  socketPath: string;
  /** Space-separated transport names. */
  transports: string;
  eventName: string;
  /** REST endpoint; `{date}` becomes today's date. Relative URLs resolve against `serverUrl`. */
  appointmentsUrl: string;
  pollInterval: number;
  reconnectionAttempts: number;
  reconnectionDelay: number;
  reconnectionDelayMax: number;
  requestTimeout: number;
  timeZone?: string;
  withCredentials: boolean;
  logLevel: LogLevel;
  authToken?: AuthToken;
  fetchAppointments?: FetchAppointments;
  logger?: LogSink;
  /** Minutes after start before a not-yet-arrived appointment is late (0 – 240). */
  lateAfter?: number;
  /** Minutes of waiting before the wait is flagged (0 – 240). */
  waitAlert?: number;
}

/** The configuration as the controller uses it: normalised, every value usable. */
export interface ResolvedConfig {
  readonly socket: SocketSettings;
  readonly eventName: string;
  /** The REST endpoint for `day` (YYYY-MM-DD), absolute. */
  readonly appointmentsUrl: (day: string) => string;
  readonly pollInterval: number;
  readonly requestTimeout: number;
  readonly timeZone: string | undefined;
  readonly withCredentials: boolean;
  readonly lateAfter: number;
  readonly waitAlert: number;
}

/** Hears of a value that was replaced: the attribute, and the value used instead. */
export type InvalidValue = (attribute: string, used: string | number) => void;

/** The ranges of the millisecond and count attributes (README, "Attributes and properties"). */
export const RANGES = Object.freeze({
  pollInterval: [1000, 24 * 60 * 60 * 1000],
  requestTimeout: [1000, 120000],
  reconnectionDelay: [100, 60000],
  reconnectionDelayMaxCeiling: 300000,
  reconnectionAttempts: [1, 10000],
} as const);

/** The transports the element uses (WebTransport is not among them: see vite.config.ts); others are dropped. */
const TRANSPORTS: readonly string[] = ['websocket', 'polling'];

/**
 * A number attribute: nonsense (not a number, zero or less) falls back to `fallback`, a
 * number out of `[min, max]` (`Infinity` too) is clamped, and so is the fallback itself;
 * either is reported once.
 */
function ranged(attribute: string, value: unknown, fallback: number, [min, max]: readonly [number, number], invalid: InvalidValue): number {
  const n = typeof value === 'number' && !Number.isNaN(value) && value > 0 ? value : fallback;
  const used = Math.min(max, Math.max(min, attribute === 'reconnection-attempts' ? Math.round(n) : n));
  if (used !== value) invalid(attribute, used);
  return used;
}

/** `server-url` must be an absolute http(s) URL; anything else (a bare host name too) means the page's origin. */
/** Minutes for the flow board: 0 is a value here; not a number falls back, out of 0 – 240 is clamped. */
function minutes(attribute: string, value: unknown, fallback: number, invalid: InvalidValue): number {
  const n = typeof value === 'number' && !Number.isNaN(value) ? value : fallback;
  const used = Math.min(240, Math.max(0, n));
  if (used !== value) invalid(attribute, used);
  return used;
}

function origin(value: string | undefined, invalid: InvalidValue): string {
  if (!value) return location.origin;
  try {
    const url = new URL(value);
    if (url.protocol === 'http:' || url.protocol === 'https:') return url.origin;
  } catch {
    // Reported below, like any other value that is not an http(s) URL.
  }
  invalid('server-url', location.origin);
  return location.origin;
}

function transports(value: string | undefined, invalid: InvalidValue): string[] {
  const named = (value || DEFAULTS.transports).split(/[\s,]+/).filter(Boolean);
  const known = [...new Set(named.filter((name) => TRANSPORTS.includes(name)))];
  const used = known.length ? known : [DEFAULTS.transports];
  if (used.join(' ') !== named.join(' ')) invalid('transports', used.join(' '));
  return used;
}

function timeZone(value: string | undefined, invalid: InvalidValue): string | undefined {
  if (!value) return undefined;
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: value });
    return value;
  } catch {
    invalid('time-zone', Intl.DateTimeFormat().resolvedOptions().timeZone);
    return undefined;
  }
}

/** Reads the host's configuration; `invalid` hears of each value that was replaced. */
export function resolveConfig(host: ScheduleConnectionConfig, invalid: InvalidValue): ResolvedConfig {
  const serverUrl = origin(host.serverUrl, invalid);
  const reconnectionDelay = ranged('reconnection-delay', host.reconnectionDelay, DEFAULTS.reconnectionDelay, RANGES.reconnectionDelay, invalid);
  const delayMax = [reconnectionDelay, RANGES.reconnectionDelayMaxCeiling] as const;
  const path = host.appointmentsUrl || DEFAULTS.appointmentsUrl;
  return {
    socket: {
      serverUrl,
      namespace: host.namespace ? `/${host.namespace.replace(/^\/+/, '')}` : DEFAULTS.namespace,
      path: host.socketPath || DEFAULTS.socketPath,
      transports: transports(host.transports, invalid),
      reconnectionAttempts: ranged('reconnection-attempts', host.reconnectionAttempts, DEFAULTS.reconnectionAttempts, RANGES.reconnectionAttempts, invalid),
      reconnectionDelay,
      reconnectionDelayMax: ranged('reconnection-delay-max', host.reconnectionDelayMax, DEFAULTS.reconnectionDelayMax, delayMax, invalid),
      withCredentials: Boolean(host.withCredentials),
    },
    eventName: host.eventName || DEFAULTS.eventName,
    appointmentsUrl: (day) => new URL(path.replaceAll('{date}', day), serverUrl).href,
    pollInterval: ranged('poll-interval', host.pollInterval, DEFAULTS.pollInterval, RANGES.pollInterval, invalid),
    requestTimeout: ranged('request-timeout', host.requestTimeout, DEFAULTS.requestTimeout, RANGES.requestTimeout, invalid),
    timeZone: timeZone(host.timeZone, invalid),
    withCredentials: Boolean(host.withCredentials),
    lateAfter: minutes('late-after', host.lateAfter ?? DEFAULTS.lateAfter, DEFAULTS.lateAfter, invalid),
    waitAlert: minutes('wait-alert', host.waitAlert ?? DEFAULTS.waitAlert, DEFAULTS.waitAlert, invalid),
  };
}

/**
 * A reader of the host's configuration that reports each replaced value once: a
 * `config.invalid` record per attribute and value used, never a flood on every update.
 */
export function configReader(report: (fields: { attribute: string; value: string | number }) => void): (host: ScheduleConnectionConfig) => ResolvedConfig {
  const reported = new Set<string>();
  return (host) =>
    resolveConfig(host, (attribute, value) => {
      const key = `${attribute}\u0000${value}`;
      if (reported.has(key)) return;
      reported.add(key);
      report({ attribute, value });
    });
}

/** Which parts of the controller a change of properties touches. */
export interface ConfigChange {
  /** The socket must be opened anew. */
  readonly socket: boolean;
  /** The token changed: the socket handshakes again with it. */
  readonly auth: boolean;
  /** The REST question changed: the answer under way no longer applies; ask again. */
  readonly rest: boolean;
  /** The poll interval changed. */
  readonly poll: boolean;
  /** Anything the controller reads changed (`request-timeout` too). */
  readonly any: boolean;
}

const SOCKET: ReadonlySet<PropertyKey> = new Set([
  'serverUrl',
  'namespace',
  'socketPath',
  'transports',
  'eventName',
  'reconnectionAttempts',
  'reconnectionDelay',
  'reconnectionDelayMax',
  'withCredentials',
]);
const REST: ReadonlySet<PropertyKey> = new Set([
  'appointmentsUrl',
  'serverUrl',
  'timeZone',
  'withCredentials',
  'fetchAppointments',
  'authToken',
]);

/** Read by the controller but touching neither the socket nor REST. */
const OTHER: ReadonlySet<PropertyKey> = new Set(['pollInterval', 'requestTimeout', 'lateAfter', 'waitAlert']);

/** Sorts the names Lit reports as changed (`willUpdate(changed)`) into what they touch. */
export function configChanges(changed: Iterable<PropertyKey>): ConfigChange {
  const keys = [...changed];
  return {
    socket: keys.some((key) => SOCKET.has(key)),
    auth: keys.includes('authToken'),
    rest: keys.some((key) => REST.has(key)),
    poll: keys.includes('pollInterval'),
    any: keys.some((key) => SOCKET.has(key) || REST.has(key) || OTHER.has(key)),
  };
}
