/**
 * Payload parsing: everything that reaches the element from outside (REST bodies and
 * socket events) passes through here and leaves as a closed union of what it means.
 *
 * Rejection reasons are fixed strings. They go into logs, metrics and `schedule-error`
 * details, so they must never carry any part of the payload: appointment contents are
 * protected health information (README, "Logs").
 */

/** The statuses the element knows how to label; any other string is shown as it is. */
export const APPOINTMENT_STATUSES = [
  'scheduled',
  'confirmed',
  'checked-in',
  'in-room',
  'completed',
  'cancelled',
  'no-show',
] as const;
export type KnownAppointmentStatus = (typeof APPOINTMENT_STATUSES)[number];

/** One appointment, normalized (camelCase) and frozen. */
export interface Appointment {
  readonly id: string | number;
  /** ISO 8601 */
  readonly start: string;
  readonly end?: string;
  readonly patientName?: string;
  readonly provider?: string;
  readonly room?: string;
  /** The visit reason. */
  readonly type?: string;
  readonly status?: string;
  readonly updatedAt?: string;
  /** When the patient arrived (checked in). */
  readonly arrivedAt?: string;
  /** When the current status began. */
  readonly statusChangedAt?: string;
}

export type ChangeAction = 'created' | 'updated' | 'deleted';

/** Why a payload or an item was refused. Never carries payload content. */
export type RejectionReason =
  | 'not-an-object'
  | 'appointments-not-a-list'
  | 'bad-date'
  | 'bad-version'
  | 'unknown-action'
  | 'invalid-appointment'
  | 'no-valid-appointments'
  | 'too-large';

/** A snapshot of more appointments than this is refused as too large (README, "Payloads"). */
export const MAX_APPOINTMENTS = 10000;

interface PayloadMeta {
  /** `date` of the payload (YYYY-MM-DD), when it names one. */
  readonly date?: string;
  /** Epoch ms at which the server emitted it, when it says. */
  readonly emittedAt?: number;
}

/** What a payload means (README, "Payloads"). */
export type ParsedPayload =
  | (PayloadMeta & {
      readonly kind: 'snapshot';
      readonly appointments: readonly Appointment[];
      /** Items dropped because they had no valid `id` or `start`. */
      readonly rejectedItems: number;
      /** Items whose id came again later in the list (the later one is kept). */
      readonly duplicates: number;
      readonly version?: number;
    })
  | (PayloadMeta & {
      readonly kind: 'change';
      readonly action: ChangeAction;
      readonly id: string | number;
      /** Absent for a `deleted` that carries only `{ id }`. */
      readonly appointment?: Appointment;
      /** Epoch ms of the change's `updatedAt`, for ordering. */
      readonly updatedAtMs?: number;
    })
  | (PayloadMeta & { readonly kind: 'signal' })
  | { readonly kind: 'invalid'; readonly reason: RejectionReason };

const ACTIONS: readonly string[] = ['created', 'updated', 'deleted'] satisfies ChangeAction[];
const DAY = /^\d{4}-\d{2}-\d{2}$/;

type Raw = Record<string, unknown>;

const isObject = (value: unknown): value is Raw =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

const text = (value: unknown): string | undefined =>
  typeof value === 'string' && value.trim() !== '' ? value : undefined;

/** The range of `Date`, in ms either side of the epoch: beyond it `new Date(n)` is invalid. */
const MAX_EPOCH_MS = 8.64e15;
/** An ISO 8601 date and time (`Date.parse` alone takes "1" or "Tuesday 3" as dates). */
const ISO_DATE_TIME = /^\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}(?::\d{2}(?:[.,]\d{1,9})?)?(?:Z|[+-]\d{2}(?::?\d{2})?)?$/i;

/** Epoch ms of a valid timestamp (epoch ms within the range of `Date`, or ISO 8601), else undefined. */
export function timestampMs(value: unknown): number | undefined {
  if (typeof value === 'number') return Number.isFinite(value) && Math.abs(value) <= MAX_EPOCH_MS ? value : undefined;
  const s = text(value)?.trim();
  if (s === undefined || !ISO_DATE_TIME.test(s)) return undefined;
  const ms = Date.parse(s.replace(',', '.'));
  return Number.isFinite(ms) && Math.abs(ms) <= MAX_EPOCH_MS ? ms : undefined;
}

/** A valid timestamp as ISO 8601, else undefined (README, "Payloads"). */
const instant = (value: unknown): string | undefined => {
  const ms = timestampMs(value);
  if (ms === undefined) return undefined;
  // A decimal comma (ISO 8601 allows it) becomes a point, which `Date` reads everywhere.
  return typeof value === 'number' ? new Date(ms).toISOString() : (value as string).trim().replace(',', '.');
};

const validId = (value: unknown): string | number | undefined =>
  (typeof value === 'number' && Number.isFinite(value)) || text(value) !== undefined
    ? (value as string | number)
    : undefined;

