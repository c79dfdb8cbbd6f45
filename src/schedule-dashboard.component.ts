import { LitElement, type PropertyValues } from 'lit';
import { DEFAULTS, type AuthToken, type ScheduleConnectionConfig } from './config.js';
import type { Appointment } from './data/payload.js';
import type { FetchAppointments } from './data/rest.js';
import { formatTime, localeOf } from './data/time.js';
import type { ConnectionState } from './events.js';
import type { LogLevel, LogSink } from './logging.js';
import type { ScheduleMetrics } from './metrics.js';
import { ScheduleLocalize } from './i18n/localize.js';
import { ScheduleConnectionController } from './schedule-connection-controller.js';
import { adoptStylesIn, styles } from './schedule-dashboard.styles.js';
import { BoardController } from './view/board-controller.js';
import { nextFrame } from './view/frame.js';
import { ShownState } from './view/shown-state.js';
import { dashboard, patientText, type PatientNames } from './view/templates.js';
import { dashboardView } from './view/view-model.js';

export type { PatientNames } from './view/templates.js';

/**
 * Today's appointments of a medical or dental practice, live over Socket.IO, with REST
 * polling whenever the socket is down and a status badge that says which is happening.
 *
 * @summary Live view of today's appointments, with REST fallback and a connection badge.
 *
 * @attr connection-state - Read only: the current connection state, for CSS.
 *
 * @cssstate connecting - The first connection is under way (`:state(connecting)`).
 * @cssstate live - The socket is connected.
 * @cssstate reconnecting - The socket was lost; Socket.IO retries while REST polls.
 * @cssstate polling - Socket.IO gave up; REST polls.
 * @cssstate offline - The browser is offline.
 * @cssstate unauthorized - The server refused the credentials.
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
 * @csspart summary - The counts per status for what is shown ("12 booked · 3 waiting · …").
 * @csspart count - One count of the summary; `data-status` names its group (`booked`, `waiting`, `in-room`, `done`, …).
 * @csspart filters - "Filtered: showing 12 of 40 appointments", while a filter hides some of the day.
 * @csspart now - The marker between the appointments that have started and those that have not.
 * @csspart late - "Late 12 min": not arrived, more than `late-after` minutes after the start.
 * @csspart wait - "Waiting 14 min" (checked in) or "In room 20 min"; flagged past `wait-alert` (`data-wait-alert` on the row).
 * @csspart column - One provider's column (`layout="columns"`), headed by the provider.
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
 * @cssprop --schedule-dashboard-alert-color - Late and long-wait text, and the now marker.
 * @cssprop --schedule-dashboard-status-scheduled-color - The colour of "Scheduled" (default #3e4c59).
 * @cssprop --schedule-dashboard-status-confirmed-color - The colour of "Confirmed" (default #1d4ed8).
 * @cssprop --schedule-dashboard-status-checked-in-color - The colour of "Checked in" (default #9a3412).
 * @cssprop --schedule-dashboard-status-in-room-color - The colour of "In room" (default #6d28d9).
 * @cssprop --schedule-dashboard-status-completed-color - The colour of "Completed" (default #166534).
 * @cssprop --schedule-dashboard-status-cancelled-color - The colour of "Cancelled" (default #4b4b4b).
 * @cssprop --schedule-dashboard-status-no-show-color - The colour of "No show" (default #a61b1b).
 */
export class ScheduleDashboard extends LitElement implements ScheduleConnectionConfig {
  static override styles = styles;

