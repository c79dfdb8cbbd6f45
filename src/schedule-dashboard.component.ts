import { LitElement, html, nothing, type PropertyValues } from 'lit';
import { ConnectionState, type UpdateSource } from './events.js';
import type { LogLevel, LogSink } from './logging.js';
import type { ScheduleMetrics } from './metrics.js';
import { APPOINTMENT_STATUSES, type Appointment } from './payload.js';
import {
  ScheduleConnectionController,
  type AuthToken,
  type FetchAppointments,
  type ScheduleConnectionConfig,
} from './schedule-connection-controller.js';
import { styles } from './schedule-dashboard.styles.js';
import { formatInterval, formatTime } from './time.js';

/** How patient names are shown: in full, as initials, or not at all. */
export type PatientNames = 'full' | 'initials' | 'hidden';

/** "checked-in" → "Checked in": the known statuses in words (another string is shown as it is). */
const statusLabel = (status: string) =>
  (APPOINTMENT_STATUSES as readonly string[]).includes(status)
    ? status[0].toUpperCase() + status.slice(1).replace('-', ' ')
    : status;

const ANNOUNCED: readonly UpdateSource[] = ['socket', 'poll', 'reconcile', 'refresh'];

const initials = (name: string) =>
  name
    .split(/[\s-]+/)
    .filter(Boolean)
    .map((word) => `${word[0].toUpperCase()}.`)
    .join(' ');

/**
 * Today's appointments of a medical or dental practice, live over Socket.IO, with REST
 * polling whenever the socket is down and a status badge that says which is happening.
 *
 * @summary Live view of today's appointments, with REST fallback and a connection badge.
 *
 * @attr connection-state - Read only: the current connection state, for CSS.
 *
 * @fires schedule-updated - The list changed. `detail: { appointments, source }`.
 * @fires schedule-connection-change - The connection state changed. `detail: { state, previous, attempt?, reason? }`.
 * @fires schedule-error - A fetch, payload, socket or auth problem. `detail: { kind, message, status? }`; never patient data.
 *
 * @slot heading - Replaces the heading text.
 * @slot empty - Shown when there are no appointments today.
 *
 * @csspart header - The header row (heading and badge).
 * @csspart heading - The heading.
 * @csspart badge - The connection status badge (a polite live region).
 * @csspart list - The list of appointments.
 * @csspart appointment - One appointment row.
 * @csspart time - An appointment's time.
 * @csspart patient - An appointment's patient name.
 * @csspart provider - An appointment's provider.
 * @csspart status - An appointment's status label.
 * @csspart empty - The no-appointments message.
 * @csspart error - The error message.
 * @csspart metrics - The diagnostics panel (`show-metrics`).
 *
 * @cssprop --schedule-dashboard-font-family - Font family.
 * @cssprop --schedule-dashboard-color - Text colour.
 * @cssprop --schedule-dashboard-background - Background.
 * @cssprop --schedule-dashboard-border - Border.
 * @cssprop --schedule-dashboard-radius - Corner radius.
 * @cssprop --schedule-dashboard-padding - Padding.
 * @cssprop --schedule-dashboard-live-color - Badge colour when live.
 * @cssprop --schedule-dashboard-warning-color - Badge colour while reconnecting, polling or offline.
 * @cssprop --schedule-dashboard-error-color - Badge and error colour when something is wrong.
 * @cssprop --schedule-dashboard-muted-color - Secondary text colour.
 * @cssprop --schedule-dashboard-status-background - Status label background.
 */
export class ScheduleDashboard extends LitElement implements ScheduleConnectionConfig {
  static override styles = styles;

  // Declared without decorators: the script-tag builds must stay within 28 KB gzip, and
  // Lit's decorators cost about 0.4 KB of it. Each property's JSDoc is below, on its field.
  static override properties = {
    serverUrl: { attribute: 'server-url', reflect: true },
    namespace: { reflect: true },
    socketPath: { attribute: 'socket-path', reflect: true },
    transports: { reflect: true },
    eventName: { attribute: 'event-name', reflect: true },
    appointmentsUrl: { attribute: 'appointments-url', reflect: true },
    pollInterval: { attribute: 'poll-interval', type: Number, reflect: true },
    reconnectionAttempts: { attribute: 'reconnection-attempts', type: Number, reflect: true },
    reconnectionDelay: { attribute: 'reconnection-delay', type: Number, reflect: true },
    reconnectionDelayMax: { attribute: 'reconnection-delay-max', type: Number, reflect: true },
    requestTimeout: { attribute: 'request-timeout', type: Number, reflect: true },
    timeZone: { attribute: 'time-zone', reflect: true },
    locale: { reflect: true },
    heading: { reflect: true },
    patientNames: { attribute: 'patient-names', reflect: true },
    withCredentials: { attribute: 'with-credentials', type: Boolean, reflect: true },
    hideBadge: { attribute: 'hide-badge', type: Boolean, reflect: true },
    compact: { type: Boolean, reflect: true },
    showMetrics: { attribute: 'show-metrics', type: Boolean, reflect: true },
    logLevel: { attribute: 'log-level', reflect: true },
    authToken: { attribute: false },
    fetchAppointments: { attribute: false },
    logger: { attribute: false },
  };