/**
 * Normalizes one appointment, accepting the snake-case aliases. Returns undefined when
 * it has no valid `id` or `start`; optional fields of the wrong type are dropped alone.
 */
export function parseAppointment(raw: unknown): Appointment | undefined {
  if (!isObject(raw)) return undefined;
  const id = validId(raw.id);
  const start = instant(raw.start ?? raw.start_time);
  if (id === undefined || start === undefined) return undefined;
  const room = typeof raw.room === 'number' && Number.isFinite(raw.room) ? String(raw.room) : text(raw.room);
  const fields: Record<string, string | number | undefined> = {
    id,
    start,
    end: instant(raw.end ?? raw.end_time),
    patientName: text(raw.patientName ?? raw.patient_name),
    provider: text(raw.provider),
    room,
    type: text(raw.type),
    status: text(raw.status),
    updatedAt: instant(raw.updatedAt ?? raw.updated_at),
    arrivedAt: instant(raw.arrivedAt ?? raw.arrived_at),
    statusChangedAt: instant(raw.statusChangedAt ?? raw.status_changed_at),
  };
  // The fields it has make a new object: deleting the others would turn it into a slow
  // dictionary, and every row reads these fields on each render.
  return Object.freeze(Object.fromEntries(Object.entries(fields).filter(([, value]) => value !== undefined))) as unknown as Appointment;
}

/**
 * A list whose every item is invalid is refused whole: blanking the front desk's screen
 * because of bad data is worse than keeping the last good schedule.
 */
function parseSnapshot(list: readonly unknown[], rest: object): ParsedPayload {
  if (list.length > MAX_APPOINTMENTS) return { kind: 'invalid', reason: 'too-large' };
  const parsed = parseList(list);
  if (list.length > 0 && parsed.appointments.length === 0) return { kind: 'invalid', reason: 'no-valid-appointments' };
  return { kind: 'snapshot', ...rest, ...parsed };
}

/** Ids are compared as strings: `1` and `"1"` are one appointment, and the later one wins. */
function parseList(list: readonly unknown[]): { appointments: Appointment[]; rejectedItems: number; duplicates: number } {
  const byId = new Map<string, Appointment>();
  let rejectedItems = 0;
  let duplicates = 0;
  for (const item of list) {
    const appointment = parseAppointment(item);
    if (!appointment) {
      rejectedItems += 1;
      continue;
    }
    const key = String(appointment.id);
    if (byId.delete(key)) duplicates += 1;
    byId.set(key, appointment);
  }
  return { appointments: [...byId.values()], rejectedItems, duplicates };
}

/**
 * Parses a socket event's first argument or a REST body.
 *
 * - an array, or an object with `appointments` → snapshot;
 * - an object with `action` created/updated/deleted → change (another `action` is
 *   refused rather than taken for a signal, since it is a malformed change);
 * - any other object → signal;
 * - anything else → invalid.
 */
export function parsePayload(payload: unknown): ParsedPayload {
  if (Array.isArray(payload)) return parseSnapshot(payload, {});
  if (!isObject(payload)) return { kind: 'invalid', reason: 'not-an-object' };

  if (payload.date !== undefined && !(typeof payload.date === 'string' && DAY.test(payload.date))) {
    return { kind: 'invalid', reason: 'bad-date' };
  }
  const emittedAt = timestampMs(payload.emittedAt);
  const meta: PayloadMeta = {
    ...(payload.date !== undefined && { date: payload.date as string }),
    ...(emittedAt !== undefined && { emittedAt }),
  };

  if ('appointments' in payload) {
    if (!Array.isArray(payload.appointments)) return { kind: 'invalid', reason: 'appointments-not-a-list' };
    const { version } = payload;
    if (version !== undefined && !(typeof version === 'number' && Number.isFinite(version))) {
      return { kind: 'invalid', reason: 'bad-version' };
    }
    return parseSnapshot(payload.appointments, { ...meta, ...(version !== undefined && { version: version as number }) });
  }

  if ('action' in payload) {
    const { action } = payload;
    if (typeof action !== 'string' || !ACTIONS.includes(action)) return { kind: 'invalid', reason: 'unknown-action' };
    const raw = payload.appointment;
    const id = isObject(raw) ? validId(raw.id) : undefined;
    if (id === undefined) return { kind: 'invalid', reason: 'invalid-appointment' };
    const appointment = parseAppointment(raw);
    if (action !== 'deleted' && !appointment) return { kind: 'invalid', reason: 'invalid-appointment' };
    const updatedAt = timestampMs((raw as Raw).updatedAt ?? (raw as Raw).updated_at);
    return {
      kind: 'change',
      ...meta,
      action: action as ChangeAction,
      id,
      ...(appointment && { appointment }),
      ...(updatedAt !== undefined && { updatedAtMs: updatedAt }),
    };
  }

  return { kind: 'signal', ...meta };
}
