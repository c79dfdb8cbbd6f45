/**
 * The metrics (README, "Metrics"), kept as plain mutable groups inside the controller and
 * handed out as a frozen snapshot.
 */

import type { ScheduleDiff } from './data/schedule.js';

export interface ConnectionMetrics {
  connects: number;
  disconnects: number;
  lastDisconnectReason: string | null;
  /** Every `reconnect_attempt` of the Socket.IO Manager, summed over all outages. */
  reconnectAttempts: number;
  /** The attempt under way in the current outage (0 when connected). */
  currentAttempt: number;
  successfulReconnects: number;
  /** Times Socket.IO gave up (`reconnect_failed`). */
  reconnectFailures: number;
  /** Reconnects on which Socket.IO's connection state recovery replayed what was missed. */
  recovered: number;
}

export interface FallbackMetrics {
  activations: number;
  activeSince: Date | null;
  /** Time spent in fallback, completed periods only. */
  totalMs: number;
  /** Drop → first fallback fetch started, for the latest activation. */
  lastFirstFetchMs: number | null;
  polls: number;
  pollErrors: number;
}

export interface EventMetrics {
  received: number;
  applied: number;
  /** Other day, out of order, older snapshot. */
  ignored: number;
  invalid: number;
  /** Items dropped from otherwise valid lists (no valid `id` or `start`, or not today). */
  rejectedItems: number;
  /** Items whose id came again later in the same list (the later one is kept). */
  duplicates: number;
  lastAt: Date | null;
}

export interface LatencyMetrics {
  lastMs: number | null;
  p50Ms: number | null;
  p95Ms: number | null;
  samples: number;
}

export interface ConsistencyMetrics {
  checks: number;
  mismatches: number;
  lastMismatch: (ScheduleDiff & { at: Date }) | null;
}

export interface FetchMetrics {
  requests: number;
  errors: number;
  notModified: number;
  lastDurationMs: number | null;
}

/** `el.metrics`: read as `el.metrics.connection.connects`, `el.metrics.fallback.polls`, … */
export interface ScheduleMetrics {
  readonly connection: Readonly<ConnectionMetrics>;
  readonly fallback: Readonly<FallbackMetrics>;
  readonly events: Readonly<EventMetrics>;
  /** Socket event arrival → rendered; `emitted`: server `emittedAt` → rendered, for payloads that carry it. */
  readonly latency: Readonly<LatencyMetrics & { emitted: Readonly<LatencyMetrics> }>;
  readonly consistency: Readonly<ConsistencyMetrics>;
  readonly fetch: Readonly<FetchMetrics>;
}

/** How many recent samples the percentiles are computed over. */
export const LATENCY_WINDOW = 200;

class LatencyWindow {
  #samples: number[] = [];
  #count = 0;

  add(ms: number) {
    this.#samples.push(ms);
    if (this.#samples.length > LATENCY_WINDOW) this.#samples.shift();
    this.#count += 1;
  }

  snapshot(): LatencyMetrics {
    const sorted = [...this.#samples].sort((a, b) => a - b);
    const at = (p: number) => (sorted.length ? sorted[Math.min(sorted.length - 1, Math.ceil(p * sorted.length) - 1)] : null);
    return {
      lastMs: this.#samples.length ? this.#samples[this.#samples.length - 1] : null,
      p50Ms: at(0.5),
      p95Ms: at(0.95),
      samples: this.#count,
    };
  }
}

/** The mutable side, owned by the controller. */
export class MetricsRecorder {
  readonly connection: ConnectionMetrics = {
    connects: 0,
    disconnects: 0,
    lastDisconnectReason: null,
    reconnectAttempts: 0,
    currentAttempt: 0,
    successfulReconnects: 0,
    reconnectFailures: 0,
    recovered: 0,
  };
  readonly fallback: FallbackMetrics = {
    activations: 0,
    activeSince: null,
    totalMs: 0,
    lastFirstFetchMs: null,
    polls: 0,
    pollErrors: 0,
  };
  readonly events: EventMetrics = { received: 0, applied: 0, ignored: 0, invalid: 0, rejectedItems: 0, duplicates: 0, lastAt: null };
  readonly consistency: ConsistencyMetrics = { checks: 0, mismatches: 0, lastMismatch: null };
  readonly fetch: FetchMetrics = { requests: 0, errors: 0, notModified: 0, lastDurationMs: null };
  readonly latency = new LatencyWindow();
  readonly emitLatency = new LatencyWindow();

  snapshot(): ScheduleMetrics {
    const freeze = <T extends object>(group: T): Readonly<T> => Object.freeze({ ...group });
    return Object.freeze({
      connection: freeze(this.connection),
      fallback: freeze(this.fallback),
      events: freeze(this.events),
      latency: freeze({ ...this.latency.snapshot(), emitted: freeze(this.emitLatency.snapshot()) }),
      // `lastMismatch` is frozen where it is made (a new one each time).
      consistency: freeze(this.consistency),
      fetch: freeze(this.fetch),
    });
  }
}
