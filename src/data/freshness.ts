/**
 * Freshness: when the schedule on screen last matched the server, and whether it may be
 * out of date (README, "Connection states": older than twice `poll-interval` while the
 * socket is not live). The badge says "Updated 10:42" and, when stale, "may be out of
 * date" — without waiting for another event: a timer re-renders the host when the data
 * turns stale.
 */

import type { Scope, Undo } from '../scope.js';

export class Freshness {
  readonly #now: () => number;
  readonly #changed: () => void;
  #lastUpdated: Date | null = null;
  /** The timer that tells the host when the data turns stale, and what it was set for: a new scope or interval sets it again. */
  #stale?: { readonly scope: Scope; readonly pollInterval: number; readonly undo: Undo };

  /** `changed` re-renders the host. */
  constructor(now: () => number, changed: () => void) {
    this.#now = now;
    this.#changed = changed;
  }

  /** When the schedule last matched the server, or null. */
  get lastUpdated(): Date | null {
    return this.#lastUpdated;
  }

  /** Milliseconds since then (Infinity when never). */
  get age(): number {
    return this.#lastUpdated ? this.#now() - this.#lastUpdated.getTime() : Infinity;
  }

  /** True when the data is older than twice `pollInterval` (the owner asks only while not live). */
  stale(pollInterval: number): boolean {
    return this.#lastUpdated !== null && this.age > 2 * pollInterval;
  }

  /** The schedule matches the server as of now; the host is told again when that turns stale (timer in `scope`). */
  touch(pollInterval: number, scope: Scope | undefined): void {
    this.#lastUpdated = new Date(this.#now());
    // One timer, not one per change event: a timer already set for this scope and interval
    // stays, and when it comes early (touched since) it waits out the rest.
    if (scope !== this.#stale?.scope || pollInterval !== this.#stale?.pollInterval) this.#arm(pollInterval, scope, 2 * pollInterval + 1);
    this.#changed();
  }

  #arm(pollInterval: number, scope: Scope | undefined, wait: number): void {
    this.#stale?.undo();
    this.#stale = scope && {
      scope,
      pollInterval,
      undo: scope.timeout(() => {
        const rest = 2 * pollInterval + 1 - this.age;
        this.#stale = undefined;
        if (rest > 0) this.#arm(pollInterval, scope, rest);
        else this.#changed();
      }, wait),
    };
  }
}