  /** Socket.IO server origin; defaults to the page's origin. Relative `appointments-url`s resolve against it. */
  serverUrl?: string;

  /** Socket.IO namespace. */
  namespace = '/appointments';

  /** Engine.IO path. */
  socketPath = '/socket.io';

  /** Space-separated transports; `websocket polling` allows long-polling behind proxies. */
  transports = 'websocket';

  /** The server's update event. */
  eventName = 'dashboard_schedule_updated';

  /** REST endpoint for today's appointments; `{date}` becomes today's date (YYYY-MM-DD in `time-zone`). */
  appointmentsUrl = '/api/appointments/today';

  /** Milliseconds between fallback fetches while the socket is down. */
  pollInterval = 30000;

  /** Socket.IO reconnection attempts before giving up on the socket (polling goes on). */
  reconnectionAttempts = 60;

  /** Milliseconds before the first reconnection attempt. */
  reconnectionDelay = 1000;

  /** Maximum milliseconds between reconnection attempts. */
  reconnectionDelayMax = 5000;

  /** Milliseconds before a REST fetch is aborted. */
  requestTimeout = 10000;

  /** IANA time zone that defines "today" and formats times; defaults to the browser's. */
  timeZone?: string;

  /** Locale for times; defaults to the page's `lang`, else the browser's. */
  locale?: string;

  /** Heading text. */
  heading = "Today's appointments";

  /** `full`, `initials` or `hidden`: privacy for screens others can see. */
  patientNames: PatientNames = 'full';

  /** Send cookies cross-origin on REST and on the socket. */
  withCredentials = false;

  /** Hide the status badge. */
  hideBadge = false;

  /** One line per appointment, for narrow sidebars. */
  compact = false;

  /** Show a diagnostics panel (a `<details>` under the list) with the main metrics, for support staff. */
  showMetrics = false;

  /** `silent`, `error`, `warn`, `info` or `debug`: which log records are written. */
  logLevel: LogLevel = 'warn';

  /** Bearer token (or a function returning one, or a Promise of one) for the handshake and REST. Property only. */
  authToken?: AuthToken;

  /** Loads today's appointments instead of `appointments-url`. Property only. */
  fetchAppointments?: FetchAppointments;

  /** Receives structured log records instead of the console. Property only. */
  logger?: LogSink;

  /** What the polite live region says about the last change. */
  #announcement = '';

  private readonly _connection = new ScheduleConnectionController(this);

  /** The connection state: `connecting`, `live`, `reconnecting`, `polling`, `offline` or `unauthorized`. */
  get connectionState(): ConnectionState {
    return this._connection.state;
  }

  /** Today's appointments, sorted by start, frozen. */
  get appointments(): readonly Appointment[] {
    return this._connection.appointments;
  }

  /** When the schedule last matched the server, or null. */
  get lastUpdated(): Date | null {
    return this._connection.lastUpdated;
  }

  /** A frozen snapshot of the connection, fallback, event, latency, consistency and fetch metrics. */
  get metrics(): ScheduleMetrics {
    return this._connection.metrics;
  }

  /** Fetches today's appointments now; resolves once the answer is on screen. */
  async refresh(): Promise<void> {
    await this._connection.refresh();
    await this.updateComplete;
  }

  /** Re-arms the socket now (after it gave up, or after sign-in). */
  reconnect(): void {
    this._connection.reconnect();
  }

  /**
   * Renders at most once a frame: socket changes can arrive by the thousand, and each
   * would otherwise re-render the whole list. A hidden tab has no frames; a timer stands in.
   */
  protected override async scheduleUpdate(): Promise<void> {
    await new Promise((resolve) => {
      const timer = setTimeout(resolve, 100);
      requestAnimationFrame(() => resolve(clearTimeout(timer)));
    });
    super.scheduleUpdate();
  }

  protected override willUpdate(changed: PropertyValues<this>) {
    super.willUpdate(changed);
    // Announced in the same render as the change itself (a listener would cost a second render).
    const source = this._connection.pendingSource;
    if (source && ANNOUNCED.includes(source)) {
      const count = this._connection.appointments.length;
      this.#announcement = `Schedule updated: ${count} appointment${count === 1 ? '' : 's'} today.`;
    }
  }

