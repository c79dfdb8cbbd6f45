/**
 * The flow board's rules (README, "The flow board"), as pure functions of the schedule,
 * the settings and one clock reading: who is late, who waits and for how long, where "now"
 * falls, which appointment is next, the counts, the filters. Nothing here keeps state or
 * starts a timer: the element re-renders once a minute and these are read again.
 */

import type { Appointment } from '../data/payload.js';

const MINUTE = 60 * 1000;

/** Statuses of appointments that are over: shown, de-emphasised. */
export const FINISHED: ReadonlySet<string> = new Set(['completed', 'cancelled', 'no-show']);
/** Statuses of a patient who has not arrived yet: late once past `late-after`. */
const NOT_ARRIVED: ReadonlySet<string> = new Set(['scheduled', 'confirmed']);

/** The summary's groups, in the order a front desk reads them, with the statuses each counts. */
export const SUMMARY_GROUPS = [
  { key: 'booked', statuses: ['scheduled', 'confirmed'] },
  { key: 'waiting', statuses: ['checked-in'] },
  { key: 'in-room', statuses: ['in-room'] },
  { key: 'done', statuses: ['completed'] },
  { key: 'cancelled', statuses: ['cancelled'] },
  { key: 'no-show', statuses: ['no-show'] },
] as const;
export type SummaryGroup = (typeof SUMMARY_GROUPS)[number]['key'];

/** What the flow board says about one appointment at one moment. */
export interface RowFlow {
  /** Minutes late (start passed more than `late-after` ago, not arrived), else undefined. */
  readonly lateMinutes?: number;
  /** Minutes waiting (checked in) or in the room (in-room), else undefined. */
  readonly waitMinutes?: number;
  readonly waitKind?: 'waiting' | 'in-room';
  /** The wait passed `wait-alert` minutes. */
  readonly waitAlert: boolean;
  readonly finished: boolean;
  /** The first clock reading at which this may read differently (Infinity: not by time alone). */
  readonly until: number;
}

export interface FlowSettings {
  /** Minutes after start before a not-yet-arrived appointment is late. */
  readonly lateAfter: number;
  /** Minutes of waiting before the wait is flagged. */
  readonly waitAlert: number;
}

const ms = (iso: string | undefined) => (iso === undefined ? undefined : Date.parse(iso));

/** Start times read once per appointment (appointments are frozen): every render reads them all. */
const starts = new WeakMap<Appointment, number>();

/** An appointment's start in epoch milliseconds. */
export function startMs(a: Appointment): number {
  let start = starts.get(a);
  if (start === undefined) starts.set(a, (start = Date.parse(a.start)));
  return start;
}

/**
 * The flow of one appointment at `now`. `seenAt` is when the element first saw its current
 * status, the last source of a waiting time (after `arrivedAt` and `statusChangedAt`).
 */
export function rowFlow(a: Appointment, now: number, settings: FlowSettings, seenAt?: number): RowFlow {
  const status = a.status ?? '';
  const finished = FINISHED.has(status);
  const start = startMs(a);
  const lateAfter = settings.lateAfter * MINUTE;
  if (NOT_ARRIVED.has(status)) {
    if (now - start <= lateAfter) return { waitAlert: false, finished, until: start + lateAfter + 1 };
    const lateMinutes = Math.floor((now - start) / MINUTE);
    return { lateMinutes, waitAlert: false, finished, until: start + (lateMinutes + 1) * MINUTE };
  }
  if (status === 'checked-in' || status === 'in-room') {
    const since = status === 'checked-in' ? (ms(a.arrivedAt) ?? ms(a.statusChangedAt) ?? seenAt) : (ms(a.statusChangedAt) ?? seenAt);
    if (since !== undefined) {
      const waitMinutes = Math.max(0, Math.floor((now - since) / MINUTE));
      const waitAlert = status === 'checked-in' && waitMinutes > settings.waitAlert;
      return { waitMinutes, waitKind: status === 'checked-in' ? 'waiting' : 'in-room', waitAlert, finished, until: since + (waitMinutes + 1) * MINUTE };
    }
  }
  return { waitAlert: false, finished, until: Infinity };
}

