/**
 * The element's templates, as pure functions of what they show: no state, no I/O.
 * The element gathers a `DashboardView` and renders `dashboard(view)`.
 */

import { html, nothing, type TemplateResult } from 'lit';
import { guard } from 'lit/directives/guard.js';
import { repeat } from 'lit/directives/repeat.js';
import { APPOINTMENT_STATUSES, type Appointment } from '../data/payload.js';
import { formatInterval } from '../data/time.js';
import { ConnectionState, type ScheduleErrorDetail } from '../events.js';
import type { ScheduleMetrics } from '../metrics.js';
import {
  byProvider,
  nextId,
  nowIndex,
  rowFlow,
  summary,
  type FlowSettings,
  type RowFlow,
  type SummaryGroup,
} from './flow.js';

/** How patient names are shown: in full, as initials, or not at all. */
export type PatientNames = 'full' | 'initials' | 'hidden';

/** Everything the element shows, gathered once per render. */
export interface DashboardView {
  readonly heading: string;
  readonly state: ConnectionState;
  /** The reconnect attempt under way, and how many there are. */
  readonly attempt: number;
  readonly attempts: number;
  readonly pollInterval: number;
  readonly lastUpdated: Date | null;
  readonly stale: boolean;
  /** A load that failed while live is being retried (README, "Fallback"). */
  readonly catchingUp: boolean;
  readonly loading: boolean;
  readonly error: ScheduleErrorDetail | null;
  /** The appointments shown (after the filters). */
  readonly appointments: readonly Appointment[];
  /** How many appointments there are today, before the filters. */
  readonly total: number;
  readonly patientNames: PatientNames;
  /** The clock reading every late and waiting figure is taken at (one per render). */
  readonly now: number;
  readonly flow: FlowSettings;
  readonly layout: 'list' | 'columns';
  readonly hideSummary: boolean;
  /** When the element first saw an appointment's current status. */
  readonly seenAt: (id: string | number) => number | undefined;
  /** True while a row is highlighted as just changed. */
  readonly changed: (id: string | number) => boolean;
  readonly hideBadge: boolean;
  /** A narrow sidebar (`compact`): the badge leaves out the attempt count. */
  readonly compact: boolean;
  /** Formats a time of day in the element's locale and time zone: one function per locale and zone. */
  readonly time: (at: Date) => string;
  /** The diagnostics panel's figures, when `show-metrics` is on. */
  readonly metrics?: ScheduleMetrics;
  /** What the polite live region says about the last change. */
  readonly announcement: string;
}

/** "checked-in" → "Checked in": the known statuses in words (another string is shown as it is). */
const statusLabel = (status: string) =>
  (APPOINTMENT_STATUSES as readonly string[]).includes(status)
    ? status[0].toUpperCase() + status.slice(1).replace('-', ' ')
    : status;

/** Format characters (bidi controls, zero-width joiners…): never an initial. */
const FORMAT = /\p{Cf}/gu;
const graphemes = new Intl.Segmenter(undefined, { granularity: 'grapheme' });

/** The words of the summary's groups: "12 booked · 3 waiting · 2 in room · 8 done". */
const summaryWord = (group: SummaryGroup) => (group === 'in-room' ? 'in room' : group);

/** "Jane van Doe" → "J. V. D.": each word's first grapheme (an emoji stays whole), format characters skipped. */
export const initials = (name: string) =>
  name
    .replace(FORMAT, '')
    .split(/[\s\-‐]+/u)
    .filter(Boolean)
    .map((word) => `${graphemes.segment(word)[Symbol.iterator]().next().value?.segment.toLocaleUpperCase() ?? ''}.`)
    .join(' ');