  // Declared without decorators: Lit's decorators cost about 0.4 KB of the script-tag
  // builds' 34 KB budget. Each property's JSDoc is below, on its field.
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
    // The global attribute, watched: a new `lang` on the element re-renders it in that language.
    lang: { reflect: true },
    heading: { reflect: true },
    patientNames: { attribute: 'patient-names', reflect: true },
    withCredentials: { attribute: 'with-credentials', type: Boolean, reflect: true },
    hideBadge: { attribute: 'hide-badge', type: Boolean, reflect: true },
    compact: { type: Boolean, reflect: true },
    logLevel: { attribute: 'log-level', reflect: true },
    providers: { reflect: true },
    rooms: { reflect: true },
    statuses: { reflect: true },
    lateAfter: { attribute: 'late-after', type: Number, reflect: true },
    waitAlert: { attribute: 'wait-alert', type: Number, reflect: true },
    layout: { reflect: true },
    kiosk: { type: Boolean, reflect: true },
    hideSummary: { attribute: 'hide-summary', type: Boolean, reflect: true },
    filter: { attribute: false },
    authToken: { attribute: false },
    fetchAppointments: { attribute: false },
    logger: { attribute: false },
  };

  /** Socket.IO server origin; defaults to the page's origin. Relative `appointments-url`s resolve against it. */
  serverUrl?: string;

  /** Socket.IO namespace. */
  namespace = DEFAULTS.namespace;

  /** Engine.IO path. */
  socketPath = DEFAULTS.socketPath;

  /** Space-separated transports; `websocket polling` allows long-polling behind proxies. */
  transports = DEFAULTS.transports;

  /** The server's update event. */
  eventName = DEFAULTS.eventName;

  /** REST endpoint for today's appointments; `{date}` becomes today's date (YYYY-MM-DD in `time-zone`). */
  appointmentsUrl = DEFAULTS.appointmentsUrl;

  /** Milliseconds between fallback fetches while the socket is down. */
  pollInterval = DEFAULTS.pollInterval;

  /** Socket.IO reconnection attempts before giving up on the socket (polling goes on). */
  reconnectionAttempts = DEFAULTS.reconnectionAttempts;

  /** Milliseconds before the first reconnection attempt. */
  reconnectionDelay = DEFAULTS.reconnectionDelay;

  /** Maximum milliseconds between reconnection attempts. */
  reconnectionDelayMax = DEFAULTS.reconnectionDelayMax;

  /** Milliseconds before a REST fetch is aborted. */
  requestTimeout = DEFAULTS.requestTimeout;

  /** IANA time zone that defines "today" and formats times; defaults to the browser's. */
  timeZone?: string;

  /** Locale for times; defaults to the page's `lang`, else the browser's. */
  locale?: string;

  /** Heading text; by default the language's "Today's appointments". */
  heading?: string;

  /** `full`, `initials` or `hidden`: privacy for screens others can see. */
  patientNames: PatientNames = DEFAULTS.patientNames;

  /** Send cookies cross-origin on REST and on the socket. */
  withCredentials = DEFAULTS.withCredentials;

  /** Hide the status badge. */
  hideBadge = false;

  /** One line per appointment, for narrow sidebars. */
  compact = false;

  /** `silent`, `error`, `warn`, `info` or `debug`: which log records are written. */
  logLevel: LogLevel = DEFAULTS.logLevel;

  /** Only these providers' appointments (separated by commas or newlines); all when unset. */
  providers?: string;

  /** Only these rooms (separated by commas or newlines); all when unset. */
  rooms?: string;

  /** Only these statuses (separated by commas or newlines); all when unset. */
  statuses?: string;

  /** Minutes after start before a patient who has not arrived is shown as late (0 – 240). */
  lateAfter = DEFAULTS.lateAfter;

  /** Minutes of waiting (checked in, not yet in a room) before the wait is flagged (0 – 240). */
  waitAlert = DEFAULTS.waitAlert;

  /** `list`, or `columns`: one column per provider, for wall screens (a list below 40em). */
  layout: 'list' | 'columns' = DEFAULTS.layout;

  /** Wall-screen mode: larger type, keeps "now" in view. */
  kiosk = false;

  /** No counts line. */
  hideSummary = false;

  /** Only the appointments for which this returns true (with the filter attributes). Property only. */
  filter?: (appointment: Appointment) => boolean;

  /** Bearer token (or a function returning one, or a Promise of one) for the handshake and REST. Property only. */
  authToken?: AuthToken;

  /** Loads today's appointments instead of `appointments-url`. Property only. */
  fetchAppointments?: FetchAppointments;

  /** Receives structured log records instead of the console. Property only. */
  logger?: LogSink;

  /** What the polite live region says about the last change. */
  #announcement = '';

  readonly #connection = new ScheduleConnectionController(this);
  readonly #board = new BoardController(this);

  /** `connection-state="live"` and `:state(live)` on the host, for CSS. */
  readonly #shown = new ShownState(this);

  /** Every word shown, in the language of the nearest `lang` (README, "Language"). */
  readonly #i18n = new ScheduleLocalize(this, (lang) => this.#connection.log.warn('language.unavailable', { lang }));

  /** The connection state: `connecting`, `live`, `reconnecting`, `polling`, `offline` or `unauthorized`. */
  get connectionState(): ConnectionState {
    return this.#connection.state;
  }

  /** Today's appointments, sorted by start, frozen. */
  get appointments(): readonly Appointment[] {
    return this.#connection.appointments;
  }

  /** When the schedule last matched the server, or null. */
  get lastUpdated(): Date | null {
    return this.#connection.lastUpdated;
  }

  /** A frozen snapshot of the connection, fallback, event, latency, consistency and fetch metrics. */
  get metrics(): ScheduleMetrics {
    return this.#connection.metrics;
  }

  /** Fetches today's appointments now; resolves once the answer is on screen. */
  async refresh(): Promise<void> {
    await this.#connection.refresh();
    await this.updateComplete;
  }

  /** Re-arms the socket now (after it gave up, or after sign-in). */
  reconnect(): void {
    this.#connection.reconnect();
  }

  /** At most one render a frame (`nextFrame`); the first update, which starts loading, at once. */
  protected override async scheduleUpdate(): Promise<void> {
    if (this.hasUpdated) await nextFrame();
    super.scheduleUpdate();
  }

  protected override willUpdate(changed: PropertyValues<this>) {
    super.willUpdate(changed);
    this.#connection.configure(changed.keys());
    // Announced in the same render as the change itself (a listener would cost a second render),
    // saying what changed in the privacy mode in force.
    const source = this.#connection.pendingSource;
    if (source) {
      const changes = this.#board.observe(this.#connection.appointments, source === 'initial');
      const time = (iso: string) => formatTime(new Date(iso), localeOf(this), this.#connection.config.timeZone);
      const who = (a: Appointment) => patientText(a, this.patientNames) ?? this.#i18n.term('appointmentAt', time(a.start));
      this.#announcement = this.#board.announce(changes, who, this.#i18n) ?? this.#announcement;
    }
  }

  protected override updated(changed: PropertyValues<this>) {
    super.updated(changed);
    if (changed.has('kiosk')) this.#board.kiosk(this.kiosk);
    // Narrow (below 40em), a row puts its status under the name; a compact sidebar keeps it beside.
    // Before the kiosk scrolls: rows that grow after it would move "now" out of view.
    this.#shown.show(this.connectionState, { narrow: this.#board.narrow && !this.compact });
    if (this.kiosk) this.#board.keepInView(this.renderRoot.querySelector('[part="now"]'));
  }

  /** Styles follow the element into another document (README, "Look"). */
  override connectedCallback() {
    super.connectedCallback();
    adoptStylesIn(this.renderRoot as ShadowRoot);
  }

  override render() {
    return dashboard(dashboardView(this, this.#connection, this.#board, localeOf(this), this.#announcement, this.#i18n));
  }
}
