/**
 * The day clock: which day "today" is in the practice's time zone, and the rollover at
 * midnight.
 *
 * Checked every minute (and whenever the owner asks: on becoming visible or online)
 * rather than by one timer set for midnight: timers drift, laptops sleep, and
 * daylight-saving nights are an hour short or long.
 */

import type { Scope } from '../scope.js';
import { dayKey } from './time.js';

/** How often the day is checked. */
export const DAY_CHECK_INTERVAL = 60 * 1000;

export interface DayClockOptions {
  readonly now: () => number;
  readonly timeZone: () => string | undefined;
  /** The day changed since the last check: `day` is the new one (YYYY-MM-DD). */
  readonly rollover: (day: string) => void;
  /** Every check (each minute, and on becoming visible or online): the flow board's shared tick. */
  readonly tick?: () => void;
}

/**
 * @example
 * ```ts
 * const clock = new DayClock({ now: Date.now, timeZone: () => 'Europe/Berlin', rollover: (day) => load(day) });
 * clock.start(scope); // checks now and every minute until scope.dispose()
 * ```
 */
export class DayClock {
  readonly #options: DayClockOptions;
  /** The day last seen; kept across detach and attach, so a day passed while away still rolls over. */
  #day?: string;

  constructor(options: DayClockOptions) {
    this.#options = options;
  }

  /** Today in the practice's time zone, YYYY-MM-DD. */
  get today(): string {
    return dayKey(new Date(this.#options.now()), this.#options.timeZone());
  }

  /** Checks now, then every minute until `scope` is disposed. */
  start(scope: Scope): void {
    this.check();
    scope.interval(() => this.check(), DAY_CHECK_INTERVAL);
  }

  /** Rolls over when the day changed since the last check. */
  check(): void {
    const today = this.today;
    const previous = this.#day;
    this.#day = today;
    if (previous !== undefined && previous !== today) this.#options.rollover(today);
    this.#options.tick?.();
  }
}
