/**
 * The schedule connection controller: the one place that owns the socket, the
 * connection state machine, the REST fallback, metrics and logging. The element is a
 * view over it.
 *
 * The fallback rules (CONTRACT §5), all of them here:
 * - On start: one REST fetch, so the schedule shows before the first socket event.
 * - Socket drops: state `reconnecting`, fetch **at once**, then every `pollInterval`.
 * - Socket back: state `live`, polling stops, its timer is cleared, and one reconciling
 *   fetch catches up with what was missed; it is compared with what the socket built.
 * - Socket.IO gives up (`reconnect_failed`): state `polling`, polling goes on, and the
 *   socket is re-armed every 5 minutes, when the tab becomes visible and when the
 *   browser comes back online.
 * - Browser offline: state `offline`, polling paused; online: fetch at once, re-arm.
 * - Tab hidden: polls are skipped; visible again: fetch at once if the data is older
 *   than `pollInterval`.
 * - Credentials refused (handshake or REST 401/403): state `unauthorized`, no retries,
 *   no polling, until `reconnect()` or a new `authToken`.
 * - Fetches never overlap: one asked for while another runs is queued (once), and an
 *   answer whose inputs changed meanwhile is dropped.
 */

import type { ReactiveController, ReactiveControllerHost } from 'lit';
import { Task } from '@lit/task';
import type { Socket } from 'socket.io-client';
import { ConnectionState, emit, type ScheduleErrorDetail, type UpdateSource } from './events.js';
import { StructuredLogger, type LogLevel, type LogSink } from './logging.js';
import { MetricsRecorder, type ScheduleMetrics } from './metrics.js';
import { parsePayload, type Appointment, type ParsedPayload } from './payload.js';
import { Schedule } from './schedule.js';
import { leaseSocket, type SocketLease, type SocketSettings } from './socket.js';
import { FAILURE_MESSAGES, FetchFailure, loadAppointments, type FetchAppointments, type LoadResult } from './rest.js';
import { dayKey } from './time.js';

export type { FetchAppointments };

/** A bearer token, or a function that returns one (or a Promise of one). */
export type AuthToken = string | (() => string | undefined | Promise<string | undefined>);


/** What the controller reads from its host, live, at every use. */
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

export type ScheduleConnectionHost = ReactiveControllerHost & HTMLElement & ScheduleConnectionConfig;

/** How often a socket that Socket.IO gave up on is re-armed while polling. */
export const REARM_INTERVAL = 5 * 60 * 1000;
/** Signals arriving within this window cause one fetch. */
export const SIGNAL_COALESCE_MS = 50;

interface FetchRequest {
  readonly source: UpdateSource;
  readonly generation: number;
}

type FetchResult = LoadResult & { readonly request: FetchRequest };

/** Which queued fetch wins when several are asked for during one. */
const SOURCE_RANK: Record<UpdateSource, number> = { poll: 0, socket: 1, initial: 2, refresh: 3, reconcile: 4 };

type Undo = () => void;

/** Attributes can hold anything; a nonsensical number falls back to its default. */
const positive = (value: number, fallback: number) => (Number.isFinite(value) && value > 0 ? value : fallback);

function listen(target: EventTarget | Socket | Socket['io'], event: string, fn: (...args: any[]) => void): Undo {
  if ('addEventListener' in target) {
    target.addEventListener(event, fn);
    return () => target.removeEventListener(event, fn);
  }
  (target as Socket).on(event, fn);
  return () => (target as Socket).off(event, fn);
}

/**
 * Owns the live schedule of one `<schedule-dashboard>`.
 *
 * @example
 * ```ts
 * class MyView extends LitElement implements ScheduleConnectionConfig {
 *   private connection = new ScheduleConnectionController(this);
 *   render() { return html`${this.connection.appointments.length} today`; }
 * }
 * ```
 */
export class ScheduleConnectionController implements ReactiveController {
  readonly #host: ScheduleConnectionHost;
  readonly #now: () => number;
  readonly #metrics = new MetricsRecorder();
  readonly #schedule = new Schedule();
  readonly #task: Task<[FetchRequest], FetchResult>;
  /** Writes this element's structured records. */
  readonly log: StructuredLogger;

