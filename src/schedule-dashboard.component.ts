import { LitElement, html, nothing, type PropertyValues } from 'lit';
import { property, state } from 'lit/decorators.js';
import { repeat } from 'lit/directives/repeat.js';
import { ConnectionState, type UpdateSource } from './events.js';
import type { LogLevel, LogSink } from './logging.js';
import type { ScheduleMetrics } from './metrics.js';
import type { Appointment, KnownAppointmentStatus } from './payload.js';
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

const STATUS_LABELS: Record<KnownAppointmentStatus, string> = {
  scheduled: 'Scheduled',
  confirmed: 'Confirmed',
  'checked-in': 'Checked in',
  'in-room': 'In room',
  completed: 'Completed',
  cancelled: 'Cancelled',
  'no-show': 'No-show',
};

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
 * @cssprop --schedule-dashboard-font-size - Base font size.
 * @cssprop --schedule-dashboard-color - Text colour.
 * @cssprop --schedule-dashboard-background - Background.
 * @cssprop --schedule-dashboard-border - Border.
 * @cssprop --schedule-dashboard-radius - Corner radius.
 * @cssprop --schedule-dashboard-padding - Padding.
 * @cssprop --schedule-dashboard-heading-size - Heading font size.
 * @cssprop --schedule-dashboard-live-color - Badge colour when live.
 * @cssprop --schedule-dashboard-warning-color - Badge colour while reconnecting, polling or offline.
 * @cssprop --schedule-dashboard-error-color - Badge and error colour when something is wrong.
 * @cssprop --schedule-dashboard-muted-color - Secondary text colour.
 * @cssprop --schedule-dashboard-divider-color - Line between appointments.
 * @cssprop --schedule-dashboard-status-background - Status label background.
 * @cssprop --schedule-dashboard-active-background - Status label background for checked-in and in-room.
 */
export class ScheduleDashboard extends LitElement implements ScheduleConnectionConfig {
  static override styles = styles;

  /** Socket.IO server origin; defaults to the page's origin. Relative `appointments-url`s resolve against it. */
  @property({ attribute: 'server-url', reflect: true }) serverUrl?: string;

  /** Socket.IO namespace. */
  @property({ reflect: true }) namespace = '/appointments';

  /** Engine.IO path. */
  @property({ attribute: 'socket-path', reflect: true }) socketPath = '/socket.io';

  /** Space-separated transports; `websocket polling` allows long-polling behind proxies. */
  @property({ reflect: true }) transports = 'websocket';

  /** The server's update event. */
  @property({ attribute: 'event-name', reflect: true }) eventName = 'dashboard_schedule_updated';

  /** REST endpoint for today's appointments; `{date}` becomes today's date (YYYY-MM-DD in `time-zone`). */
  @property({ attribute: 'appointments-url', reflect: true }) appointmentsUrl = '/api/appointments/today';

  /** Milliseconds between fallback fetches while the socket is down. */
  @property({ attribute: 'poll-interval', type: Number, reflect: true }) pollInterval = 30000;

  /** Socket.IO reconnection attempts before giving up on the socket (polling goes on). */
  @property({ attribute: 'reconnection-attempts', type: Number, reflect: true }) reconnectionAttempts = 60;

  /** Milliseconds before the first reconnection attempt. */
  @property({ attribute: 'reconnection-delay', type: Number, reflect: true }) reconnectionDelay = 1000;

  /** Maximum milliseconds between reconnection attempts. */
  @property({ attribute: 'reconnection-delay-max', type: Number, reflect: true }) reconnectionDelayMax = 5000;

  /** Milliseconds before a REST fetch is aborted. */
  @property({ attribute: 'request-timeout', type: Number, reflect: true }) requestTimeout = 10000;

  /** IANA time zone that defines "today" and formats times; defaults to the browser's. */
  @property({ attribute: 'time-zone', reflect: true }) timeZone?: string;

  /** Locale for times; defaults to the page's `lang`, else the browser's. */
  @property({ reflect: true }) locale?: string;

