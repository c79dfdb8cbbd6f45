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
import { StructuredLogger, type LogFields, type LogLevel, type LogSink } from './logging.js';
import { MetricsRecorder, type ScheduleMetrics } from './metrics.js';
import { parsePayload, type Appointment, type ParsedPayload } from './payload.js';
import { Schedule } from './schedule.js';
import { leaseSocket, type SocketLease, type SocketSettings } from './socket.js';
import { dayKey } from './time.js';

/** A bearer token, or a function that returns one (or a Promise of one). */
export type AuthToken = string | (() => string | undefined | Promise<string | undefined>);

/** A host app's own loader, used instead of `appointmentsUrl`. */
export type FetchAppointments = (signal: AbortSignal) => Promise<unknown>;

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

type FetchFailureReason = 'http' | 'auth' | 'timeout' | 'network' | 'bad-json' | 'not-a-list' | 'other-day' | 'aborted';

interface FetchRequest {
  readonly source: UpdateSource;
  readonly generation: number;
}

interface FetchResult {
  readonly request: FetchRequest;
  readonly body?: unknown;
  readonly notModified?: boolean;
  readonly etag?: { url: string; value: string };
}

/** A failed fetch, in words safe for logs: it never holds the answer's body. */
class FetchFailure extends Error {
  constructor(
    readonly reason: FetchFailureReason,
    readonly status?: number,
    public request?: FetchRequest,
  ) {
    super(reason);
  }
}

