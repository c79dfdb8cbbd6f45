/**
 * The DOM events of CONTRACT §8. All leave through `emit()`: bubbling and composed, so
 * a host page hears them from outside any shadow root.
 */

import type { Appointment } from './payload.js';

/** The closed set of connection states (CONTRACT §5). */
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
  /** Plain words for people; never payload content. */
  readonly message: string;
  /** HTTP status, for fetch errors that have one. */
  readonly status?: number;
}

export interface ScheduleEventMap {
  'schedule-updated': CustomEvent<ScheduleUpdatedDetail>;
  'schedule-connection-change': CustomEvent<ScheduleConnectionChangeDetail>;
  'schedule-error': CustomEvent<ScheduleErrorDetail>;
}

declare global {
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
