import type { Appointment, ParsedPayload } from './payload.js';

type Change = Extract<ParsedPayload, { kind: 'change' }>;

/** Counts of a comparison between what is shown and what the server has. */
export interface ScheduleDiff {
  /** On the server, not shown. */
  readonly missing: number;
  /** Shown, gone from the server. */
  readonly extra: number;
  /** On both, with different contents. */
  readonly changed: number;
}

const FIELDS = ['start', 'end', 'patientName', 'provider', 'room', 'type', 'status', 'updatedAt', 'arrivedAt', 'statusChangedAt'] as const;

const sameAppointment = (a: Appointment, b: Appointment) =>
  String(a.id) === String(b.id) && FIELDS.every((field) => a[field] === b[field]);

const updatedMs = (a: Appointment | undefined) => (a?.updatedAt ? Date.parse(a.updatedAt) : undefined);

/**
 * The day's appointments as the element holds them: keyed by id, sorted by start on
 * read, and guarded against out-of-order changes and older snapshots.
 */
export class Schedule {
  #byId = new Map<string, Appointment>();
  #sorted: readonly Appointment[] = Object.freeze([]);
  #dirty = false;
  /**
   * Changes that keep an appointment's place (same id, same start: most changes are of
   * status), id → the new appointment: applied on the next read in one pass instead of a sort.
   */
  #replaced = new Map<string, Appointment>();
  #version?: number;

  /** The appointments sorted by start (then id), frozen. */
  get appointments(): readonly Appointment[] {
    if (this.#dirty) {
      const list = [...this.#byId.values()];
      const starts = new Map(list.map((a) => [a, Date.parse(a.start)]));
      list.sort((a, b) => starts.get(a)! - starts.get(b)! || String(a.id).localeCompare(String(b.id)));
      this.#sorted = Object.freeze(list);
      this.#dirty = false;
    } else if (this.#replaced.size) {
      this.#sorted = Object.freeze(this.#sorted.map((a) => this.#replaced.get(String(a.id)) ?? a));
    }
    this.#replaced.clear();
    return this.#sorted;
  }

  /** True when a snapshot with this version must be ignored as older than what is held. */
  isOlder(version: number | undefined): boolean {
    return version !== undefined && this.#version !== undefined && version < this.#version;
  }

  /** Forgets the version held: versions order snapshots within one socket connection only. */
  forgetVersion(): void {
    this.#version = undefined;
  }

  /** Forgets everything, version included: a new day starts from nothing. */
  clear(): void {
    this.#byId = new Map();
    this.#version = undefined;
    this.#dirty = true;
  }

  /**
   * Replaces everything. Returns whether anything a user would see changed. An appointment
   * equal to the one held keeps the held object, so an unchanged row stays unchanged by
   * identity (what the view's highlight and its keyed rows go by).
   */
  replace(list: readonly Appointment[], version?: number): boolean {
    if (version !== undefined) this.#version = version;
    const changed = this.diff(list);
    if (changed.missing + changed.extra + changed.changed === 0) return false;
    this.#byId = new Map(
      list.map((a) => {
        const key = String(a.id);
        const held = this.#byId.get(key);
        return [key, held && sameAppointment(held, a) ? held : a];
      }),
    );
    this.#dirty = true;
    return true;
  }

  /**
   * Applies one change. Returns `ignored` when it is older (`updatedAt`) than the
   * appointment held, `unchanged` when it changes nothing, else `applied`.
   */
  apply(change: Change): 'applied' | 'ignored' | 'unchanged' {
    const key = String(change.id);
    const held = this.#byId.get(key);
    const heldMs = updatedMs(held);
    if (heldMs !== undefined && change.updatedAtMs !== undefined && change.updatedAtMs < heldMs) return 'ignored';
    if (change.action === 'deleted') {
      if (!held) return 'unchanged';
      this.#byId.delete(key);
    } else {
      const next = change.appointment!;
      if (held && sameAppointment(held, next)) return 'unchanged';
      this.#byId.set(key, next);
      if (held?.start === next.start && !this.#dirty) {
        this.#replaced.set(key, next);
        return 'applied';
      }
    }
    this.#dirty = true;
    return 'applied';
  }

  /** Compares what is held with `server`, the list the server has. */
  diff(server: readonly Appointment[]): ScheduleDiff {
    let missing = 0;
    let changed = 0;
    const seen = new Set<string>();
    for (const appointment of server) {
      const key = String(appointment.id);
      seen.add(key);
      const held = this.#byId.get(key);
      if (!held) missing += 1;
      else if (!sameAppointment(held, appointment)) changed += 1;
    }
    let extra = 0;
    for (const key of this.#byId.keys()) if (!seen.has(key)) extra += 1;
    return { missing, extra, changed };
  }
}
