/**
 * The catch-up that is never lost (README, "Fallback"): a REST load that fails while the
 * socket is live — the reconciling fetch after a reconnect, or a load asked for by a
 * signal or `refresh()` — is owed until one succeeds. While live it is retried, first
 * after `reconnection-delay`, then twice as long each time, at most every
 * `poll-interval`; the badge adds "catching up". While the socket is down the fallback's
 * polls do the retrying; any load that succeeds settles what is owed.
 */

import type { UpdateSource } from '../events.js';
import type { Scope, Undo } from '../scope.js';

export interface CatchUpOptions {
  /** Loads again. */
  readonly retry: (source: UpdateSource) => void;
  /** `reconnection-delay` and `poll-interval`, in ms. */
  readonly delays: () => { readonly first: number; readonly max: number };
}

interface Owed {
  /** What to load again: `reconcile` stays `reconcile` (it is compared with the socket's list). */
  readonly source: UpdateSource;
  /** The wait before the next retry. */
  delay: number;
  /** The retry timer, while live. */
  timer?: Undo;
}

export class CatchUp {
  readonly #options: CatchUpOptions;
  #owed?: Owed;

  constructor(options: CatchUpOptions) {
    this.#options = options;
  }

  /** True while a load that failed has not been made good. */
  get owed(): boolean {
    return this.#owed !== undefined;
  }

  /** A load ended; `live`: the socket is connected; `scope`: where a retry timer lives. */
  settled(ok: boolean, source: UpdateSource, live: boolean, scope: Scope | undefined): void {
    if (ok) return this.#clear();
    const owed = (this.#owed ??= { source, delay: this.#options.delays().first });
    owed.timer?.();
    owed.timer = undefined;
    if (live) this.#schedule(owed, scope);
  }

  /** The socket went live or left it: retries run only while live. */
  liveChanged(live: boolean, scope: Scope | undefined): void {
    const owed = this.#owed;
    if (!owed) return;
    if (!live) {
      owed.timer?.();
      owed.timer = undefined;
    } else if (!owed.timer) {
      this.#schedule(owed, scope);
    }
  }

  #schedule(owed: Owed, scope: Scope | undefined) {
    if (!scope) return;
    const { max } = this.#options.delays();
    const delay = Math.min(owed.delay, max);
    owed.delay = Math.min(delay * 2, max);
    owed.timer = scope.timeout(() => {
      owed.timer = undefined;
      this.#options.retry(owed.source);
    }, delay);
  }

  #clear() {
    this.#owed?.timer?.();
    this.#owed = undefined;
  }
}