/** Index in `list` (sorted by start) before which the "now" marker sits: the first appointment not started (a binary search). */
export function nowIndex(list: readonly Appointment[], now: number): number {
  let [low, high] = [0, list.length];
  while (low < high) {
    const middle = (low + high) >> 1;
    if (startMs(list[middle]) > now) high = middle;
    else low = middle + 1;
  }
  return low;
}

/** The index of the next appointment not yet arrived (not started, scheduled or confirmed, or without status), else -1. */
export function nextIndex(list: readonly Appointment[], now: number): number {
  for (let i = nowIndex(list, now); i < list.length; i += 1) if (list[i].status === undefined || NOT_ARRIVED.has(list[i].status!)) return i;
  return -1;
}

/** The summary group a status counts in, if any. */
const GROUP_OF: ReadonlyMap<string, SummaryGroup> = new Map(
  SUMMARY_GROUPS.flatMap(({ key, statuses }) => statuses.map((status) => [status, key] as const)),
);

/** Counts per summary group of what is shown (other statuses are not counted): one pass, once per render. */
export function summary(list: readonly Appointment[]): Array<{ key: SummaryGroup; count: number }> {
  const counts = new Map<SummaryGroup | undefined, number>();
  for (const a of list) {
    const group = GROUP_OF.get(a.status ?? '');
    counts.set(group, (counts.get(group) ?? 0) + 1);
  }
  return SUMMARY_GROUPS.map(({ key }) => ({ key, count: counts.get(key) ?? 0 })).filter(({ count }) => count > 0);
}

/** A list attribute (`providers`, `rooms`, `statuses`): items separated by commas or newlines. */
export function parseList(value: string | undefined | null): string[] | undefined {
  const items = (value ?? '')
    .split(/[,\n]/)
    .map((item) => item.trim())
    .filter(Boolean);
  return items.length ? items : undefined;
}

export interface FlowFilters {
  readonly providers?: readonly string[];
  readonly rooms?: readonly string[];
  readonly statuses?: readonly string[];
  readonly filter?: (appointment: Appointment) => boolean;
  /** Told when the host's `filter` throws (the appointment is then shown). */
  readonly failed?: (error: unknown) => void;
}

/** What is shown after the filters (compared case-insensitively, after trimming). */
export function applyFilters(list: readonly Appointment[], filters: FlowFilters): readonly Appointment[] {
  const norm = (items?: readonly string[]) => items && new Set(items.map((item) => item.toLowerCase()));
  const providers = norm(filters.providers);
  const rooms = norm(filters.rooms);
  const statuses = norm(filters.statuses);
  const has = (set: Set<string> | undefined, value: string | undefined) => !set || set.has((value ?? '').trim().toLowerCase());
  if (!providers && !rooms && !statuses && !filters.filter) return list;
  return list.filter((a) => {
    if (!has(providers, a.provider) || !has(rooms, a.room) || !has(statuses, a.status)) return false;
    if (!filters.filter) return true;
    try {
      return filters.filter(a) !== false;
    } catch (error) {
      // A host filter that throws hides nothing rather than blanking the board; it is reported.
      filters.failed?.(error);
      return true;
    }
  });
}

/** Appointments grouped by provider (in order of each provider's first appointment), each sorted by start. */
export function byProvider(list: readonly Appointment[]): Array<{ provider: string; appointments: Appointment[] }> {
  const groups = new Map<string, Appointment[]>();
  for (const a of list) {
    const key = a.provider ?? '';
    const group = groups.get(key) ?? [];
    group.push(a);
    groups.set(key, group);
  }
  return [...groups].map(([provider, appointments]) => ({ provider, appointments }));
}