  #state: ConnectionState = ConnectionState.CONNECTING;
  #loaded = false;
  #lastUpdated: Date | null = null;
  #error: ScheduleErrorDetail | null = null;
  #everConnected = false;
  #reconcileOnConnect = false;
  /**
   * Socket changes applied while a fetch is under way, replayed onto its (older) answer;
   * `superseded` once a socket snapshot arrived meanwhile, which makes that answer moot.
   */
  #replay: Array<Extract<ParsedPayload, { kind: 'change' }>> | 'superseded' = [];

  #connected = false;
  #started = false;
  /** Bumped whenever an answer in flight must no longer be applied. */
  #generation = 0;
  #applied?: { socketKey: string; authToken?: AuthToken; restKey: string; fetcher?: FetchAppointments; pollInterval: number };

  #lease?: SocketLease;
  #socketSubs: Undo[] = [];
  #subs: Undo[] = [];
  #fallback?: { startedAt: number; firstFetchAt?: number; stop: Undo };
  #rearm?: Undo;
  #signal?: Undo;
  #staleTimer?: Undo;
  #midnight?: Undo;
  /** The day the schedule on screen belongs to. */
  #day?: string;
  /** Why the list changed since the last render; announced once the host has rendered it. */
  #pendingUpdate?: UpdateSource;
  #inflight?: FetchRequest;
  #queued?: { source: UpdateSource; done: Promise<void>; resolve: () => void };
  #etag?: { url: string; value: string };

