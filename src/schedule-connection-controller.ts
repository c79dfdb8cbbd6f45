/**
 * The schedule connection controller: composes the parts that keep one element's
 * schedule live (the socket link, the fallback poller, the schedule feed, the day clock;
 * README, "Code layout") and owns what leaves them: state, events, metrics, logs.
 * Everything started while the host is on the page lives in one `Scope`, undone, all of
 * it, when the host leaves.
 */

import type { ReactiveController, ReactiveControllerHost } from 'lit';
import { resolveToken } from './auth.js';
import { configChanges, configReader, type ResolvedConfig, type ScheduleConnectionConfig } from './config.js';
import { readBrowser, watchBrowser, type BrowserView } from './connection/browser.js';
import { FallbackPoller } from './connection/fallback-poller.js';
import { SocketLink } from './connection/socket-link.js';
import { connectionState, owesCatchUp, type LinkSignal, type SocketLife } from './connection/state.js';
import { DayClock } from './data/day-clock.js';
import { Freshness } from './data/freshness.js';
import type { Appointment } from './data/payload.js';
import { ScheduleFeed, SOURCE_RANK } from './data/schedule-feed.js';
import { ConnectionState, HostEvents, type ErrorCause, type ScheduleErrorDetail, type UpdateSource } from './events.js';
import { errorWords, inEnglish } from './i18n/error-words.js';
import { StructuredLogger } from './logging.js';
import { MetricsRecorder, type ScheduleMetrics } from './metrics.js';
import { Scope } from './scope.js';

export type { AuthToken, ScheduleConnectionConfig } from './config.js';
export type { FetchAppointments } from './data/rest.js';

export type ScheduleConnectionHost = ReactiveControllerHost & HTMLElement & ScheduleConnectionConfig;

/**
 * Owns the live schedule of one `<schedule-dashboard>`. The host calls `configure` from
 * `willUpdate` with the properties Lit reports as changed; the first call starts it.
 *
 * @example
 * ```ts
 * class MyView extends LitElement implements ScheduleConnectionConfig {
 *   readonly #connection = new ScheduleConnectionController(this);
 *   protected willUpdate(changed: PropertyValues<this>) { this.#connection.configure(changed.keys()); }
 *   render() { return html`${this.#connection.appointments.length} today`; }
 * }
 * ```
 */
export class ScheduleConnectionController implements ReactiveController {
  readonly #host: ScheduleConnectionHost;
  readonly #metrics = new MetricsRecorder();
  readonly #feed: ScheduleFeed;
  readonly #poller: FallbackPoller;
  readonly #link: SocketLink;
  readonly #day: DayClock;
  readonly #freshness: Freshness;
  readonly #read: (host: ScheduleConnectionConfig) => ResolvedConfig;
  readonly #events: HostEvents;
  /** Writes this element's structured records. */
  readonly log: StructuredLogger;

  /** Off the page, on it and waiting for its first update, or running: the scope of all it started. */
  #lifecycle: 'detached' | 'attached' | Scope = 'detached';
  #config: ResolvedConfig;
  #browser: BrowserView = readBrowser();
  #error: ScheduleErrorDetail | null = null;