const FAILURE_MESSAGES: Record<FetchFailureReason, string> = {
  http: 'the server answered with an error',
  auth: 'the server refused the credentials',
  timeout: 'the server did not answer in time',
  network: 'the server could not be reached',
  'bad-json': 'the answer was not valid JSON',
  'not-a-list': 'the answer was not a list of appointments',
  'other-day': 'the answer was for another day',
  aborted: 'the request was cancelled',
};

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
  private readonly _host: ScheduleConnectionHost;
  private readonly _now: () => number;
  private readonly _metrics = new MetricsRecorder();
  private readonly _schedule = new Schedule();
  private readonly _task: Task<[FetchRequest], FetchResult>;
  /** Writes this element's structured records. */
  readonly log: StructuredLogger;

  private _state: ConnectionState = ConnectionState.CONNECTING;
  /** The state to return to when the browser comes back online. */
  private _beforeOffline: ConnectionState = ConnectionState.CONNECTING;
  private _loaded = false;
  private _lastUpdated: Date | null = null;
  private _error: ScheduleErrorDetail | null = null;
  private _everConnected = false;

  private _connected = false;
  private _started = false;
  /** Bumped whenever an answer in flight must no longer be applied. */
  private _generation = 0;
  private _applied?: { socketKey: string; authToken?: AuthToken; restKey: string; fetcher?: FetchAppointments; pollInterval: number };

  private _lease?: SocketLease;
  private _socketSubs: Undo[] = [];
  private _subs: Undo[] = [];
  private _fallback?: { startedAt: number; firstFetchAt?: number; stop: Undo };
  private _rearm?: Undo;
  private _signal?: Undo;
  private _staleTimer?: Undo;
  private _inflight?: FetchRequest;
  private _queued?: { source: UpdateSource; done: Promise<void>; resolve: () => void };
  private _etag?: { url: string; value: string };

  constructor(host: ScheduleConnectionHost, options: { now?: () => number } = {}) {
    (this._host = host).addController(this);
    this._now = options.now ?? Date.now;
    this.log = new StructuredLogger(
      () => this._host.logLevel,
      () => this._host.logger,
      this._now,
    );
    this._task = new Task<[FetchRequest], FetchResult>(host, {
      autoRun: false,
      task: ([request], { signal }) => this._load(request, signal),
      onComplete: (result) => this._onLoaded(result),
      onError: (error) => this._onLoadFailed(error),
    });
  }

  // ---------------------------------------------------------------- read side

  /** The connection state; drives the badge and the polling. */
  get state(): ConnectionState {
    return this._state;
  }

  /** Today's appointments, sorted by start, frozen. */
  get appointments(): readonly Appointment[] {
    return this._schedule.appointments;
  }

  /** When the schedule last matched the server (a good answer or a 304), or null. */
  get lastUpdated(): Date | null {
    return this._lastUpdated;
  }

  /** True until the first schedule has arrived. */
  get loading(): boolean {
    return !this._loaded && this._error === null;
  }

  /** The last fetch's failure, cleared by the next good answer. */
  get error(): ScheduleErrorDetail | null {
    return this._error;
  }

  /** The Socket.IO reconnect attempt under way (0 when none). */
  get attempt(): number {
    return this._metrics.connection.currentAttempt;
  }

  /** True when the data is older than twice `pollInterval` and the socket is not live. */
  get stale(): boolean {
    if (this._state === ConnectionState.LIVE || !this._lastUpdated) return false;
    return this._now() - this._lastUpdated.getTime() > 2 * this._pollInterval;
  }

  /** A frozen snapshot of every metric (CONTRACT §6). */
  get metrics(): ScheduleMetrics {
    return this._metrics.snapshot();
  }

  /** The socket in use, for diagnostics. */
  get socket(): Socket | undefined {
    return this._lease?.socket;
  }

  private get _pollInterval(): number {
    return positive(this._host.pollInterval, 30000);
  }

  // ---------------------------------------------------------------- lifecycle

  hostConnected() {
    this._connected = true;
    // Configuration set right after insertion is read by the first update, so the
    // socket opens there, once, with the final settings.
    this._host.requestUpdate();
    this._subs.push(
      listen(window, 'offline', () => this._goOffline()),
      listen(window, 'online', () => this._goOnline()),
      listen(document, 'visibilitychange', () => this._onVisibilityChange()),
    );
  }

  hostUpdate() {
    if (!this._connected) return;
    const host = this._host;
    const next = {
      socketKey: JSON.stringify(this._socketSettings()),
      authToken: host.authToken,
      restKey: JSON.stringify([host.appointmentsUrl, host.serverUrl, host.timeZone, host.withCredentials]),
      fetcher: host.fetchAppointments,
      pollInterval: this._pollInterval,
    };
    const previous = this._applied;
    this._applied = next;
    if (!this._started) {
      this._started = true;
      if (!navigator.onLine) this._setState(ConnectionState.OFFLINE, { reason: 'browser-offline' });
      this._openSocket();
      void this._fetch(this._loaded ? 'refresh' : 'initial');
      return;
    }
    if (!previous) return;
    if (next.socketKey !== previous.socketKey || next.authToken !== previous.authToken) {
      this.log.info('socket.reconfigured');
      this._reopen('reconfigured');
    }
    if (next.restKey !== previous.restKey || next.fetcher !== previous.fetcher || next.authToken !== previous.authToken) {
      this._generation += 1;
      this._etag = undefined;
      void this._fetch('refresh');
    }
    if (next.pollInterval !== previous.pollInterval && this._fallback) {
      this._fallback.stop();
      this._fallback.stop = this._every(this._pollInterval, () => this._poll());
    }
  }

  hostDisconnected() {
    this._connected = false;
    this._started = false;
    this._generation += 1;
    this._task.abort();
    this._closeSocket();
    this._stopFallback('element-removed');
    this._stopRearming();
    for (const undo of this._subs.splice(0)) undo();
    this._signal?.();
    this._staleTimer?.();
    this._signal = this._staleTimer = undefined;
    this._queued?.resolve();
    this._queued = undefined;
    // A re-inserted element starts over from `connecting`; nobody is listening now.
    this._state = ConnectionState.CONNECTING;
  }

  // ---------------------------------------------------------------- commands

  /** Fetches now; resolves when that fetch (or the one it was queued behind) is done. */
  refresh(): Promise<void> {
    return this._connected ? this._fetch('refresh') : Promise.resolve();
  }

  /** Re-arms the socket now: after Socket.IO gave up, after a refusal, or to skip a backoff wait. */
  reconnect(): void {
    if (!this._connected || !this._started) return;
    if (this._state === ConnectionState.UNAUTHORIZED || !this._lease) {
      this._reopen('reconnect-requested');
      void this._fetch('refresh');
      return;
    }
    const socket = this._lease.socket;
    if (socket.connected) return;
    this.log.info('socket.rearmed', { state: this._state });
    socket.disconnect();
    socket.connect();
  }

  // ---------------------------------------------------------------- socket

  private _socketSettings(): SocketSettings {
    const host = this._host;
    const origin = new URL(host.serverUrl || location.origin, location.href).origin;
    const namespace = host.namespace ? `/${host.namespace.replace(/^\/+/, '')}` : '/appointments';
    return {
      serverUrl: origin,
      namespace,
      path: host.socketPath || '/socket.io',
      transports: (host.transports || 'websocket').split(/\s+/).filter(Boolean),
      reconnectionAttempts: positive(host.reconnectionAttempts, 60),
      reconnectionDelay: positive(host.reconnectionDelay, 1000),
      reconnectionDelayMax: positive(host.reconnectionDelayMax, 5000),
      withCredentials: host.withCredentials,
    };
  }

  private _openSocket() {
    const lease = (this._lease = leaseSocket(this._socketSettings(), () => this._token()));
    const { socket } = lease;
    const manager = socket.io;
    this._socketSubs.push(
      listen(socket, 'connect', () => this._onConnect()),
      listen(socket, 'disconnect', (reason: string) => this._onDisconnect(reason)),
      listen(socket, 'connect_error', () => this._onConnectError(socket)),
      listen(socket, this._host.eventName, (payload: unknown) => this._onEvent(payload)),
      listen(manager, 'reconnect_attempt', (attempt: number) => this._onReconnectAttempt(attempt)),
      listen(manager, 'reconnect_failed', () => this._onReconnectFailed()),
    );
    // A socket shared with another element may be up already.
    if (socket.connected) this._onConnect();
  }

  private _closeSocket() {
    for (const undo of this._socketSubs.splice(0)) undo();
    this._lease?.release();
    this._lease = undefined;
  }

  /** Closes the socket and opens it anew with the current settings. */
  private _reopen(reason: string) {
    this._closeSocket();
    this._stopFallback(reason);
    this._stopRearming();
    this._metrics.connection.currentAttempt = 0;
    this._setState(navigator.onLine ? ConnectionState.CONNECTING : ConnectionState.OFFLINE, { reason });
    this._openSocket();
  }

  private async _token(): Promise<string | undefined> {
    const { authToken } = this._host;
    try {
      const value = typeof authToken === 'function' ? await authToken() : authToken;
      return typeof value === 'string' && value !== '' ? value : undefined;
    } catch {
      this.log.warn('auth.token-failed');
      return undefined;
    }
  }

  private _onConnect() {
    const connection = this._metrics.connection;
    connection.connects += 1;
    const recovering = this._fallback !== undefined;
    this.log.info('socket.connected', { recovering });
    if (this._everConnected) {
      connection.successfulReconnects += 1;
      // Logged here rather than on the Manager's `reconnect`, which a re-armed socket never emits.
      this.log.info('reconnect.succeeded', {
        attempts: connection.currentAttempt,
        downMs: this._fallback ? this._now() - this._fallback.startedAt : undefined,
      });
    }
    connection.currentAttempt = 0;
    this._everConnected = true;
    this._stopFallback('socket-connected');
    this._stopRearming();
    this._setState(navigator.onLine ? ConnectionState.LIVE : ConnectionState.OFFLINE, { reason: 'connected' });
    if (recovering) void this._fetch('reconcile');
  }

  private _onDisconnect(reason: string) {
    const connection = this._metrics.connection;
    connection.disconnects += 1;
    connection.lastDisconnectReason = reason;
    this.log.warn('socket.disconnected', { reason });
    if (reason === 'io client disconnect') return;
    if (this._state !== ConnectionState.OFFLINE) this._setState(ConnectionState.RECONNECTING, { reason });
    this._startFallback(reason);
    // The server closed this socket on purpose; Socket.IO leaves it closed, the front desk must not.
    if (reason === 'io server disconnect') {
      const socket = this._lease?.socket;
      this._socketSubs.push(this._signalLater(() => socket?.connect(), this._host.reconnectionDelay));
    }
  }

  private _onConnectError(socket: Socket) {
    if (!socket.active) {
      // Refused by server middleware: Socket.IO will not retry, and neither do we.
      this.log.warn('socket.refused');
      this._unauthorized('handshake-refused');
      return;
    }
    this.log.debug('socket.connect-error', { attempt: this._metrics.connection.currentAttempt });
    if (this._state === ConnectionState.CONNECTING) {
      // Never connected yet: fall back exactly as after a drop.
      this._setState(ConnectionState.RECONNECTING, { reason: 'connect-error' });
      this._startFallback('connect-error');
    }
  }

  private _onReconnectAttempt(attempt: number) {
    const connection = this._metrics.connection;
    connection.reconnectAttempts += 1;
    connection.currentAttempt = attempt;
    this.log.info('reconnect.attempt', { attempt, of: this._host.reconnectionAttempts });
    if (this._state === ConnectionState.POLLING) {
      this._setState(ConnectionState.RECONNECTING, { reason: 'rearmed' });
    } else {
      this._host.requestUpdate();
    }
  }

  private _onReconnectFailed() {
    this._metrics.connection.reconnectFailures += 1;
    this.log.warn('reconnect.failed', { attempts: this._metrics.connection.currentAttempt });
    if (this._state !== ConnectionState.OFFLINE) this._setState(ConnectionState.POLLING, { reason: 'reconnect-failed' });
    this._startFallback('reconnect-failed');
    this._reportError({ kind: 'socket', message: 'Live updates are unavailable; the schedule is refreshed by polling.' });
    this._stopRearming();
    this._rearm = this._every(REARM_INTERVAL, () => this.reconnect());
  }

  private _stopRearming() {
    this._rearm?.();
    this._rearm = undefined;
  }

  private _unauthorized(reason: string, status?: number) {
    this._closeSocket();
    this._stopFallback('unauthorized');
    this._stopRearming();
    this._setState(ConnectionState.UNAUTHORIZED, { reason });
    this._reportError({ kind: 'auth', message: 'The server refused the credentials. Sign in again.', status });
  }

  // ---------------------------------------------------------------- socket events

  private _onEvent(payload: unknown) {
    const arrivedAt = performance.now();
    const events = this._metrics.events;
    events.received += 1;
    events.lastAt = new Date(this._now());
    const parsed = parsePayload(payload);
    if (parsed.kind === 'invalid') {
      events.invalid += 1;
      this.log.warn('payload.rejected', { reason: parsed.reason, source: 'socket' });
      this._reportError({ kind: 'payload', message: `A schedule update was rejected: ${parsed.reason}.` });
      return;
    }
    this._countRejectedItems(parsed, 'socket');
    if (parsed.date !== undefined && parsed.date !== this._today()) {
      return this._ignore('other-day');
    }
    let changed = false;
    switch (parsed.kind) {
      case 'snapshot':
        if (this._schedule.isOlder(parsed.version)) return this._ignore('older-version');
        changed = this._schedule.replace(parsed.appointments, parsed.version) || !this._loaded;
        this._loaded = true;
        break;
      case 'change': {
        const { appointment } = parsed;
        const today = this._today();
        // An appointment moved to (or booked on) another day is not today's: it leaves the list.
        const elsewhere = appointment && dayKey(new Date(appointment.start), this._host.timeZone || undefined) !== today;
        const result = this._schedule.apply(elsewhere ? { ...parsed, action: 'deleted' } : parsed);
        if (elsewhere && result !== 'applied') return this._ignore('other-day');
        if (result === 'ignored') return this._ignore('out-of-order');
        changed = result === 'applied';
        break;
      }
      case 'signal':
        events.applied += 1;
        this.log.debug('payload.signal');
        this._signal ??= this._signalLater(() => {
          this._signal = undefined;
          void this._fetch('socket');
        }, SIGNAL_COALESCE_MS);
        return;
    }
    events.applied += 1;
    this.log.debug('payload.applied', { kind: parsed.kind });
    if (changed) this._updated('socket');
    void this._host.updateComplete.then(() => {
      this._metrics.latency.add(performance.now() - arrivedAt);
      if (parsed.emittedAt !== undefined) this._metrics.emitLatency.add(Math.max(0, this._now() - parsed.emittedAt));
    });
  }

  private _ignore(reason: string) {
    this._metrics.events.ignored += 1;
    this.log.debug('payload.ignored', { reason });
  }

  private _countRejectedItems(parsed: ParsedPayload, source: string) {
    if (parsed.kind !== 'snapshot' || parsed.rejectedItems === 0) return;
    this._metrics.events.rejectedItems += parsed.rejectedItems;
    this.log.warn('payload.rejected', { reason: 'invalid-appointment', items: parsed.rejectedItems, source });
  }

  // ---------------------------------------------------------------- fallback

  private _startFallback(reason: string) {
    if (this._fallback) return;
    const fallback = this._metrics.fallback;
    fallback.activations += 1;
    const startedAt = this._now();
    fallback.activeSince = new Date(startedAt);
    this.log.info('fallback.started', { reason, pollInterval: this._pollInterval });
    this._fallback = { startedAt, stop: () => {} };
    this._poll();
    this._fallback.stop = this._every(this._pollInterval, () => this._poll());
  }

  private _stopFallback(reason: string) {
    const active = this._fallback;
    if (!active) return;
    active.stop();
    this._fallback = undefined;
    const fallback = this._metrics.fallback;
    const durationMs = this._now() - active.startedAt;
    fallback.totalMs += durationMs;
    fallback.activeSince = null;
    this.log.info('fallback.stopped', { reason, durationMs });
  }

  private _poll() {
    const active = this._fallback;
    if (!active || this._state === ConnectionState.OFFLINE || document.visibilityState === 'hidden') return;
    const fallback = this._metrics.fallback;
    fallback.polls += 1;
    if (active.firstFetchAt === undefined) {
      active.firstFetchAt = this._now();
      fallback.lastFirstFetchMs = active.firstFetchAt - active.startedAt;
    }
    this.log.debug('fallback.poll', { poll: fallback.polls });
    void this._fetch('poll');
  }

  private _goOffline() {
    if (this._state === ConnectionState.OFFLINE || !this._started) return;
    this._beforeOffline = this._state;
    this._setState(ConnectionState.OFFLINE, { reason: 'browser-offline' });
  }

  private _goOnline() {
    if (this._state !== ConnectionState.OFFLINE || !this._started) return;
    const socket = this._lease?.socket;
    const back = socket?.connected ? ConnectionState.LIVE : this._beforeOffline;
    this._setState(back === ConnectionState.OFFLINE ? ConnectionState.CONNECTING : back, { reason: 'browser-online' });
    void this._fetch('refresh');
    this.reconnect();
  }

  private _onVisibilityChange() {
    if (document.visibilityState !== 'visible' || !this._started) return;
    if (this._state === ConnectionState.POLLING) this.reconnect();
    const age = this._lastUpdated ? this._now() - this._lastUpdated.getTime() : Infinity;
    if (this._fallback && age > this._pollInterval) this._poll();
  }

  // ---------------------------------------------------------------- fetching

  private _fetch(source: UpdateSource): Promise<void> {
    if (this._inflight) {
      if (!this._queued) {
        let resolve!: () => void;
        const done = new Promise<void>((r) => (resolve = r));
        this._queued = { source, done, resolve };
      } else if (SOURCE_RANK[source] > SOURCE_RANK[this._queued.source]) {
        this._queued.source = source;
      }
      return this._queued.done;
    }
    const request: FetchRequest = { source, generation: this._generation };
    this._inflight = request;
    return this._task.run([request]).then(() => {
      this._inflight = undefined;
      const queued = this._queued;
      this._queued = undefined;
      if (!queued) return;
      if (this._connected) void this._fetch(queued.source).then(queued.resolve);
      else queued.resolve();
    });
  }

  private _appointmentsUrl(): string {
    const host = this._host;
    const base = new URL(host.serverUrl || location.origin, location.href);
    const path = (host.appointmentsUrl || '/api/appointments/today').replaceAll('{date}', this._today());
    return new URL(path, base).href;
  }

  private async _load(request: FetchRequest, signal: AbortSignal): Promise<FetchResult> {
    const host = this._host;
    this._metrics.fetch.requests += 1;
    const started = performance.now();
    const signals = [signal];
    const timeout = host.requestTimeout > 0 ? AbortSignal.timeout(host.requestTimeout) : undefined;
    if (timeout) signals.push(timeout);
    const combined = AbortSignal.any(signals);
    try {
      if (host.fetchAppointments) return { request, body: await host.fetchAppointments(combined) };
      const url = this._appointmentsUrl();
      const headers: Record<string, string> = { Accept: 'application/json' };
      const token = await this._token();
      if (token) headers.Authorization = `Bearer ${token}`;
      if (this._etag?.url === url) headers['If-None-Match'] = this._etag.value;
      const response = await fetch(url, {
        headers,
        signal: combined,
        // ETags are handled here, so the HTTP cache must not answer for the server.
        cache: 'no-store',
        credentials: host.withCredentials ? 'include' : 'same-origin',
      });
      if (response.status === 304) return { request, notModified: true };
      if (response.status === 401 || response.status === 403) throw new FetchFailure('auth', response.status);
      if (!response.ok) throw new FetchFailure('http', response.status);
      let body: unknown;
      try {
        body = await response.json();
      } catch {
        throw new FetchFailure('bad-json', response.status);
      }
      const etag = response.headers.get('ETag');
      return { request, body, ...(etag && { etag: { url, value: etag } }) };
    } catch (error) {
      const failure =
        error instanceof FetchFailure
          ? error
          : new FetchFailure(timeout?.aborted ? 'timeout' : signal.aborted ? 'aborted' : 'network');
      failure.request = request;
      throw failure;
    } finally {
      this._metrics.fetch.lastDurationMs = Math.round(performance.now() - started);
    }
  }

  private _onLoaded(result: FetchResult) {
    const { request } = result;
    if (request.generation !== this._generation) return;
    if (result.notModified) {
      this._metrics.fetch.notModified += 1;
      if (request.source === 'reconcile') this._checkConsistency(this._schedule.appointments);
      this._fresh();
      return;
    }
    const parsed = parsePayload(result.body);
    if (parsed.kind !== 'snapshot') {
      this.log.warn('payload.rejected', { reason: parsed.kind === 'invalid' ? parsed.reason : 'not-a-list', source: 'rest' });
      return this._onLoadFailed(new FetchFailure('not-a-list', undefined, request));
    }
    this._countRejectedItems(parsed, 'rest');
    if (parsed.date !== undefined && parsed.date !== this._today()) {
      return this._onLoadFailed(new FetchFailure('other-day', undefined, request));
    }
    if (this._schedule.isOlder(parsed.version)) {
      this.log.debug('payload.ignored', { reason: 'older-version', source: 'rest' });
      this._fresh();
      return;
    }
    if (request.source === 'reconcile') this._checkConsistency(parsed.appointments);
    const changed = this._schedule.replace(parsed.appointments, parsed.version) || !this._loaded;
    this._loaded = true;
    this._etag = result.etag;
    this._fresh();
    if (changed) this._updated(request.source);
  }

  private _onLoadFailed(error: unknown) {
    const failure = error instanceof FetchFailure ? error : new FetchFailure('network');
    const request = failure.request;
    if (!request || request.generation !== this._generation || failure.reason === 'aborted') return;
    this._metrics.fetch.errors += 1;
    if (request.source === 'poll') this._metrics.fallback.pollErrors += 1;
    this.log.warn('fetch.failed', { source: request.source, reason: failure.reason, status: failure.status });
    if (failure.reason === 'auth') {
      this._unauthorized('rest-refused', failure.status);
      return;
    }
    const status = failure.status !== undefined && failure.reason === 'http' ? ` (HTTP ${failure.status})` : '';
    this._reportError({
      kind: 'fetch',
      message: `Could not load today's appointments: ${FAILURE_MESSAGES[failure.reason]}${status}.`,
      ...(failure.status !== undefined && { status: failure.status }),
    });
  }

  private _checkConsistency(server: readonly Appointment[]) {
    const consistency = this._metrics.consistency;
    consistency.checks += 1;
    const diff = this._schedule.diff(server);
    if (diff.missing + diff.extra + diff.changed === 0) {
      this.log.debug('consistency.ok', { appointments: server.length });
      return;
    }
    consistency.mismatches += 1;
    consistency.lastMismatch = { ...diff, at: new Date(this._now()) };
    this.log.warn('consistency.mismatch', { ...diff });
  }

  // ---------------------------------------------------------------- state and output

  private _setState(next: ConnectionState, detail: { reason?: string } = {}) {
    const previous = this._state;
    if (previous === next) return;
    this._state = next;
    const attempt = next === ConnectionState.RECONNECTING ? this._metrics.connection.currentAttempt : undefined;
    const fields: LogFields = { state: next, previous, reason: detail.reason, attempt };
    this.log.info('state.changed', fields);
    emit(this._host, 'schedule-connection-change', {
      state: next,
      previous,
      ...(attempt !== undefined && { attempt }),
      ...(detail.reason !== undefined && { reason: detail.reason }),
    });
    this._host.requestUpdate();
  }

  /** The schedule matches the server as of now. */
  private _fresh() {
    this._lastUpdated = new Date(this._now());
    this._error = null;
    // Re-render when the data turns stale, so the badge says so without a new event.
    this._staleTimer?.();
    this._staleTimer = this._signalLater(() => this._host.requestUpdate(), 2 * this._pollInterval + 1);
    this._host.requestUpdate();
  }

  private _updated(source: UpdateSource) {
    emit(this._host, 'schedule-updated', { appointments: this._schedule.appointments, source });
    this._host.requestUpdate();
  }

  private _reportError(detail: ScheduleErrorDetail) {
    // Fetch and auth failures are shown in the element; the others only reach the host.
    if (detail.kind === 'fetch' || detail.kind === 'auth') this._error = detail;
    emit(this._host, 'schedule-error', detail);
    this._host.requestUpdate();
  }

  private _today(): string {
    return dayKey(new Date(this._now()), this._host.timeZone || undefined);
  }

  // ---------------------------------------------------------------- timers

  private _every(ms: number, fn: () => void): Undo {
    const id = setInterval(fn, ms);
    return () => clearInterval(id);
  }

  private _signalLater(fn: () => void, ms: number): Undo {
    const id = setTimeout(fn, ms);
    return () => clearTimeout(id);
  }
}
