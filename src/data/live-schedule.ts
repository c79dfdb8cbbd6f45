/**
 * The merge policy: what the socket and REST may change in the schedule on screen, and
 * in which order (README, "Payloads").
 *
 * - A payload whose `date` is not today is ignored; so is a change that would book an
 *   appointment on another day (one moved there leaves today's list).
 * - A socket snapshot older (`version`) than the one held is ignored; versions order
 *   snapshots within one socket connection only (a restarted backend counts from 1
 *   again), so the version held is forgotten on every reconnect. A change older
 *   (`updatedAt`) than the appointment held is ignored.
 * - REST is the server of record: its answer is never ignored for its version alone. It
 *   is older than every socket change applied while it was under way: those changes are
 *   replayed onto it. A socket snapshot with a higher version (or without versions to
 *   compare) that arrived meanwhile makes the answer moot.
 */

import type { Appointment, ParsedPayload } from './payload.js';
import { Schedule, type ScheduleDiff } from './schedule.js';
import { dayKey } from './time.js';

type Snapshot = Extract<ParsedPayload, { kind: 'snapshot' }>;
type Change = Extract<ParsedPayload, { kind: 'change' }>;

/** Why data was not applied; fixed words, safe for logs. */
export type IgnoredReason = 'other-day' | 'older-version' | 'out-of-order' | 'superseded';

export type Outcome =
  | { readonly applied: true; readonly changed: boolean }
  | { readonly applied: false; readonly reason: IgnoredReason };

const ignored = (reason: IgnoredReason): Outcome => ({ applied: false, reason });

/** Today's schedule as the element holds it, with the rules that guard it. */
export class LiveSchedule {
  #schedule = new Schedule();
  #loaded = false;
  /**
   * Socket changes applied while a REST load is under way, replayed onto its (older)
   * answer; `superseded` once a socket snapshot arrived meanwhile.
   */
  #replay: Change[] | { readonly superseded: number | undefined } = [];

  /** The appointments sorted by start, frozen. */
  get appointments(): readonly Appointment[] {
    return this.#schedule.appointments;
  }

  /** True once a first schedule (from either side) has been taken. */
  get loaded(): boolean {
    return this.#loaded;
  }

  /** A REST load starts: changes from now on are newer than its answer. */
  loadStarted(): void {
    this.#replay = [];
  }

  /** The socket (re)connected: versions from the old connection no longer order anything. */
  connected(): void {
    this.#schedule.forgetVersion();
  }

  /** A new day: forget everything. */
  clear(): void {
    this.#schedule.clear();
    this.#loaded = false;
  }

  /**
   * Applies a socket snapshot or change. `today` and `timeZone` decide what is today's;
   * `loading` says a REST load is under way (its answer will be older than this).
   */
  socket(parsed: Snapshot | Change, today: string, timeZone: string | undefined, loading: boolean): Outcome {
    if (parsed.date !== undefined && parsed.date !== today) return ignored('other-day');
    if (parsed.kind === 'snapshot') {
      if (this.#schedule.isOlder(parsed.version)) return ignored('older-version');
      const changed = this.#schedule.replace(parsed.appointments, parsed.version) || !this.#loaded;
      this.#loaded = true;
      if (loading) this.#replay = { superseded: parsed.version };
      return { applied: true, changed };
    }
    const { appointment } = parsed;
    // An appointment moved to (or booked on) another day is not today's: it leaves the list.
    const elsewhere = appointment !== undefined && dayKey(new Date(appointment.start), timeZone) !== today;
    const change = elsewhere ? { ...parsed, action: 'deleted' as const } : parsed;
    const result = this.#schedule.apply(change);
    if (elsewhere && result !== 'applied') return ignored('other-day');
    if (result === 'ignored') return ignored('out-of-order');
    if (loading && Array.isArray(this.#replay)) this.#replay.push(change);
    return { applied: true, changed: result === 'applied' };
  }

  /**
   * Applies a REST answer (a snapshot for today). `compare` receives the difference
   * between what was shown and what the server has, before it is replaced.
   */
  rest(parsed: Snapshot, compare?: (diff: ScheduleDiff) => void): Outcome {
    const replay = this.#replay;
    this.#replay = [];
    if (!Array.isArray(replay)) {
      // A socket snapshot arrived after this request left: newer, unless versions say otherwise.
      const { superseded } = replay;
      if (superseded === undefined || parsed.version === undefined || superseded > parsed.version) return ignored('superseded');
      return this.rest(parsed, compare);
    }
    let server = parsed.appointments;
    if (replay.length) {
      const merged = new Schedule();
      merged.replace(server);
      for (const change of replay) merged.apply(change);
      server = merged.appointments;
    }
    compare?.(this.#schedule.diff(server));
    const changed = this.#schedule.replace(server, parsed.version) || !this.#loaded;
    this.#loaded = true;
    return { applied: true, changed };
  }

  /** Compares what is shown with `server`. */
  diff(server: readonly Appointment[]): ScheduleDiff {
    return this.#schedule.diff(server);
  }
}
