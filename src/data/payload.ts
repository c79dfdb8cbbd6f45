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
  | 'no-valid-appointments';

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

const instant = (value: unknown): string | undefined => {
  if (typeof value === 'number' && Number.isFinite(value)) return new Date(value).toISOString();
  const s = text(value);
  return s !== undefined && Number.isFinite(Date.parse(s)) ? s : undefined;
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
  };
  for (const key of Object.keys(fields)) if (fields[key] === undefined) delete fields[key];
  return Object.freeze(fields) as unknown as Appointment;
}

/**
 * A list whose every item is invalid is refused whole: blanking the front desk's screen
 * because of bad data is worse than keeping the last good schedule.
 */
function parseSnapshot(list: readonly unknown[], rest: object): ParsedPayload {
  const parsed = parseList(list);
  if (list.length > 0 && parsed.appointments.length === 0) return { kind: 'invalid', reason: 'no-valid-appointments' };
  return { kind: 'snapshot', ...rest, ...parsed };
}

function parseList(list: readonly unknown[]): { appointments: Appointment[]; rejectedItems: number } {
  const appointments: Appointment[] = [];
  let rejectedItems = 0;
  for (const item of list) {
    const appointment = parseAppointment(item);
    if (appointment) appointments.push(appointment);
    else rejectedItems += 1;
  }
  return { appointments, rejectedItems };
}

function parseEmittedAt(value: unknown): number | undefined {
  if (typeof value === 'number' && Number.isFinite(value)) return value;
  const ms = typeof value === 'string' ? Date.parse(value) : NaN;
  return Number.isFinite(ms) ? ms : undefined;
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
  const emittedAt = parseEmittedAt(payload.emittedAt);
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
    const updatedAt = instant((raw as Raw).updatedAt ?? (raw as Raw).updated_at);
    return {
      kind: 'change',
      ...meta,
      action: action as ChangeAction,
      id,
      ...(appointment && { appointment }),
      ...(updatedAt !== undefined && { updatedAtMs: Date.parse(updatedAt) }),
    };
  }

  return { kind: 'signal', ...meta };
}