  /** Heading text. */
  @property({ reflect: true }) heading = "Today's appointments";

  /** `full`, `initials` or `hidden`: privacy for screens others can see. */
  @property({ attribute: 'patient-names', reflect: true }) patientNames: PatientNames = 'full';

  /** Send cookies cross-origin on REST and on the socket. */
  @property({ attribute: 'with-credentials', type: Boolean, reflect: true }) withCredentials = false;

  /** Hide the status badge. */
  @property({ attribute: 'hide-badge', type: Boolean, reflect: true }) hideBadge = false;

  /** One line per appointment, for narrow sidebars. */
  @property({ type: Boolean, reflect: true }) compact = false;

  /** Show a diagnostics panel (a `<details>` under the list) with the main metrics, for support staff. */
  @property({ attribute: 'show-metrics', type: Boolean, reflect: true }) showMetrics = false;

  /** `silent`, `error`, `warn`, `info` or `debug`: which log records are written. */
  @property({ attribute: 'log-level', reflect: true }) logLevel: LogLevel = 'warn';

  /** Bearer token (or a function returning one, or a Promise of one) for the handshake and REST. Property only. */
  @property({ attribute: false }) authToken?: AuthToken;

  /** Loads today's appointments instead of `appointments-url`. Property only. */
  @property({ attribute: false }) fetchAppointments?: FetchAppointments;

  /** Receives structured log records instead of the console. Property only. */
  @property({ attribute: false }) logger?: LogSink;

  /** What the polite live region says about the last change. */
  @state() private _announcement = '';

  private readonly _connection = new ScheduleConnectionController(this);

  constructor() {
    super();
    this.addEventListener('schedule-updated', (event) => {
      const { appointments, source } = event.detail;
      if (ANNOUNCED.includes(source)) {
        this._announcement = `Schedule updated: ${appointments.length} appointment${appointments.length === 1 ? '' : 's'} today.`;
      }
    });
  }

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

  /** Fetches today's appointments now. */
  refresh(): Promise<void> {
    return this._connection.refresh();
  }

  /** Re-arms the socket now (after it gave up, or after sign-in). */
  reconnect(): void {
    this._connection.reconnect();
  }

  protected override updated(changed: PropertyValues<this>) {
    super.updated(changed);
    if (this.getAttribute('connection-state') !== this.connectionState) {
      this.setAttribute('connection-state', this.connectionState);
    }
  }

  private get _locale(): string | undefined {
    return this.locale || this.closest('[lang]')?.getAttribute('lang') || undefined;
  }

  private _time(iso: string): string {
    return formatTime(new Date(iso), this._locale, this.timeZone || undefined);
  }

  private _stateText(): string {
    const every = `updating every ${formatInterval(this.pollInterval)}`;
    switch (this.connectionState) {
      case ConnectionState.CONNECTING:
        return 'Connecting…';
      case ConnectionState.LIVE:
        return 'Live';
      case ConnectionState.RECONNECTING:
        return `Reconnecting (attempt ${Math.max(1, this._connection.attempt)} of ${this.reconnectionAttempts}) · ${every}`;
      case ConnectionState.POLLING:
        return `Live updates unavailable · ${every}`;
      case ConnectionState.OFFLINE:
        return 'Offline · showing the last known schedule';
      case ConnectionState.UNAUTHORIZED:
        return 'Sign-in required';
    }
  }

  private _renderBadge() {
    const updated = this.lastUpdated;
    return html`<div part="badge" role="status" data-state=${this.connectionState}>
      <span class="dot" aria-hidden="true"></span>
      <span class="state">${this._stateText()}</span>
      ${updated ? html`<span class="updated">· Updated ${formatTime(updated, this._locale, this.timeZone || undefined)}</span>` : nothing}
      ${this._connection.stale ? html`<span class="stale">· may be out of date</span>` : nothing}
    </div>`;
  }

