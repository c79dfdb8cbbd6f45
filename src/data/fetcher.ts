/**
 * The single-flight fetcher: REST loads of today's schedule, one at a time.
 *
 * - No two loads overlap. One asked for while another runs is queued, once: further asks
 *   merge into it, and the queued source becomes the most important one asked for.
 * - Every run is numbered by a generation. `invalidate()` (the question changed: new URL,
 *   token, day) aborts the run under way, and its answer, if it still comes, is dropped.
 * - Nothing is swallowed: a load that fails reaches `fail` with a `FetchFailure`, and an
 *   exception thrown while applying an answer reaches `fail` too, as `unusable`, with
 *   the error itself (whose message is never logged: it may quote the payload).
 *
 * Written for this element rather than taken from `@lit/task`: Task's model is "the
 * latest run wins and aborts the one before", where the schedule's is "never overlap,
 * queue one"; and Task swallows exceptions thrown while completing.
 */

import { FetchFailure } from './rest.js';

/** What the fetcher needs from its owner. */
export interface FetcherOptions<S extends string, R> {
  /** Which queued source wins when several are asked for during one run: the higher. */
  readonly rank: Readonly<Record<S, number>>;
  /** Loads once; rejects (preferably with a `FetchFailure`) on failure or when `signal` aborts. */
  load(signal: AbortSignal, source: S): Promise<R>;
  /** A run is starting (the owner may note what changes while it is under way). */
  started?(source: S): void;
  /**
   * Applies an answer that is still current. May throw: a `FetchFailure` reaches `fail`
   * as it is, anything else as `unusable`.
   */
  apply(result: R, source: S): void;
  /** A current run failed. `error` is the exception behind an `unusable` failure. */
  fail(failure: FetchFailure, source: S, error?: unknown): void;
}

interface Queued<S> {
  source: S;
  readonly done: Promise<void>;
  readonly resolve: () => void;
}

/**
 * @example
 * ```ts
 * const fetcher = new SingleFlightFetcher({
 *   rank: { poll: 0, refresh: 1 },
 *   load: (signal) => fetch(url, { signal }).then((r) => r.json()),
 *   apply: (body) => show(body),
 *   fail: (failure) => console.warn(failure.reason),
 * });
 * await fetcher.fetch('refresh');
 * ```
 */
export class SingleFlightFetcher<S extends string, R> {
  readonly #options: FetcherOptions<S, R>;
  #generation = 0;
  #inflight?: { readonly source: S; readonly abort: AbortController };
  #queued?: Queued<S>;

  constructor(options: FetcherOptions<S, R>) {
    this.#options = options;
  }

  /** The source of the run under way, if any. */
  get inflight(): S | undefined {
    return this.#inflight?.source;
  }

  /** Loads now, or after the run under way. Resolves once that load is applied or has failed. */
  fetch(source: S): Promise<void> {
    if (!this.#inflight) return this.#run(source);
    const queued = this.#queued;
    if (!queued) {
      let resolve!: () => void;
      const done = new Promise<void>((r) => (resolve = r));
      this.#queued = { source, done, resolve };
      return done;
    }
    if (this.#options.rank[source] > this.#options.rank[queued.source]) queued.source = source;
    return queued.done;
  }

  /** The question changed: abort the run under way and drop its answer. A queued run still goes. */
  invalidate(): void {
    this.#generation += 1;
    this.#inflight?.abort.abort();
  }

  /** Stops everything: the run under way is aborted, the queued one forgotten (its promise resolves). */
  dispose(): void {
    this.invalidate();
    this.#queued?.resolve();
    this.#queued = undefined;
  }

  async #run(source: S): Promise<void> {
    const generation = this.#generation;
    const abort = new AbortController();
    const current = () => generation === this.#generation;
    this.#inflight = { source, abort };
    try {
      this.#options.started?.(source);
      let result: R;
      try {
        result = await this.#options.load(abort.signal, source);
      } catch (error) {
        if (current()) this.#options.fail(error instanceof FetchFailure ? error : new FetchFailure('network'), source);
        return;
      }
      if (!current()) return;
      try {
        this.#options.apply(result, source);
      } catch (error) {
        // An owner's own verdict on the answer (`not-a-list`, …) passes as it is.
        if (error instanceof FetchFailure) this.#options.fail(error, source);
        else this.#options.fail(new FetchFailure('unusable'), source, error);
      }
    } finally {
      this.#inflight = undefined;
      const queued = this.#queued;
      this.#queued = undefined;
      // Its callers are told it is done even if it throws (the rejection itself stays visible).
      if (queued) void this.fetch(queued.source).finally(queued.resolve);
    }
  }
}
