/**
 * The fallback: every rule about fetching over REST while the socket is not live
 * (README, "Fallback"). The controller tells it the state model's inputs whenever they
 * change; it decides, from them alone, what to run.
 *
 * - The fallback is active while the socket is `retrying` or has `gave-up`
 *   (`inFallback`). Its start and end are logged and timed (`metrics.fallback`).
 * - When it starts: one fetch **at once**, then one every `poll-interval`.
 * - It polls only while the browser is online and the page visible (`shouldPoll`):
 *   offline or hidden, the timer stops; back, it starts again.
 * - The page becoming visible fetches at once when the data is older than
 *   `poll-interval`, and re-arms a socket that Socket.IO gave up on.
 * - After Socket.IO gave up (`gave-up`) polling goes on for ever, and the socket is
 *   re-armed every 5 minutes.
 * - When the socket is back (or refused), polling stops and its timers are cleared. The
 *   reconciling fetch that follows a reconnect is the controller's (it is not a poll).
 * - A new `poll-interval` restarts the timer with it.
 */

import type { StructuredLogger } from '../logging.js';
import type { FallbackMetrics } from '../metrics.js';
import { Scope, type Undo } from '../scope.js';
import { inFallback, shouldPoll, type LinkView } from './state.js';

/** How often a socket that Socket.IO gave up on is re-armed while polling. */
export const REARM_INTERVAL = 5 * 60 * 1000;

export interface FallbackPollerOptions {
  /** `poll-interval`, in ms. */
  readonly interval: () => number;
  /** Fetches once (source `poll`). */
  readonly poll: () => void;
  /** Re-arms the socket. */
  readonly rearm: () => void;
  /** Milliseconds since the schedule last matched the server (Infinity when it never did). */
  readonly age: () => number;
  readonly now: () => number;
  readonly metrics: FallbackMetrics;
  readonly log: StructuredLogger;
}

interface Period {
  readonly startedAt: number;
  firstFetchAt?: number;
  /** The period's timers; disposed when it ends. */
  readonly scope: Scope;
  /** The poll timer, while polling. */
  pollTimer?: Undo;
  /** The 5-minute re-arm timer, while Socket.IO has given up. */
  rearmTimer?: Undo;
}

/**
 * @example
 * ```ts
 * const poller = new FallbackPoller({ interval: () => 30000, poll, rearm, age, now: Date.now, metrics, log });
 * poller.update({ life: { phase: 'retrying', attempt: 0 }, network: 'online', visibility: 'visible' }, 'transport close');
 * // fetched at once, and every 30 s until:
 * poller.update({ life: { phase: 'live' }, network: 'online', visibility: 'visible' }, 'socket-connected');
 * ```
 */
export class FallbackPoller {
  readonly #options: FallbackPollerOptions;
  #view?: LinkView;
  /** The fallback period under way; exists exactly while `inFallback(view.life)`. */
  #period?: Period;

  constructor(options: FallbackPollerOptions) {
    this.#options = options;
  }

  /** The state model's inputs changed (or may have); `reason` is logged when the fallback starts or stops. */
  update(view: LinkView, reason: string): void {
    this.#view = view;
    if (!inFallback(view.life)) {
      this.stop(reason);
      return;
    }
    const starting = this.#period === undefined;
    const period = (this.#period ??= this.#start(reason));
    if (shouldPoll(view)) {
      period.pollTimer ??= this.#every(period, this.#options.interval(), () => this.#poll());
      if (starting) this.#poll();
    } else {
      period.pollTimer?.();
      period.pollTimer = undefined;
    }
    if (view.life.phase === 'gave-up') {
      period.rearmTimer ??= this.#every(period, REARM_INTERVAL, () => this.#options.rearm());
    } else {
      period.rearmTimer?.();
      period.rearmTimer = undefined;
    }
  }

  /** The page became visible: catch up at once if the data is old, and re-arm a socket given up on. */
  pageShown(): void {
    const view = this.#view;
    if (!this.#period || !view || !shouldPoll(view)) return;
    if (view.life.phase === 'gave-up') this.#options.rearm();
    if (this.#options.age() > this.#options.interval()) this.#poll();
  }

  /** `poll-interval` changed: the timer restarts with the new one. */
  intervalChanged(): void {
    const period = this.#period;
    if (!period?.pollTimer) return;
    period.pollTimer();
    period.pollTimer = this.#every(period, this.#options.interval(), () => this.#poll());
  }

  /** Ends the fallback period, if one is under way, and clears its timers. */
  stop(reason: string): void {
    const period = this.#period;
    if (!period) return;
    this.#period = undefined;
    period.scope.dispose();
    const metrics = this.#options.metrics;
    const durationMs = this.#options.now() - period.startedAt;
    metrics.totalMs += durationMs;
    metrics.activeSince = null;
    this.#options.log.info('fallback.stopped', { reason, durationMs });
  }

  #start(reason: string): Period {
    const { metrics, log } = this.#options;
    const startedAt = this.#options.now();
    metrics.activations += 1;
    metrics.activeSince = new Date(startedAt);
    log.info('fallback.started', { reason, pollInterval: this.#options.interval() });
    return { startedAt, scope: new Scope() };
  }

  #every(period: Period, ms: number, fn: () => void): Undo {
    return period.scope.interval(fn, ms);
  }

  #poll(): void {
    const period = this.#period;
    if (!period) return;
    const metrics = this.#options.metrics;
    metrics.polls += 1;
    if (period.firstFetchAt === undefined) {
      period.firstFetchAt = this.#options.now();
      metrics.lastFirstFetchMs = period.firstFetchAt - period.startedAt;
    }
    this.#options.log.debug('fallback.poll', { poll: metrics.polls });
    this.#options.poll();
  }
}