  constructor(host: ScheduleConnectionHost, options: { now?: () => number } = {}) {
    (this.#host = host).addController(this);
    const now = options.now ?? Date.now;
    const log = (this.log = new StructuredLogger(() => host.logLevel, () => host.logger, now));
    this.#events = new HostEvents(host, SOURCE_RANK, log.gate);
    this.#read = configReader((fields) => log.warn('config.invalid', fields));
    const tools = { metrics: this.#metrics, log, now };
    const token = () => resolveToken(host.authToken, this.#config.requestTimeout, () => log.warn('auth.token-failed'));
    this.#config = this.#read(this.#host);
    this.#freshness = new Freshness(now, () => host.requestUpdate());
    const rollover = (day: string) => {
      this.#feed.rollover(day);
      this.#updated('refresh');
    };
    const tick = () => host.requestUpdate();
    this.#day = new DayClock({ now, timeZone: () => this.#config.timeZone, rollover, tick });
    this.#feed = new ScheduleFeed({
      config: () => this.#config,
      today: () => this.#day.today,
      token,
      loader: () => host.fetchAppointments,
      rendered: () => host.updateComplete.catch(() => false),
      ...tools,
      fresh: (wholeList) => this.#fresh(wholeList),
      updated: (source) => this.#updated(source),
      error: (detail) => this.#reportError(detail),
      refused: (status) => this.#link.refuse('rest-refused', status),
      live: () => this.state === ConnectionState.LIVE,
    });
    this.#poller = new FallbackPoller({
      interval: () => this.#config.pollInterval,
      poll: () => void this.#fetch('poll'),
      rearm: () => this.#link.rearm('rearm'),
      age: () => this.#freshness.age,
      ...tools,
      metrics: this.#metrics.fallback,
    });
    this.#link = new SocketLink({
      token,
      ...tools,
      changed: (signal, before, reason) => this.#linkChanged(signal, before, reason),
      error: (detail) => this.#reportError(detail),
      event: (payload) => this.#feed.event(payload),
    });
  }

  /** The connection state, derived from the socket's life and the network; drives the badge. */
  get state(): ConnectionState {
    return connectionState({ life: this.#link.life, network: this.#browser.network });
  }

  /** Today's appointments, sorted by start, frozen. */
  get appointments(): readonly Appointment[] {
    return this.#feed.appointments;
  }

  /** When the schedule last matched the server (a good answer or a 304), or null. */
  get lastUpdated(): Date | null {
    return this.#freshness.lastUpdated;
  }

  /** True until the first schedule has arrived. */
  get loading(): boolean {
    return !this.#feed.loaded && this.#error === null;
  }

  /** The last fetch's failure, cleared by the next good answer. */
  get error(): ScheduleErrorDetail | null {
    return this.#error;
  }

  /** The Socket.IO reconnect attempt under way (0 when none). */
  get attempt(): number {
    const { life } = this.#link;
    return life.phase === 'retrying' ? life.attempt : 0;
  }

  /** True when the data is older than twice `pollInterval` and the socket is not live. */
  get stale(): boolean {
    return this.state !== ConnectionState.LIVE && this.#freshness.stale(this.#config.pollInterval);
  }

  /** True while a load that failed has not been made good (the badge says "catching up"). */
  get catchingUp(): boolean {
    return this.#feed.catchingUp;
  }

  /** A frozen snapshot of every metric (README, "Metrics"). */
  get metrics(): ScheduleMetrics {
    return this.#metrics.snapshot();
  }

  /** The configuration in use: the host's, normalised (nonsense replaced by defaults). */
  get config(): ResolvedConfig {
    return this.#config;
  }

  /** Settings made right after insertion are read by the first update: the socket opens there, once. */
  hostConnected() {
    this.#lifecycle = 'attached';
    this.#host.requestUpdate();
  }

  /** Applies what Lit reports as changed (from `willUpdate`); the first call starts. A new token
   *  handshakes again on the shared socket; a new REST question aborts the answer under way. */
  configure(changed: Iterable<PropertyKey>) {
    if (this.#lifecycle === 'detached') return;
    if (!this.#running) return this.#start();
    const change = configChanges(changed);
    if (!change.any) return;
    this.#config = this.#read(this.#host);
    if (change.socket) {
      this.log.info('socket.reconfigured');
      this.#reopen('reconfigured');
    } else if (change.auth) {
      this.log.info('socket.reconfigured', { reason: 'auth' });
      if (this.#link.life.phase !== 'refused') this.#link.rehandshake();
      else this.#reopen('auth');
    }
    if (change.rest) {
      this.#feed.forget();
      this.#day.check();
      void this.#fetch('refresh');
    }
    if (change.poll) this.#poller.intervalChanged();
  }

  hostDisconnected() {
    this.#running?.dispose();
    this.#lifecycle = 'detached';
    this.#events.reset();
  }

  get #running(): Scope | undefined {
    return typeof this.#lifecycle === 'object' ? this.#lifecycle : undefined;
  }

  #start() {
    const scope = (this.#lifecycle = new Scope());
    this.#config = this.#read(this.#host);
    this.#browser = readBrowser();
    watchBrowser(scope, (view, cause) => this.#browserChanged(view, cause));
    scope.add(() => {
      this.#link.close();
      this.#feed.dispose();
      this.#poller.stop('element-removed');
      this.log.flush();
    });
    this.#link.open(this.#config);
    this.#day.start(scope);
    void this.#fetch(this.#feed.loaded ? 'refresh' : 'initial');
    this.#sync(this.#browser.network === 'offline' ? 'browser-offline' : 'started');
  }

  /** Fetches now; resolves when that fetch (or the one it was queued behind) is done. */
  refresh(): Promise<void> {
    return this.#fetch('refresh');
  }

  /** Re-arms the socket now: after Socket.IO gave up, after a refusal, or to skip a backoff wait. */
  reconnect(): void {
    if (!this.#running) return;
    if (this.#link.life.phase !== 'refused') return this.#link.rearm('reconnect-requested');
    this.#reopen('reconnect-requested');
    void this.#fetch('refresh');
  }

  /** Closes the socket and opens it anew with the current settings. */
  #reopen(reason: string) {
    this.#link.open(this.#config);
    this.#sync(reason);
  }

  #linkChanged(signal: LinkSignal, before: SocketLife, reason: string) {
    this.#sync(reason);
    if (signal.type === 'connected') this.#feed.connected(owesCatchUp(before));
  }

  #browserChanged(view: BrowserView, cause: 'online' | 'offline' | 'visibilitychange') {
    const wasOffline = this.#browser.network === 'offline';
    this.#browser = view;
    this.#sync(cause === 'visibilitychange' ? 'visibility' : `browser-${cause}`);
    if (cause === 'online' && wasOffline && this.#link.life.phase !== 'refused') {
      // Coming online does not make refused credentials good; anything else catches up at once.
      this.#day.check();
      void this.#fetch('refresh');
      this.reconnect();
    } else if (cause === 'visibilitychange' && view.visibility === 'visible') {
      this.#day.check();
      this.#poller.pageShown();
    }
  }

  #fetch(source: UpdateSource): Promise<void> {
    return this.#running ? this.#feed.fetch(source) : Promise.resolve();
  }

  /** The model's inputs changed: the poller follows, the host hears of a new state, and re-renders. */
  #sync(reason: string) {
    const view = { life: this.#link.life, ...this.#browser };
    if (this.#running) this.#poller.update(view, reason);
    const state = this.state;
    const attempt = state === ConnectionState.RECONNECTING ? { attempt: this.attempt } : {};
    const told = this.#events.state({ state, reason, ...attempt });
    if (told) this.log.info('state.changed', { ...told });
    if (this.#running) this.#feed.liveChanged(state === ConnectionState.LIVE);
    this.#host.requestUpdate();
  }

  /** The schedule matches the server as of now; a whole list also settles the last fetch error. */
  #fresh(wholeList: boolean) {
    if (wholeList) this.#error = null;
    this.#freshness.touch(this.config.pollInterval, this.#running);
  }

  /** The list changed; `schedule-updated` goes out after the render that shows it. */
  #updated(source: UpdateSource) {
    this.#events.updated(source);
    this.#host.requestUpdate();
  }

  /** Why the list changed since the last render, if it did (read by the view before it renders). */
  get pendingSource(): UpdateSource | undefined {
    return this.#events.pending;
  }

  hostUpdated() {
    this.#events.rendered(this.#feed.appointments);
  }

  #reportError(cause: ErrorCause) {
    const detail: ScheduleErrorDetail = { ...cause, message: cause.message ?? errorWords(cause, inEnglish) };
    // Fetch and auth failures are shown in the element; the others only reach the host.
    if (detail.kind === 'fetch' || detail.kind === 'auth') this.#error = detail;
    this.#events.error(detail);
    this.#host.requestUpdate();
  }
}
