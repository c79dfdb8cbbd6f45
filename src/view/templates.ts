/**
 * The element's templates, as pure functions of what they show: no state, no I/O.
 * The element gathers a `DashboardView` and renders `dashboard(view)`.
 */

import { html, nothing, type TemplateResult } from 'lit';
import { guard } from 'lit/directives/guard.js';
import { repeat } from 'lit/directives/repeat.js';
import { APPOINTMENT_STATUSES, type Appointment } from '../data/payload.js';
import { ConnectionState, type ScheduleErrorDetail } from '../events.js';
import { errorWords } from '../i18n/error-words.js';
import type { englishTranslation, ScheduleLocalize } from '../i18n/localize.js';
import { byProvider, summary, type RowFlow, type SummaryGroup } from './flow.js';
import type { Row, RowGroup } from './row-groups.js';

/** How patient names are shown: in full, as initials, or not at all. */
export type PatientNames = 'full' | 'initials' | 'hidden';

/** Everything the element shows, gathered once per render. */
export interface DashboardView {
  /** The host's heading, else the language's. */
  readonly heading: string | undefined;
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
  readonly layout: 'list' | 'columns';
  readonly hideSummary: boolean;
  /** A list's rows in groups (`RowGroups`), each drawn again only when it may have changed; `name` tells the lists apart. */
  readonly groups: (list: readonly Appointment[], name: string) => readonly RowGroup[];
  readonly hideBadge: boolean;
  /** A narrow sidebar (`compact`): the badge leaves out the attempt count. */
  readonly compact: boolean;
  /** Formats a time of day in the element's locale and time zone: one function per locale and zone. */
  readonly time: (at: Date) => string;
  /** What the polite live region says about the last change. */
  readonly announcement: string;
  /** Every word shown, in the element's language (README, "Language"). */
  readonly i18n: ScheduleLocalize;
}

type Key = keyof typeof englishTranslation;

/** Stands for a piece of data in a translated phrase, so that the data can be isolated where the language puts it. */
const SLOT = '\u0000';

/** A translated phrase around one piece of data, the data isolated (`<bdi>`) where the phrase puts it. */
function around(phrase: (slot: string) => string, value: unknown): TemplateResult {
  const [before, after = ''] = phrase(SLOT).split(SLOT);
  return html`${before}<bdi>${value}</bdi>${after}`;
}

/** "checked-in" → "Checked in": the known statuses in words (another string is shown as it is). */
const statusLabel = (status: string, t: ScheduleLocalize) =>
  (APPOINTMENT_STATUSES as readonly string[]).includes(status) ? t.term(`status.${status}` as Key & `status.${string}`) : status;

/** Format characters (bidi controls, zero-width joiners…): never an initial. */
const FORMAT = /\p{Cf}/gu;
const graphemes = new Intl.Segmenter(undefined, { granularity: 'grapheme' });

/** One count of the summary in words: "12 booked", "3 waiting", "2 in room". */
const countText = (group: SummaryGroup, count: number, t: ScheduleLocalize) =>
  t.count(`count.${group}`, count);

/** "Jane van Doe" → "J. V. D.": each word's first grapheme (an emoji stays whole), format characters skipped. */
export const initials = (name: string) =>
  name
    .replace(FORMAT, '')
    .split(/[\s\-‐]+/u)
    .filter(Boolean)
    .map((word) => `${graphemes.segment(word)[Symbol.iterator]().next().value?.segment.toLocaleUpperCase() ?? ''}.`)
    .join(' ');

/** The badge's words for the state (README, "Connection states"). */
export function stateText(view: Pick<DashboardView, 'state' | 'attempt' | 'attempts' | 'pollInterval' | 'compact' | 'i18n'>): string {
  const t = view.i18n;
  const every = t.interval(view.pollInterval);
  switch (view.state) {
    case ConnectionState.CONNECTING:
      return t.term('connecting');
    case ConnectionState.LIVE:
      return t.term('live');
    case ConnectionState.RECONNECTING:
      return view.compact ? t.term('reconnectingShort', every) : t.term('reconnecting', t.number(Math.max(1, view.attempt)), t.number(view.attempts), every);
    case ConnectionState.POLLING:
      return t.term('polling', every);
    case ConnectionState.OFFLINE:
      return t.term('offline');
    case ConnectionState.UNAUTHORIZED:
      return t.term('unauthorized');
  }
}

function badge(view: DashboardView): TemplateResult {
  return html`<div part="badge" role="status" data-state=${view.state}>
    <span class="state">${stateText(view)}</span>
    ${view.lastUpdated ? html`<span class="updated">· ${view.i18n.term('updated', view.time(view.lastUpdated))}</span>` : nothing}
    ${view.stale ? html`<span class="stale">· ${view.i18n.term('outOfDate')}</span>` : nothing}
    ${view.catchingUp && view.state === ConnectionState.LIVE ? html`<span class="catching-up">· ${view.i18n.term('catchingUp')}</span>` : nothing}
  </div>`;
}

/** How an appointment is named in the privacy mode in force (`undefined`: not at all). */
export function patientText(a: Appointment, mode: PatientNames): string | undefined {
  if (!a.patientName) return undefined;
  // Fails closed: a mistyped patient-names hides names rather than showing them in full.
  return mode === 'full' ? a.patientName : mode === 'initials' ? initials(a.patientName) : undefined;
}

