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
  Omit<ScheduleConnectionConfig, 'serverUrl' | 'timeZone' | 'authToken' | 'fetchAppointments' | 'logger'> & {
    heading: string;
    patientNames: PatientNames;
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
  heading: "Today's appointments",
  patientNames: 'full',
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
}

/** Attributes can hold anything; a nonsensical number falls back to its default. */
const positive = (value: number, fallback: number) => (Number.isFinite(value) && value > 0 ? value : fallback);

/** Reads the host's configuration; `invalid` hears of each value that fell back (attribute name only). */
export function resolveConfig(host: ScheduleConnectionConfig, invalid: (attribute: string) => void): ResolvedConfig {
  let serverUrl = location.origin;
  try {
    serverUrl = new URL(host.serverUrl || location.origin, location.href).origin;
  } catch {
    invalid('server-url');
  }
  const reconnectionDelay = positive(host.reconnectionDelay, DEFAULTS.reconnectionDelay);
  const path = host.appointmentsUrl || DEFAULTS.appointmentsUrl;
  return {
    socket: {
      serverUrl,
      namespace: host.namespace ? `/${host.namespace.replace(/^\/+/, '')}` : DEFAULTS.namespace,
      path: host.socketPath || DEFAULTS.socketPath,
      transports: (host.transports || DEFAULTS.transports).split(/\s+/).filter(Boolean),
      reconnectionAttempts: positive(host.reconnectionAttempts, DEFAULTS.reconnectionAttempts),
      reconnectionDelay,
      reconnectionDelayMax: positive(host.reconnectionDelayMax, DEFAULTS.reconnectionDelayMax),
      withCredentials: Boolean(host.withCredentials),
    },
    eventName: host.eventName || DEFAULTS.eventName,
    appointmentsUrl: (day) => new URL(path.replaceAll('{date}', day), serverUrl).href,
    pollInterval: positive(host.pollInterval, DEFAULTS.pollInterval),
    requestTimeout: positive(host.requestTimeout, DEFAULTS.requestTimeout),
    timeZone: host.timeZone || undefined,
    withCredentials: Boolean(host.withCredentials),
  };
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

/** Sorts the names Lit reports as changed (`willUpdate(changed)`) into what they touch. */
export function configChanges(changed: Iterable<PropertyKey>): ConfigChange {
  const keys = [...changed];
  return {
    socket: keys.some((key) => SOCKET.has(key)),
    auth: keys.includes('authToken'),
    rest: keys.some((key) => REST.has(key)),
    poll: keys.includes('pollInterval'),
    any: keys.some((key) => SOCKET.has(key) || REST.has(key) || key === 'pollInterval' || key === 'requestTimeout'),
  };
}