  constructor(host: ScheduleConnectionHost, options: { now?: () => number } = {}) {
    (this.#host = host).addController(this);
    this.#now = options.now ?? Date.now;
    this.log = new StructuredLogger(
      () => this.#host.logLevel,
      () => this.#host.logger,
      this.#now,
    );
    this.#task = new Task<[FetchRequest], FetchResult>(host, {
      autoRun: false,
      task: ([request], { signal }) => this.#load(request, signal),
      onComplete: (result) => this.#onLoaded(result),
      onError: (error) => this.#onLoadFailed(error),
    });
  }

  // ---------------------------------------------------------------- read side

  /** The connection state; drives the badge and the polling. */
  get state(): ConnectionState {
    return this.#state;
  }

  /** Today's appointments, sorted by start, frozen. */
  get appointments(): readonly Appointment[] {
    return this.#schedule.appointments;
  }

  /** When the schedule last matched the server (a good answer or a 304), or null. */
  get lastUpdated(): Date | null {
    return this.#lastUpdated;
  }

  /** True until the first schedule has arrived. */
  get loading(): boolean {
    return !this.#loaded && this.#error === null;
  }

  /** The last fetch's failure, cleared by the next good answer. */
  get error(): ScheduleErrorDetail | null {
    return this.#error;
  }

  /** The Socket.IO reconnect attempt under way (0 when none). */
  get attempt(): number {
    return this.#metrics.connection.currentAttempt;
  }

  /** True when the data is older than twice `pollInterval` and the socket is not live. */
  get stale(): boolean {
    if (this.#state === ConnectionState.LIVE || !this.#lastUpdated) return false;
    return this.#now() - this.#lastUpdated.getTime() > 2 * this.#pollInterval;
  }

  /** A frozen snapshot of every metric (CONTRACT §6). */
  get metrics(): ScheduleMetrics {
    return this.#metrics.snapshot();
  }

  /** The socket in use, for diagnostics. */
  get socket(): Socket | undefined {
    return this.#lease?.socket;
  }

  /** `poll-interval`, or its default when the attribute is nonsense. */
  get pollInterval(): number {
    return positive(this.#host.pollInterval, 30000);
  }

  /** `reconnection-attempts`, or its default when the attribute is nonsense. */
  get reconnectionAttempts(): number {
    return positive(this.#host.reconnectionAttempts, 60);
  }

  get #pollInterval(): number {
    return this.pollInterval;
  }

  get #requestTimeout(): number {
    return positive(this.#host.requestTimeout, 10000);
  }

  // ---------------------------------------------------------------- lifecycle

  hostConnected() {
    this.#connected = true;
    // Configuration set right after insertion is read by the first update, so the
    // socket opens there, once, with the final settings.
    this.#host.requestUpdate();
    this.#subs.push(
      listen(window, 'offline', () => this.#goOffline()),
      listen(window, 'online', () => this.#goOnline()),
      listen(document, 'visibilitychange', () => this.#onVisibilityChange()),
    );
  }

  hostUpdate() {
    if (!this.#connected) return;
    const host = this.#host;
    const next = {
      socketKey: JSON.stringify([this.#socketSettings(), host.eventName]),
      authToken: host.authToken,
      restKey: JSON.stringify([host.appointmentsUrl, host.serverUrl, host.timeZone, host.withCredentials]),
      fetcher: host.fetchAppointments,
      pollInterval: this.#pollInterval,
    };
    const previous = this.#applied;
    this.#applied = next;
    if (!this.#started) {
      this.#started = true;
      if (!navigator.onLine) this.#setState(ConnectionState.OFFLINE, 'browser-offline');
      this.#openSocket();
      this.#checkDay();
      void this.#fetch(this.#loaded ? 'refresh' : 'initial');
      return;
    }
    if (!previous) return;
    if (next.socketKey !== previous.socketKey) {
      this.log.info('socket.reconfigured');
      this.#reopen('reconfigured');
    } else if (next.authToken !== previous.authToken) {
      this.log.info('socket.reconfigured', { reason: 'auth' });
      if (this.#lease && this.#state !== ConnectionState.UNAUTHORIZED) {
        // The socket may be shared: handshake again on it, with this token first.
        this.#lease.rehandshake();
      } else {
        this.#reopen('auth');
      }
    }
    if (next.restKey !== previous.restKey || next.fetcher !== previous.fetcher || next.authToken !== previous.authToken) {
      // A fetch under way asked the old question: abort it and ask the new one.
      this.#forgetFetch();
      this.#checkDay();
      void this.#fetch('refresh');
    }
    if (next.pollInterval !== previous.pollInterval && this.#fallback) {
      this.#fallback.stop();
      this.#fallback.stop = this.#every(this.#pollInterval, () => this.#poll());
    }
  }

  hostDisconnected() {
    this.#connected = false;
    this.#started = false;
    this.#generation += 1;
    this.#task.abort();
    this.#closeSocket();
    this.#stopFallback('element-removed');
    this.#stopRearming();
    for (const undo of this.#subs.splice(0)) undo();
    this.#signal?.();
    this.#staleTimer?.();
    this.#midnight?.();
    this.#signal = this.#staleTimer = this.#midnight = undefined;
    this.#queued?.resolve();
    this.#queued = undefined;
    // A re-inserted element starts over from `connecting`; nobody is listening now.
    this.#state = ConnectionState.CONNECTING;
  }

  // ---------------------------------------------------------------- commands

  /** Fetches now; resolves when that fetch (or the one it was queued behind) is done. */
  refresh(): Promise<void> {
    return this.#connected ? this.#fetch('refresh') : Promise.resolve();
  }

  /** Re-arms the socket now: after Socket.IO gave up, after a refusal, or to skip a backoff wait. */
  reconnect(): void {
    if (!this.#connected || !this.#started) return;
    if (this.#state === ConnectionState.UNAUTHORIZED || !this.#lease) {
      this.#reopen('reconnect-requested');
      void this.#fetch('refresh');
      return;
    }
    const socket = this.#lease.socket;
    if (socket.connected) return;
    this.log.info('socket.rearmed', { state: this.#state });
    socket.disconnect();
    socket.connect();
  }

  // ---------------------------------------------------------------- socket

  #socketSettings(): SocketSettings {
    const host = this.#host;
    let origin = location.origin;
    try {
      origin = new URL(host.serverUrl || location.origin, location.href).origin;
    } catch {
      this.log.warn('config.invalid', { attribute: 'server-url' });
    }
    const namespace = host.namespace ? `/${host.namespace.replace(/^\/+/, '')}` : '/appointments';
    return {
      serverUrl: origin,
      namespace,
      path: host.socketPath || '/socket.io',
      transports: (host.transports || 'websocket').split(/\s+/).filter(Boolean),
      reconnectionAttempts: this.reconnectionAttempts,
      reconnectionDelay: positive(host.reconnectionDelay, 1000),
      reconnectionDelayMax: positive(host.reconnectionDelayMax, 5000),
      withCredentials: host.withCredentials,
    };
  }

  #openSocket() {
    const lease = (this.#lease = leaseSocket(this.#socketSettings(), () => this.#token()));
    const { socket } = lease;
    const manager = socket.io;
    this.#socketSubs.push(
      listen(socket, 'connect', () => this.#onConnect()),
      listen(socket, 'disconnect', (reason: string) => this.#onDisconnect(reason)),
      listen(socket, 'connect_error', () => this.#onConnectError(socket)),
      listen(socket, this.#host.eventName, (payload: unknown) => this.#onEvent(payload)),
      listen(manager, 'reconnect_attempt', (attempt: number) => this.#onReconnectAttempt(attempt)),
      listen(manager, 'reconnect_failed', () => this.#onReconnectFailed()),
    );
    // A socket shared with another element may be up already.
    if (socket.connected) this.#onConnect();
  }

  #closeSocket() {
    for (const undo of this.#socketSubs.splice(0)) undo();
    this.#lease?.release();
    this.#lease = undefined;
  }

  /** Closes the socket and opens it anew with the current settings. */
  #reopen(reason: string) {
    // Reopened during an outage: the new socket must still catch up on what was missed.
    this.#reconcileOnConnect ||= this.#fallback !== undefined;
    this.#closeSocket();
    this.#stopFallback(reason);
    this.#stopRearming();
    this.#metrics.connection.currentAttempt = 0;
    this.#setState(navigator.onLine ? ConnectionState.CONNECTING : ConnectionState.OFFLINE, reason);
    this.#openSocket();
  }

  /** The token to send; a token function that fails or hangs past `request-timeout` yields none. */
  async #token(): Promise<string | undefined> {
    const { authToken } = this.#host;
    let timer: ReturnType<typeof setTimeout> | undefined;
    try {
      const value = await Promise.race([
        typeof authToken === 'function' ? authToken() : authToken,
        new Promise<never>((_, reject) => {
          timer = setTimeout(() => reject(new Error('timeout')), this.#requestTimeout);
        }),
      ]);
      return typeof value === 'string' && value !== '' ? value : undefined;
    } catch {
      this.log.warn('auth.token-failed');
      return undefined;
    } finally {
      clearTimeout(timer);
    }
  }

  #onConnect() {
    const connection = this.#metrics.connection;
    connection.connects += 1;
    const recovering = this.#fallback !== undefined || this.#reconcileOnConnect;
    this.#reconcileOnConnect = false;
    this.log.info('socket.connected', { recovering });
    if (this.#everConnected) {
      connection.successfulReconnects += 1;
      // Logged here rather than on the Manager's `reconnect`, which a re-armed socket never emits.
      this.log.info('reconnect.succeeded', {
        attempts: connection.currentAttempt,
        downMs: this.#fallback ? this.#now() - this.#fallback.startedAt : undefined,
      });
    }
    connection.currentAttempt = 0;
    this.#everConnected = true;
    this.#stopFallback('socket-connected');
    this.#stopRearming();
    this.#setState(navigator.onLine ? ConnectionState.LIVE : ConnectionState.OFFLINE, 'connected');
    if (recovering) void this.#fetch('reconcile');
  }

  #onDisconnect(reason: string) {
    const connection = this.#metrics.connection;
    connection.disconnects += 1;
    connection.lastDisconnectReason = reason;
    this.log.warn('socket.disconnected', { reason });
    if (reason === 'io client disconnect') return;
    if (this.#state !== ConnectionState.OFFLINE) this.#setState(ConnectionState.RECONNECTING, reason);
    this.#startFallback(reason);
    // The server closed this socket on purpose; Socket.IO leaves it closed, the front desk must not.
    if (reason === 'io server disconnect') {
      const socket = this.#lease?.socket;
      this.#socketSubs.push(this.#signalLater(() => socket?.connect(), positive(this.#host.reconnectionDelay, 1000)));
    }
  }

  #onConnectError(socket: Socket) {
    if (!socket.active) {
      // Refused by server middleware: Socket.IO will not retry, and neither do we.
      this.log.warn('socket.refused');
      this.#unauthorized('handshake-refused');
      return;
    }
    if (this.#state === ConnectionState.CONNECTING) {
      // Never connected yet: fall back exactly as after a drop.
      this.#setState(ConnectionState.RECONNECTING, 'connect-error');
      this.#startFallback('connect-error');
    }
  }

  #onReconnectAttempt(attempt: number) {
    const connection = this.#metrics.connection;
    connection.reconnectAttempts += 1;
    connection.currentAttempt = attempt;
    this.log.info('reconnect.attempt', { attempt, of: this.reconnectionAttempts });
    if (this.#state === ConnectionState.POLLING) {
      this.#setState(ConnectionState.RECONNECTING, 'rearmed');
    } else {
      this.#host.requestUpdate();
    }
  }

  #onReconnectFailed() {
    this.#metrics.connection.reconnectFailures += 1;
    this.log.warn('reconnect.failed', { attempts: this.#metrics.connection.currentAttempt });
    if (this.#state !== ConnectionState.OFFLINE) this.#setState(ConnectionState.POLLING, 'reconnect-failed');
    this.#startFallback('reconnect-failed');
    this.#reportError({ kind: 'socket', message: 'Live updates unavailable; polling.' });
    this.#stopRearming();
    this.#rearm = this.#every(REARM_INTERVAL, () => this.reconnect());
  }

  #stopRearming() {
    this.#rearm?.();
    this.#rearm = undefined;
  }

  #unauthorized(reason: string, status?: number) {
    this.#closeSocket();
    this.#stopFallback('unauthorized');
    this.#stopRearming();
    this.#setState(ConnectionState.UNAUTHORIZED, reason);
    this.#reportError({ kind: 'auth', message: 'Sign-in required.', status });
  }

  // ---------------------------------------------------------------- socket events

  #onEvent(payload: unknown) {
    const arrivedAt = performance.now();
    const events = this.#metrics.events;
    events.received += 1;
    events.lastAt = new Date(this.#now());
    const parsed = parsePayload(payload);
    if (parsed.kind === 'invalid') {
      events.invalid += 1;
      this.log.warn('payload.rejected', { reason: parsed.reason, source: 'socket' });
      this.#reportError({ kind: 'payload', message: `Update rejected: ${parsed.reason}.` });
      return;
    }
    this.#countRejectedItems(parsed, 'socket');
    if (parsed.date !== undefined && parsed.date !== this.#today()) {
      return this.#ignore('other-day');
    }
    let changed = false;
    switch (parsed.kind) {
      case 'snapshot':
        if (this.#schedule.isOlder(parsed.version)) return this.#ignore('older-version');
        changed = this.#schedule.replace(parsed.appointments, parsed.version) || !this.#loaded;
        this.#loaded = true;
        if (this.#inflight) this.#replay = 'superseded';
        break;
      case 'change': {
        const { appointment } = parsed;
        const today = this.#today();
        // An appointment moved to (or booked on) another day is not today's: it leaves the list.
        const elsewhere = appointment && dayKey(new Date(appointment.start), this.#host.timeZone || undefined) !== today;
        const change = elsewhere ? { ...parsed, action: 'deleted' as const } : parsed;
        const result = this.#schedule.apply(change);
        if (elsewhere && result !== 'applied') return this.#ignore('other-day');
        if (this.#inflight && result !== 'ignored' && this.#replay !== 'superseded') this.#replay.push(change);
        if (result === 'ignored') return this.#ignore('out-of-order');
        changed = result === 'applied';
        break;
      }
      case 'signal':
        events.applied += 1;
        this.#signal ??= this.#signalLater(() => {
          this.#signal = undefined;
          void this.#fetch('socket');
        }, SIGNAL_COALESCE_MS);
        return;
    }
    events.applied += 1;
    // What the socket delivers is as current as it gets: "Updated" tells when it last did.
    this.#fresh(parsed.kind === 'snapshot');
    if (changed) this.#updated('socket');
    void this.#host.updateComplete.catch(() => false).then(() => {
      this.#metrics.latency.add(performance.now() - arrivedAt);
      if (parsed.emittedAt !== undefined) this.#metrics.emitLatency.add(Math.max(0, this.#now() - parsed.emittedAt));
    });
  }

  #ignore(reason: string) {
    this.#metrics.events.ignored += 1;
    this.log.debug('payload.ignored', { reason });
  }

  #countRejectedItems(parsed: ParsedPayload, source: string) {
    if (parsed.kind !== 'snapshot' || parsed.rejectedItems === 0) return;
    this.#metrics.events.rejectedItems += parsed.rejectedItems;
    this.log.warn('payload.rejected', { reason: 'invalid-appointment', items: parsed.rejectedItems, source });
  }

  // ---------------------------------------------------------------- fallback

  #startFallback(reason: string) {
    if (this.#fallback) return;
    const fallback = this.#metrics.fallback;
    fallback.activations += 1;
    const startedAt = this.#now();
    fallback.activeSince = new Date(startedAt);
    this.log.info('fallback.started', { reason, pollInterval: this.#pollInterval });
    this.#fallback = { startedAt, stop: () => {} };
    this.#poll();
    this.#fallback.stop = this.#every(this.#pollInterval, () => this.#poll());
  }

  #stopFallback(reason: string) {
    const active = this.#fallback;
    if (!active) return;
    active.stop();
    this.#fallback = undefined;
    const fallback = this.#metrics.fallback;
    const durationMs = this.#now() - active.startedAt;
    fallback.totalMs += durationMs;
    fallback.activeSince = null;
    this.log.info('fallback.stopped', { reason, durationMs });
  }

  #poll() {
    const active = this.#fallback;
    if (!active || this.#state === ConnectionState.OFFLINE || document.visibilityState === 'hidden') return;
    const fallback = this.#metrics.fallback;
    fallback.polls += 1;
    if (active.firstFetchAt === undefined) {
      active.firstFetchAt = this.#now();
      fallback.lastFirstFetchMs = active.firstFetchAt - active.startedAt;
    }
    this.log.debug('fallback.poll', { poll: fallback.polls });
    void this.#fetch('poll');
  }

  #goOffline() {
    if (this.#state === ConnectionState.OFFLINE || !this.#started) return;
    this.#setState(ConnectionState.OFFLINE, 'browser-offline');
  }

  #goOnline() {
    if (this.#state !== ConnectionState.OFFLINE || !this.#started) return;
    // Refused credentials close the socket until a new token or reconnect(): no socket, no retry.
    if (!this.#lease) {
      // Coming online does not make refused credentials good: wait for a new token or reconnect().
      this.#setState(ConnectionState.UNAUTHORIZED, 'browser-online');
      return;
    }
    // What the socket did while the browser was offline decides where to go back to.
    const back = this.#lease?.socket.connected
      ? ConnectionState.LIVE
      : this.#rearm
        ? ConnectionState.POLLING
        : this.#fallback || this.#everConnected
          ? ConnectionState.RECONNECTING
          : ConnectionState.CONNECTING;
    this.#setState(back, 'browser-online');
    this.#checkDay();
    void this.#fetch('refresh');
    this.reconnect();
  }

  /**
   * Rolls the schedule over when the day in `time-zone` has changed. Checked every minute
   * (and on becoming visible or online) rather than by one timer set for midnight: timers
   * drift, laptops sleep, and daylight-saving nights are an hour short or long.
   */
  #checkDay() {
    const today = this.#today();
    if (this.#day !== undefined && this.#day !== today) {
      this.log.info('day.rollover', { day: today });
      this.#forgetFetch();
      this.#schedule.clear();
      this.#loaded = false;
      this.#updated('refresh');
      void this.#fetch('refresh');
    }
    this.#day = today;
    this.#midnight ??= this.#every(60000, () => this.#checkDay());
  }

  #onVisibilityChange() {
    if (document.visibilityState !== 'visible' || !this.#started) return;
    this.#checkDay();
    if (this.#state === ConnectionState.POLLING) this.reconnect();
    const age = this.#lastUpdated ? this.#now() - this.#lastUpdated.getTime() : Infinity;
    if (this.#fallback && age > this.#pollInterval) this.#poll();
  }

  // ---------------------------------------------------------------- fetching

  /** The question changed (URL, token, day): the answer under way and the ETag no longer apply. */
  #forgetFetch() {
    this.#generation += 1;
    this.#etag = undefined;
    this.#task.abort();
  }

  #fetch(source: UpdateSource): Promise<void> {
    if (this.#inflight) {
      if (!this.#queued) {
        let resolve!: () => void;
        const done = new Promise<void>((r) => (resolve = r));
        this.#queued = { source, done, resolve };
      } else if (SOURCE_RANK[source] > SOURCE_RANK[this.#queued.source]) {
        this.#queued.source = source;
      }
      return this.#queued.done;
    }
    const request: FetchRequest = { source, generation: this.#generation };
    this.#inflight = request;
    this.#replay = [];
    return this.#task.run([request]).then(() => {
      this.#inflight = undefined;
      const queued = this.#queued;
      this.#queued = undefined;
      if (!queued) return;
      if (this.#connected) void this.#fetch(queued.source).then(queued.resolve);
      else queued.resolve();
    });
  }

  #appointmentsUrl(): string {
    const host = this.#host;
    const base = new URL(this.#socketSettings().serverUrl);
    const path = (host.appointmentsUrl || '/api/appointments/today').replaceAll('{date}', this.#today());
    return new URL(path, base).href;
  }

  async #load(request: FetchRequest, signal: AbortSignal): Promise<FetchResult> {
    const host = this.#host;
    this.#metrics.fetch.requests += 1;
    const started = performance.now();
    try {
      const options = {
        url: () => this.#appointmentsUrl(),
        token: () => this.#token(),
        etag: this.#etag,
        withCredentials: host.withCredentials,
        timeoutMs: this.#requestTimeout,
        loader: host.fetchAppointments,
      };
      return { request, ...(await loadAppointments(options, signal)) };
    } catch (error) {
      const failure = error instanceof FetchFailure ? error : new FetchFailure('network');
      failure.request = request;
      throw failure;
    } finally {
      this.#metrics.fetch.lastDurationMs = Math.round(performance.now() - started);
    }
  }

  #onLoaded(result: FetchResult) {
    const { request } = result;
    if (request.generation !== this.#generation) return;
    if ('notModified' in result) {
      this.#metrics.fetch.notModified += 1;
      if (request.source === 'reconcile') this.#checkConsistency(this.#schedule.appointments);
      this.#fresh();
      return;
    }
    const parsed = parsePayload(result.body);
    if (parsed.kind !== 'snapshot') {
      this.log.warn('payload.rejected', { reason: parsed.kind === 'invalid' ? parsed.reason : 'not-a-list', source: 'rest' });
      return this.#onLoadFailed(Object.assign(new FetchFailure('not-a-list'), { request }));
    }
    this.#countRejectedItems(parsed, 'rest');
    if (parsed.date !== undefined && parsed.date !== this.#today()) {
      return this.#onLoadFailed(Object.assign(new FetchFailure('other-day'), { request }));
    }
    if (this.#schedule.isOlder(parsed.version)) {
      this.log.debug('payload.ignored', { reason: 'older-version', source: 'rest' });
      this.#fresh();
      return;
    }
    if (this.#replay === 'superseded') {
      // A socket snapshot arrived after this request left: it is newer than this answer.
      this.log.debug('payload.ignored', { reason: 'superseded', source: 'rest' });
      return;
    }
    let server = parsed.appointments;
    if (this.#replay.length) {
      // Socket changes applied while the request was under way are newer than its answer.
      const merged = new Schedule();
      merged.replace(server);
      for (const change of this.#replay) merged.apply(change);
      server = merged.appointments;
    }
    if (request.source === 'reconcile') this.#checkConsistency(server);
    const changed = this.#schedule.replace(server, parsed.version) || !this.#loaded;
    this.#loaded = true;
    this.#etag = result.etag;
    this.#fresh();
    if (changed) this.#updated(request.source);
  }

  #onLoadFailed(error: unknown) {
    const failure = error instanceof FetchFailure ? error : new FetchFailure('network');
    const request = failure.request as FetchRequest | undefined;
    if (!request || request.generation !== this.#generation || failure.reason === 'aborted') return;
    this.#metrics.fetch.errors += 1;
    if (request.source === 'poll') this.#metrics.fallback.pollErrors += 1;
    this.log.warn('fetch.failed', { source: request.source, reason: failure.reason, status: failure.status });
    if (failure.reason === 'auth') {
      this.#unauthorized('rest-refused', failure.status);
      return;
    }
    const status = failure.status !== undefined && failure.reason === 'http' ? `, HTTP ${failure.status}` : '';
    this.#reportError({
      kind: 'fetch',
      message: `Could not load today's appointments (${FAILURE_MESSAGES[failure.reason]}${status}).`,
      ...(failure.status !== undefined && { status: failure.status }),
    });
  }

  #checkConsistency(server: readonly Appointment[]) {
    const consistency = this.#metrics.consistency;
    consistency.checks += 1;
    const diff = this.#schedule.diff(server);
    if (diff.missing + diff.extra + diff.changed === 0) return;
    consistency.mismatches += 1;
    consistency.lastMismatch = { ...diff, at: new Date(this.#now()) };
    this.log.warn('consistency.mismatch', { ...diff });
  }

  // ---------------------------------------------------------------- state and output

  /** `reason`: a fixed word (`connected`, `transport close`, `reconnect-failed`, …), never content. */
  #setState(next: ConnectionState, reason: string) {
    const previous = this.#state;
    if (previous === next) return;
    this.#state = next;
    const attempt = next === ConnectionState.RECONNECTING ? this.#metrics.connection.currentAttempt : undefined;
    const detail = { state: next, previous, reason, ...(attempt !== undefined && { attempt }) };
    this.log.info('state.changed', detail);
    emit(this.#host, 'schedule-connection-change', detail);
    this.#host.requestUpdate();
  }

  /** The schedule matches the server as of now; a whole list also settles the last fetch error. */
  #fresh(wholeList = true) {
    this.#lastUpdated = new Date(this.#now());
    if (wholeList) this.#error = null;
    // Re-render when the data turns stale, so the badge says so without a new event.
    this.#staleTimer?.();
    this.#staleTimer = this.#signalLater(() => this.#host.requestUpdate(), 2 * this.#pollInterval + 1);
    this.#host.requestUpdate();
  }

  /**
   * The list changed. The event goes out once the host has rendered it, once per render:
   * a burst of socket changes costs one sort and one event, not one each.
   */
  #updated(source: UpdateSource) {
    if (this.#pendingUpdate === undefined || SOURCE_RANK[source] > SOURCE_RANK[this.#pendingUpdate]) {
      this.#pendingUpdate = source;
    }
    this.#host.requestUpdate();
  }

  /** Why the list changed since the last render, if it did (read by the view before it renders). */
  get pendingSource(): UpdateSource | undefined {
    return this.#pendingUpdate;
  }

  hostUpdated() {
    const source = this.#pendingUpdate;
    if (source === undefined) return;
    this.#pendingUpdate = undefined;
    emit(this.#host, 'schedule-updated', { appointments: this.#schedule.appointments, source });
  }

  #reportError(detail: ScheduleErrorDetail) {
    // Fetch and auth failures are shown in the element; the others only reach the host.
    if (detail.kind === 'fetch' || detail.kind === 'auth') this.#error = detail;
    emit(this.#host, 'schedule-error', detail);
    this.#host.requestUpdate();
  }

  #today(): string {
    return dayKey(new Date(this.#now()), this.#host.timeZone || undefined);
  }

  // ---------------------------------------------------------------- timers

  #every(ms: number, fn: () => void): Undo {
    const id = setInterval(fn, ms);
    return () => clearInterval(id);
  }

  #signalLater(fn: () => void, ms: number): Undo {
    const id = setTimeout(fn, ms);
    return () => clearTimeout(id);
  }
}