/** The badge's words for the state (README, "Connection states"). */
export function stateText(view: Pick<DashboardView, 'state' | 'attempt' | 'attempts' | 'pollInterval' | 'compact'>): string {
  const every = `updating every ${formatInterval(view.pollInterval)}`;
  switch (view.state) {
    case ConnectionState.CONNECTING:
      return 'Connecting…';
    case ConnectionState.LIVE:
      return 'Live';
    case ConnectionState.RECONNECTING:
      return view.compact ? `Reconnecting · ${every}` : `Reconnecting (attempt ${Math.max(1, view.attempt)} of ${view.attempts}) · ${every}`;
    case ConnectionState.POLLING:
      return `Live updates unavailable · ${every}`;
    case ConnectionState.OFFLINE:
      return 'Offline · showing the last known schedule';
    case ConnectionState.UNAUTHORIZED:
      return 'Sign-in required';
  }
}

function badge(view: DashboardView): TemplateResult {
  return html`<div part="badge" role="status" data-state=${view.state}>
    <span class="state">${stateText(view)}</span>
    ${view.lastUpdated ? html`<span class="updated">· Updated ${view.time(view.lastUpdated)}</span>` : nothing}
    ${view.stale ? html`<span class="stale">· may be out of date</span>` : nothing}
    ${view.catchingUp && view.state === ConnectionState.LIVE ? html`<span class="catching-up">· catching up</span>` : nothing}
  </div>`;
}

/** How an appointment is named in the privacy mode in force (`undefined`: not at all). */
export function patientText(a: Appointment, mode: PatientNames): string | undefined {
  if (!a.patientName) return undefined;
  // Fails closed: a mistyped patient-names hides names rather than showing them in full.
  return mode === 'full' ? a.patientName : mode === 'initials' ? initials(a.patientName) : undefined;
}

function flowText(flow: RowFlow) {
  const late = flow.lateMinutes !== undefined ? html`<span part="late">Late ${flow.lateMinutes} min</span>` : nothing;
  const wait =
    flow.waitMinutes !== undefined
      ? html`<span part="wait">${flow.waitKind === 'waiting' ? 'Waiting' : 'In room'} ${flow.waitMinutes} min${flow.waitAlert ? ' · long wait' : ''}</span>`
      : nothing;
  return { late, wait };
}

/**
 * One row. A row costs nothing when none of what it shows changed: its appointment (the same
 * frozen object while unchanged), the names mode, the formatter, its flow texts and its flags;
 * so a change costs the rows it changed, and the minute tick the rows whose late or waiting
 * text moved on.
 */
function appointment(a: Appointment, view: DashboardView, next: boolean): unknown {
  const flow = rowFlow(a, view.now, view.flow, view.seenAt(a.id));
  const changed = view.changed(a.id);
  return guard([a, view.patientNames, view.time, next, changed, flow.lateMinutes, flow.waitMinutes, flow.waitKind, flow.waitAlert], () => {
    const status = a.status;
    const label = status && statusLabel(status);
    const patient = patientText(a, view.patientNames);
    const { late, wait } = flowText(flow);
    // Every text from data is isolated (<bdi>): a right-to-left or override character in one
    // field never reorders another.
    const details = [a.type && html`<bdi>${a.type}</bdi>`, a.room && html`Room <bdi>${a.room}</bdi>`].filter(Boolean);
    return html`<li
      part="appointment"
      data-status=${status ?? nothing}
      ?data-next=${next}
      ?data-late=${flow.lateMinutes !== undefined}
      ?data-wait-alert=${flow.waitAlert}
      ?data-finished=${flow.finished}
      ?data-changed=${changed}
    >
      <time part="time" datetime=${a.start}>${view.time(new Date(a.start))}</time>
      <span class="who">
        ${patient ? html`<bdi part="patient">${patient}</bdi>` : nothing}
        ${a.provider ? html`<span part="provider">${patient ? ' · ' : ''}<bdi>${a.provider}</bdi></span>` : nothing}
      </span>
      ${details.length ? html`<span class="details">${details.map((d, i) => (i ? html` · ${d}` : d))}</span>` : nothing}
      <span class="flow">${next ? html`<span class="next">Next</span>` : nothing}${late}${wait}</span>
      ${label ? html`<bdi part="status" data-status=${status}>${label}</bdi>` : nothing}
    </li>`;
  });
}