  protected override updated(changed: PropertyValues<this>) {
    super.updated(changed);
    if (this.getAttribute('connection-state') !== this.connectionState) {
      this.setAttribute('connection-state', this.connectionState);
    }
  }

  get #locale(): string | undefined {
    // `closest` stops at a shadow root, so a host app's shadow DOM falls back to the page's lang.
    return this.locale || this.closest('[lang]')?.getAttribute('lang') || document.documentElement.lang || undefined;
  }

  #time(iso: string): string {
    return formatTime(new Date(iso), this.#locale, this.timeZone || undefined);
  }

  #stateText(): string {
    const every = `updating every ${formatInterval(this._connection.pollInterval)}`;
    switch (this.connectionState) {
      case ConnectionState.CONNECTING:
        return 'Connecting…';
      case ConnectionState.LIVE:
        return 'Live';
      case ConnectionState.RECONNECTING:
        return `Reconnecting (attempt ${Math.max(1, this._connection.attempt)} of ${this._connection.reconnectionAttempts}) · ${every}`;
      case ConnectionState.POLLING:
        return `Live updates unavailable · ${every}`;
      case ConnectionState.OFFLINE:
        return 'Offline · showing the last known schedule';
      case ConnectionState.UNAUTHORIZED:
        return 'Sign-in required';
    }
  }

  #renderBadge() {
    const updated = this.lastUpdated;
    return html`<div part="badge" role="status" data-state=${this.connectionState}>
      <span class="state">${this.#stateText()}</span>
      ${updated ? html`<span class="updated">· Updated ${formatTime(updated, this.#locale, this.timeZone || undefined)}</span>` : nothing}
      ${this._connection.stale ? html`<span class="stale">· may be out of date</span>` : nothing}
    </div>`;
  }

  #renderAppointment(a: Appointment) {
    const status = a.status;
    const label = status && statusLabel(status);
    // Fails closed: a mistyped patient-names hides names rather than showing them in full.
    const mode = this.patientNames ?? 'full';
    const patient = !a.patientName
      ? undefined
      : mode === 'full'
        ? a.patientName
        : mode === 'initials'
          ? initials(a.patientName)
          : undefined;
    const details = [a.type, a.room && `Room ${a.room}`].filter(Boolean).join(' · ');
    return html`<li part="appointment" data-status=${status ?? nothing}>
      <time part="time" datetime=${a.start}>${this.#time(a.start)}</time>
      <span class="who">
        ${patient ? html`<span part="patient">${patient}</span>` : nothing}
        ${a.provider ? html`<span part="provider">${patient ? ' · ' : ''}${a.provider}</span>` : nothing}
      </span>
      ${details ? html`<span class="details">${details}</span>` : nothing}
      ${label ? html`<span part="status">${label}</span>` : nothing}
    </li>`;
  }

  #renderBody() {
    const connection = this._connection;
    const list = connection.appointments;
    if (connection.loading) return html`<p class="loading">Loading today's appointments…</p>`;
    if (list.length === 0) {
      return connection.error
        ? nothing
        : html`<div part="empty"><slot name="empty">No appointments today.</slot></div>`;
    }
    // Rows are reused in place (no keyed repeat): a change rewrites only the text that
    // changed, and the script-tag builds stay within their size budget.
    return html`<ol part="list" aria-labelledby="heading">
      ${list.map((a) => this.#renderAppointment(a))}
    </ol>`;
  }

  #renderMetrics() {
    // Figures by their metric names (`connection.connects`, …), as the README and support scripts name them.
    const figure = (value: unknown) => (value instanceof Date ? value.toLocaleTimeString() : String(value ?? '–'));
    return html`<details part="metrics">
      <summary>Diagnostics</summary>
      <dl>
        <dt>state</dt><dd>${this.connectionState}</dd>
        ${Object.entries(this.metrics).map(([group, figures]) =>
          Object.entries(figures as object).map(([name, value]) =>
            value && typeof value === 'object' && !(value instanceof Date)
              ? nothing
              : html`<dt>${group}.${name}</dt><dd>${figure(value)}</dd>`,
          ),
        )}
      </dl>
    </details>`;
  }

  override render() {
    const error = this._connection.error;
    const kept = this._connection.appointments.length > 0;
    return html`
      <div part="header">
        <h2 part="heading" id="heading"><slot name="heading">${this.heading}</slot></h2>
        ${this.hideBadge ? nothing : this.#renderBadge()}
      </div>
      ${error
        ? html`<p part="error">${error.message}${kept ? ' Showing the last known schedule.' : ''}</p>`
        : nothing}
      ${this.#renderBody()}
      ${this.showMetrics ? this.#renderMetrics() : nothing}
      <div class="visually-hidden" aria-live="polite">${this.#announcement}</div>
    `;
  }
}