  private _renderAppointment(a: Appointment) {
    const status = a.status;
    const label = status ? (STATUS_LABELS[status as KnownAppointmentStatus] ?? status) : undefined;
    const patient =
      this.patientNames === 'hidden' || !a.patientName
        ? undefined
        : this.patientNames === 'initials'
          ? initials(a.patientName)
          : a.patientName;
    const details = [a.type, a.room && `Room ${a.room}`].filter(Boolean).join(' · ');
    return html`<li part="appointment" data-status=${status ?? nothing}>
      <time part="time" datetime=${a.start}>${this._time(a.start)}</time>
      <span class="who">
        ${patient ? html`<span part="patient">${patient}</span>` : nothing}
        ${a.provider ? html`<span part="provider">${patient ? ' · ' : ''}${a.provider}</span>` : nothing}
      </span>
      ${details ? html`<span class="details">${details}</span>` : nothing}
      ${label ? html`<span part="status">${label}</span>` : nothing}
    </li>`;
  }

  private _renderBody() {
    const connection = this._connection;
    const list = connection.appointments;
    if (connection.loading) return html`<p class="loading">Loading today's appointments…</p>`;
    if (list.length === 0) {
      return connection.error
        ? nothing
        : html`<div part="empty"><slot name="empty">No appointments today.</slot></div>`;
    }
    return html`<ol part="list" aria-labelledby="heading">
      ${repeat(
        list,
        (a) => String(a.id),
        (a) => this._renderAppointment(a),
      )}
    </ol>`;
  }

  private _renderMetrics() {
    const m = this.metrics;
    const ms = (value: number | null) => (value === null ? '–' : `${Math.round(value)} ms`);
    const rows: Array<[string, string]> = [
      ['State', this.connectionState],
      ['Connects / disconnects', `${m.connection.connects} / ${m.connection.disconnects}`],
      ['Last disconnect', m.connection.lastDisconnectReason ?? '–'],
      ['Reconnect attempts', `${m.connection.reconnectAttempts} (succeeded ${m.connection.successfulReconnects}, gave up ${m.connection.reconnectFailures})`],
      ['Fallback', `${m.fallback.activations} times, ${m.fallback.polls} polls, ${m.fallback.pollErrors} failed, ${Math.round(m.fallback.totalMs / 1000)} s in all`],
      ['First fallback fetch', ms(m.fallback.lastFirstFetchMs)],
      ['Events', `${m.events.received} received, ${m.events.applied} applied, ${m.events.ignored} ignored, ${m.events.invalid} invalid`],
      ['Update latency', `p50 ${ms(m.latency.p50Ms)}, p95 ${ms(m.latency.p95Ms)} (${m.latency.samples})`],
      ['Server → screen', `p50 ${ms(m.latency.emitted.p50Ms)}, p95 ${ms(m.latency.emitted.p95Ms)} (${m.latency.emitted.samples})`],
      ['Consistency', `${m.consistency.checks} checks, ${m.consistency.mismatches} mismatches`],
      ['Fetches', `${m.fetch.requests} requests, ${m.fetch.errors} failed, ${m.fetch.notModified} unchanged, last ${ms(m.fetch.lastDurationMs)}`],
    ];
    return html`<details part="metrics">
      <summary>Diagnostics</summary>
      <dl>${rows.map(([term, value]) => html`<dt>${term}</dt><dd>${value}</dd>`)}</dl>
    </details>`;
  }

  override render() {
    const error = this._connection.error;
    const kept = this._connection.appointments.length > 0;
    return html`
      <div part="header">
        <h2 part="heading" id="heading"><slot name="heading">${this.heading}</slot></h2>
        ${this.hideBadge ? nothing : this._renderBadge()}
      </div>
      ${error
        ? html`<p part="error">${error.message}${kept ? ' Showing the last known schedule.' : ''}</p>`
        : nothing}
      ${this._renderBody()}
      ${this.showMetrics ? this._renderMetrics() : nothing}
      <div class="visually-hidden" aria-live="polite">${this._announcement}</div>
    `;
  }
}