/** One keyed list (rows keep their DOM node by id), with the `now` marker between started and not. */
function list(appointments: readonly Appointment[], view: DashboardView, labelledBy: string): TemplateResult {
  const at = nowIndex(appointments, view.now);
  const next = nextId(appointments, view.now);
  const items: Array<Appointment | 'now'> = [...appointments.slice(0, at), 'now', ...appointments.slice(at)];
  return html`<ol part="list" aria-labelledby=${labelledBy}>
    ${repeat(
      items,
      (item) => (item === 'now' ? '\u0000now' : String(item.id)),
      (item) =>
        item === 'now'
          ? html`<li part="now" class="now"><span>Now · ${view.time(new Date(view.now))}</span></li>`
          : appointment(item, view, item.id === next),
    )}
  </ol>`;
}

function body(view: DashboardView): TemplateResult | typeof nothing {
  const shown = view.appointments;
  if (view.loading) return html`<p class="loading">Loading today's appointments…</p>`;
  if (shown.length === 0) {
    return view.error ? nothing : html`<div part="empty"><slot name="empty">No appointments today.</slot></div>`;
  }
  if (view.layout !== 'columns') return list(shown, view, 'heading');
  return html`<div class="columns">
    ${byProvider(shown).map(
      ({ provider, appointments }, i) => html`<section part="column" aria-labelledby="column-${i}">
        <h3 id="column-${i}"><bdi>${provider || 'No provider'}</bdi></h3>
        ${list(appointments, view, `column-${i}`)}
      </section>`,
    )}
  </div>`;
}

function counts(view: DashboardView): TemplateResult | typeof nothing {
  const groups = summary(view.appointments);
  if (view.hideSummary || view.loading || groups.length === 0) return nothing;
  return html`<p part="summary">
    ${groups.map(
      ({ key, count }, i) => html`${i ? ' · ' : ''}<span part="count" data-status=${key}>${count} ${summaryWord(key)}</span>`,
    )}
  </p>`;
}

/** Says that a filter hides some of the day, so that nobody takes the board for the whole day. */
function filtered(view: DashboardView): TemplateResult | typeof nothing {
  const hidden = view.total - view.appointments.length;
  if (hidden <= 0) return nothing;
  return html`<p part="filters">Filtered: showing ${view.appointments.length} of ${view.total} appointments</p>`;
}

function diagnostics(state: ConnectionState, metrics: ScheduleMetrics): TemplateResult {
  // Figures by their metric names (`connection.connects`, …), as the README and support scripts name them.
  const figure = (value: unknown) => (value instanceof Date ? value.toLocaleTimeString() : String(value ?? '–'));
  return html`<details part="metrics">
    <summary>Diagnostics</summary>
    <dl>
      <dt>state</dt><dd>${state}</dd>
      ${Object.entries(metrics).map(([group, figures]) =>
        Object.entries(figures as object).map(([name, value]) =>
          value && typeof value === 'object' && !(value instanceof Date)
            ? nothing
            : html`<dt>${group}.${name}</dt><dd>${figure(value)}</dd>`,
        ),
      )}
    </dl>
  </details>`;
}

/** The whole shadow tree. */
export function dashboard(view: DashboardView): TemplateResult {
  const kept = view.appointments.length > 0;
  return html`
    <div part="header">
      <h2 part="heading" id="heading"><slot name="heading">${view.heading}</slot></h2>
      ${view.hideBadge ? nothing : badge(view)}
      ${counts(view)} ${filtered(view)}
    </div>
    ${view.error
      ? html`<p part="error">${view.error.message}${kept && view.state !== ConnectionState.LIVE ? ' Showing the last known schedule.' : ''}</p>`
      : nothing}
    ${body(view)}
    ${view.metrics ? diagnostics(view.state, view.metrics) : nothing}
    <div class="visually-hidden" aria-live="polite">${view.announcement}</div>
  `;
}
