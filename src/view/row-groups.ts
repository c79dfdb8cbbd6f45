/**
 * The list's rows in groups, so that a render walks the groups that may have changed and
 * not every row (README, "Performance"): a change costs what changed, not the length of the
 * day. A group is the appointments that start in one quarter hour (a day of 1,000 has about
 * fifty groups of twenty). It is drawn again only when
 * - one of its appointments is not the same object as before (appointments are frozen and
 *   keep their object while unchanged), or one came or went;
 * - the `now` marker or "next" moved into, out of or within it;
 * - something every row shows changed (names mode, formatter, translations, flow settings);
 * - its clock ran out: the first moment at which a late or waiting figure, a highlight or
 *   the marker's time would read differently.
 * Within a group drawn again, a row whose texts and flags are unchanged keeps its `Row`
 * object and skips its template (`appointment` in templates.ts).
 */

import type { Appointment } from '../data/payload.js';
import { nextIndex, nowIndex, rowFlow, startMs, type FlowSettings, type RowFlow } from './flow.js';

const QUARTER_HOUR = 15 * 60 * 1000;
const MINUTE = 60 * 1000;

/** One row as drawn: its appointment, what the flow board says of it, and its flags. */
export interface Row {
  readonly appointment: Appointment;
  readonly flow: RowFlow;
  readonly next: boolean;
  /** Highlighted as just changed. */
  readonly changed: boolean;
}

/** One group as drawn; its `version` moves on whenever it must be drawn again. */
export interface RowGroup {
  readonly key: number;
  readonly version: number;
  /** Its rows, with the `now` marker where it falls. */
  readonly items: ReadonlyArray<Row | 'now'>;
}

/** What the rows are drawn with, besides their appointments. */
export interface RowInput {
  readonly now: number;
  readonly flow: FlowSettings;
  /** Everything else every row shows (names mode, formatter, translations): another value draws every row again. */
  readonly shared: readonly unknown[];
  /** When the element first saw an appointment's current status. */
  readonly seenAt: (id: string | number) => number | undefined;
  /** When a row's "just changed" highlight ends, if it has one. */
  readonly highlightEnds: (id: string | number) => number | undefined;
}

/** What a group or a row was drawn with, and when it reads the same: from the clock reading it was drawn at until `until`. */
interface Drawn {
  readonly shared: number;
  readonly from: number;
  readonly until: number;
}

/** Still reads the same at `now` (a clock set back, by hand or by NTP, draws it again). */
const holds = (drawn: Drawn, now: number, shared: number) => drawn.shared === shared && drawn.from <= now && now < drawn.until;

/** A group as last drawn, and what it was drawn from. */
interface Held extends RowGroup, Drawn {
  readonly appointments: readonly Appointment[];
  readonly marker: number;
  readonly next: number;
}

const same = (a: readonly unknown[], b: readonly unknown[]) => a.length === b.length && a.every((value, i) => value === b[i]);

export class RowGroups {
  /** List name → quarter hour → the group as last drawn. */
  #held = new Map<string, Map<number, Held>>();
  #shared: readonly unknown[] = [];
  /** Moves on when `shared` changes. */
  #sharedVersion = 0;
  #version = 0;
  /** Each appointment's row as last drawn (frozen appointments keep their object while unchanged). */
  #rows = new WeakMap<Appointment, Row & Drawn>();

  /** `list` (sorted by start) in groups, with the `now` marker, for the list called `name`. */
  groups(name: string, list: readonly Appointment[], input: RowInput): RowGroup[] {
    const { now } = input;
    if (!same(input.shared, this.#shared)) {
      this.#shared = input.shared;
      this.#sharedVersion += 1;
    }
    const at = nowIndex(list, now);
    const next = nextIndex(list, now);
    const held = this.#held.get(name);
    const kept = new Map<number, Held>();
    for (let from = 0; from < list.length; ) {
      const key = Math.floor(startMs(list[from]) / QUARTER_HOUR);
      let to = from + 1;
      while (to < list.length && Math.floor(startMs(list[to]) / QUARTER_HOUR) === key) to += 1;
      const appointments = list.slice(from, to);
      // The marker sits before the first appointment not started, or after the last of the day.
      const marker = at >= from && (at < to || to === list.length) ? at - from : -1;
      const nextAt = next >= from && next < to ? next - from : -1;
      const before = held?.get(key);
      const keep =
        before &&
        holds(before, now, this.#sharedVersion) &&
        before.marker === marker &&
        before.next === nextAt &&
        same(before.appointments, appointments);
      kept.set(key, keep ? before : this.#draw(key, appointments, marker, nextAt, input));
      from = to;
    }
    this.#held.set(name, kept);
    return [...kept.values()];
  }

  #draw(key: number, appointments: readonly Appointment[], marker: number, next: number, input: RowInput): Held {
    const { now } = input;
    // The marker shows the time: drawn again at the next minute.
    let until = marker < 0 ? Infinity : (Math.floor(now / MINUTE) + 1) * MINUTE;
    const items: Array<Row | 'now'> = appointments.map((appointment, i) => {
      const ends = input.highlightEnds(appointment.id) ?? -Infinity;
      const changed = now < ends;
      // A row that reads as it did keeps its object, which is all its template checks.
      let row = this.#rows.get(appointment);
      if (!row || !holds(row, now, this.#sharedVersion) || row.next !== (i === next) || row.changed !== changed) {
        const flow = rowFlow(appointment, now, input.flow, input.seenAt(appointment.id));
        row = { appointment, flow, next: i === next, changed, shared: this.#sharedVersion, from: now, until: Math.min(flow.until, changed ? ends : Infinity) };
        this.#rows.set(appointment, row);
      }
      until = Math.min(until, row.until);
      return row;
    });
    if (marker >= 0) items.splice(marker, 0, 'now');
    return { key, version: ++this.#version, items, appointments, marker, next, shared: this.#sharedVersion, from: now, until };
  }
}
