/**
 * The DOM events (README, "Events"). All leave through `emit()`: bubbling and composed, so
 * a host page hears them from outside any shadow root.
 */

import type { Appointment } from './data/payload.js';
import { FloodGate } from './logging.js';

/** The closed set of connection states (README, "Connection states"). */
export const ConnectionState = {
  CONNECTING: 'connecting',
  LIVE: 'live',
  RECONNECTING: 'reconnecting',
  POLLING: 'polling',
  OFFLINE: 'offline',
  UNAUTHORIZED: 'unauthorized',
} as const;
export type ConnectionState = (typeof ConnectionState)[keyof typeof ConnectionState];

/** Why the list changed. */
export type UpdateSource = 'initial' | 'socket' | 'poll' | 'refresh' | 'reconcile';

export interface ScheduleUpdatedDetail {
  readonly appointments: readonly Appointment[];
  readonly source: UpdateSource;
}

export interface ScheduleConnectionChangeDetail {
  readonly state: ConnectionState;
  readonly previous: ConnectionState;
  /** While reconnecting: the Socket.IO attempt under way. */
  readonly attempt?: number;
  /** Why: a disconnect reason or a cause such as `reconnect-failed`. */
  readonly reason?: string;
}

export interface ScheduleErrorDetail {
  readonly kind: 'fetch' | 'payload' | 'socket' | 'auth';
  /** Plain words for people, in English; never payload content. */
  readonly message: string;
  /**
   * What failed, as a stable code a host can switch on (the element shows it in the page's
   * language): for `fetch` the failure (`http`, `timeout`, `network`, `bad-json`,
   * `not-a-list`, `other-day`, `unusable`, `too-large`, `token`); for `payload` `rejected`;
   * for `socket` `reconnect-failed` or `invalid-namespace`; for `auth` `refused`.
   */
  readonly reason?: string;
  /** HTTP status, for fetch errors that have one. */
  readonly status?: number;
}

/** A problem as its source reports it: the `message` is written from `reason` (src/i18n/error-words.ts) unless given. */
export type ErrorCause = Omit<ScheduleErrorDetail, 'message'> & { readonly message?: string };

export interface ScheduleEventMap {
  'schedule-updated': CustomEvent<ScheduleUpdatedDetail>;
  'schedule-connection-change': CustomEvent<ScheduleConnectionChangeDetail>;
  'schedule-error': CustomEvent<ScheduleErrorDetail>;
}

declare global {
  // Declaration merging: the element's events join the DOM's own map (addEventListener typings).
  // eslint-disable-next-line @typescript-eslint/no-empty-object-type
  interface GlobalEventHandlersEventMap extends ScheduleEventMap {}
}

/** Dispatches one of the element's events from `target`. */
export function emit<K extends keyof ScheduleEventMap>(
  target: EventTarget,
  name: K,
  detail: ScheduleEventMap[K]['detail'],
): void {
  target.dispatchEvent(new CustomEvent(name, { detail, bubbles: true, composed: true }));
}

/**
 * What the element tells its host page, with the rules of when: a state change once per
 * change, and `schedule-updated` once per render, after it (a burst of socket changes
 * costs one sort and one event, not one each), naming the most important source.
 */
export class HostEvents {
  readonly #target: EventTarget;
  readonly #rank: Readonly<Record<UpdateSource, number>>;
  /** The state last told (`schedule-connection-change`). */
  #told: ConnectionState = ConnectionState.CONNECTING;
  #pending?: UpdateSource;
  /** A flood of `schedule-error` events is limited like a flood of log records, by the same gate. */
  readonly #gate: FloodGate;

  constructor(target: EventTarget, rank: Readonly<Record<UpdateSource, number>>, gate: FloodGate) {
    this.#target = target;
    this.#rank = rank;
    this.#gate = gate;
  }

  /** Tells the host of a failure, unless more than `FLOOD_LIMIT` of its kind went out this minute. */
  error(detail: ScheduleErrorDetail): void {
    if (this.#gate.admit(`schedule-error.${detail.kind}`)) emit(this.#target, 'schedule-error', detail);
  }

  /** Tells the host of `detail.state` when it differs from the state last told; returns the detail sent. */
  state(detail: Omit<ScheduleConnectionChangeDetail, 'previous'>): ScheduleConnectionChangeDetail | undefined {
    const previous = this.#told;
    if (detail.state === previous) return undefined;
    this.#told = detail.state;
    const sent = { ...detail, previous };
    emit(this.#target, 'schedule-connection-change', sent);
    return sent;
  }

  /** The host left the page: it starts over from `connecting`, untold (nobody is listening). */
  reset(): void {
    this.#told = ConnectionState.CONNECTING;
  }

  /** The list changed because of `source`; told after the next render. */
  updated(source: UpdateSource): void {
    if (this.#pending === undefined || this.#rank[source] > this.#rank[this.#pending]) this.#pending = source;
  }

  /** Why the list changed since the last render, if it did. */
  get pending(): UpdateSource | undefined {
    return this.#pending;
  }

  /** The host rendered: tell it what changed, once. */
  rendered(appointments: readonly Appointment[]): void {
    const source = this.#pending;
    if (source === undefined) return;
    this.#pending = undefined;
    emit(this.#target, 'schedule-updated', { appointments, source });
  }
}