function flowText(flow: RowFlow, t: ScheduleLocalize) {
  const late = flow.lateMinutes !== undefined ? html`<span part="late">${t.term('late', t.minutes(flow.lateMinutes))}</span>` : nothing;
  const wait =
    flow.waitMinutes !== undefined
      ? html`<span part="wait">${t.term(flow.waitKind === 'waiting' ? 'waiting' : 'inRoom', t.minutes(flow.waitMinutes))}${flow.waitAlert ? ` · ${t.term('longWait')}` : ''}</span>`
      : nothing;
  return { late, wait };
}

/**
 * One row. A row costs nothing when none of what it shows changed: its appointment (the same
 * frozen object while unchanged), the names mode, the formatter, the translations, its flow
 * texts and its flags; `RowGroups` then hands over the same `Row` object. So a change costs
 * the rows it changed, and the minute tick the rows whose late or waiting text moved on.
 */
function appointment(row: Row, view: DashboardView): unknown {
  const { appointment: a, flow, next, changed } = row;
  return guard([row], () => {
    const status = a.status;
    const label = status && statusLabel(status, view.i18n);
    const patient = patientText(a, view.patientNames);
    const { late, wait } = flowText(flow, view.i18n);
    // Every text from data is isolated (<bdi>): a right-to-left or override character in one
    // field never reorders another.
    const details = [a.type && html`<bdi>${a.type}</bdi>`, a.room && around((room) => view.i18n.term('room', room), a.room)].filter(Boolean);
    return html`<div
      part="appointment"
      role="listitem"
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
      <span class="flow">${next ? html`<span class="next">${view.i18n.term('next')}</span>` : nothing}${late}${wait}</span>
      ${label ? html`<bdi part="status" data-status=${status}>${label}</bdi>` : nothing}
    </div>`;
  });
}

/**
 * One keyed list (rows keep their DOM node by id), with the `now` marker between started and
 * not. Its rows are in groups (`RowGroups`): each is skipped whole while its `version` stands,
 * and is one box that the browser skips while it is out of view (`content-visibility`), so a
 * change costs the browser about one group's rows, not the day's.
 */
function list(appointments: readonly Appointment[], view: DashboardView, labelledBy: string): TemplateResult {
  return html`<div part="list" role="list" aria-labelledby=${labelledBy}>
    ${repeat(
      view.groups(appointments, labelledBy),
      (group) => group.key,
      // Its size until first drawn: about two lines a row. Set as a property (CSSOM, which a
      // strict Content-Security-Policy allows), and not as a custom property every row would inherit.
      (group) =>
        html`<div class="rows" role="none" .style=${`contain-intrinsic-size:auto ${group.items.length * 3.5}em` as unknown as CSSStyleDeclaration}>
          ${guard([group.version], () =>
            repeat(
              group.items,
              (item) => (item === 'now' ? '\u0000now' : String(item.appointment.id)),
              (item) =>
                item === 'now'
                  ? html`<div part="now" role="listitem" class="now"><span>${view.i18n.term('now', view.time(new Date(view.now)))}</span></div>`
                  : appointment(item, view),
            ),
          )}
        </div>`,
    )}
  </div>`;
}

function body(view: DashboardView): TemplateResult | typeof nothing {
  const shown = view.appointments;
  if (view.loading) return html`<p class="loading">${view.i18n.term('loading')}</p>`;
  if (shown.length === 0) {
    return view.error ? nothing : html`<div part="empty"><slot name="empty">${view.i18n.term('empty')}</slot></div>`;
  }
  if (view.layout !== 'columns') return list(shown, view, 'heading');
  return html`<div class="columns">
    ${byProvider(shown).map(
      ({ provider, appointments }, i) => html`<section part="column" aria-labelledby="column-${i}">
        <h3 id="column-${i}">${provider ? html`<bdi>${provider}</bdi>` : view.i18n.term('noProvider')}</h3>
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
      ({ key, count }, i) => html`${i ? ' · ' : ''}<span part="count" data-status=${key}>${countText(key, count, view.i18n)}</span>`,
    )}
  </p>`;
}

/** Says that a filter hides some of the day, so that nobody takes the board for the whole day. */
function filtered(view: DashboardView): TemplateResult | typeof nothing {
  const hidden = view.total - view.appointments.length;
  if (hidden <= 0) return nothing;
  const t = view.i18n;
  return html`<p part="filters">${t.term('filtered', t.number(view.appointments.length), t.number(view.total))}</p>`;
}

/** The whole shadow tree. */
export function dashboard(view: DashboardView): TemplateResult {
  const kept = view.appointments.length > 0;
  const t = view.i18n;
  // The language's direction (lang="ar" mirrors the layout; the styles use logical properties).
  return html`<div class="board" dir=${t.dir()} lang=${t.lang()}>
    <div part="header">
      <h2 part="heading" id="heading"><slot name="heading">${view.heading || t.term('heading')}</slot></h2>
      ${view.hideBadge ? nothing : badge(view)}
      ${counts(view)} ${filtered(view)}
    </div>
    ${view.error
      ? html`<p part="error">${errorWords(view.error, (key, ...args) => t.term(key, ...(args as [])))}${kept && view.state !== ConnectionState.LIVE ? ` ${t.term('lastKnown')}` : ''}</p>`
      : nothing}
    ${body(view)}
    <div class="visually-hidden" aria-live="polite">${view.announcement}</div>
  </div>`;
}
