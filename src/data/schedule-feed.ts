/**
 * The schedule feed: everything that reaches the schedule — socket events and REST
 * answers — read, checked, merged and counted (`metrics.events`, `fetch`, `latency`,
 * `consistency`), one REST load at a time.
 *
 * What it decides it hands to its owner through plain callbacks: the schedule is fresh,
 * the list changed (and why), a failure to show, refused credentials.
 */

import type { ResolvedConfig } from '../config.js';
import type { ScheduleErrorDetail, UpdateSource } from '../events.js';
import type { StructuredLogger } from '../logging.js';
import type { MetricsRecorder } from '../metrics.js';
import { Scope, type Undo } from '../scope.js';
import { SingleFlightFetcher } from './fetcher.js';
import { LiveSchedule, type IgnoredReason } from './live-schedule.js';
import { parsePayload, type Appointment, type ParsedPayload } from './payload.js';
import { FAILURE_MESSAGES, FetchFailure, loadAppointments, type Etag, type FetchAppointments, type LoadResult } from './rest.js';
import type { ScheduleDiff } from './schedule.js';

/** Signals arriving within this window cause one fetch. */
export const SIGNAL_COALESCE_MS = 50;

/** Which fetch wins when several are asked for during one, and which source a render reports. */
export const SOURCE_RANK: Readonly<Record<UpdateSource, number>> = { poll: 0, socket: 1, initial: 2, refresh: 3, reconcile: 4 };

export interface ScheduleFeedOptions {
  readonly config: () => ResolvedConfig;
  /** Today in the practice's time zone (YYYY-MM-DD). */
  readonly today: () => string;
  readonly token: () => Promise<string | undefined>;
  /** The host's own loader, when it set one. */
  readonly loader: () => FetchAppointments | undefined;
  /** Resolves once the host has rendered (for latency). */
  readonly rendered: () => Promise<unknown>;
  readonly metrics: MetricsRecorder;
  readonly log: StructuredLogger;
  readonly now: () => number;
  /** The schedule matches the server as of now; `wholeList`: a whole list (which settles an error). */
  readonly fresh: (wholeList: boolean) => void;
  /** The list a user sees changed, because of `source`. */
  readonly updated: (source: UpdateSource) => void;
  readonly error: (detail: ScheduleErrorDetail) => void;
  /** REST answered 401 or 403. */
  readonly refused: (status: number | undefined) => void;
}

export class ScheduleFeed {
  readonly #options: ScheduleFeedOptions;
  readonly #schedule = new LiveSchedule();
  readonly #fetcher: SingleFlightFetcher<UpdateSource, LoadResult>;
  readonly #scope = new Scope();
  /** The timer that coalesces signals, while one is pending. */
  #signal?: Undo;
  #etag?: Etag;

  constructor(options: ScheduleFeedOptions) {
    this.#options = options;
    this.#fetcher = new SingleFlightFetcher({
      rank: SOURCE_RANK,
      started: () => this.#schedule.loadStarted(),
      load: (signal) => this.#load(signal),
      apply: (result, source) => this.#apply(result, source),
      fail: (failure, source, error) => this.#failed(failure, source, error),
    });
  }

  /** Today's appointments, sorted by start, frozen. */
  get appointments(): readonly Appointment[] {
    return this.#schedule.appointments;
  }

  /** True once a first schedule has been taken. */
  get loaded(): boolean {
    return this.#schedule.loaded;
  }

  /** Loads over REST now, or after the load under way; resolves when it is applied or failed. */
  fetch(source: UpdateSource): Promise<void> {
    return this.#fetcher.fetch(source);
  }

  /** The question changed (URL, token, day): the answer under way and the ETag no longer apply. */
  forget(): void {
    this.#etag = undefined;
    this.#fetcher.invalidate();
  }

  /** A new day: nothing of the old one is kept. */
  rollover(): void {
    this.forget();
    this.#schedule.clear();
  }

  /** Stops: the load under way is aborted, the queued one and a pending signal forgotten. */
  dispose(): void {
    this.#fetcher.dispose();
    this.#scope.dispose();
    this.#signal = undefined;
  }

  /** A socket event's first argument. */
  event(payload: unknown): void {
    const arrivedAt = performance.now();
    const { metrics, log } = this.#options;
    const events = metrics.events;
    events.received += 1;
    events.lastAt = new Date(this.#options.now());
    const parsed = parsePayload(payload);
    if (parsed.kind === 'invalid') {
      events.invalid += 1;
      log.warn('payload.rejected', { reason: parsed.reason, source: 'socket' });
      this.#options.error({ kind: 'payload', message: `Update rejected: ${parsed.reason}.` });
      return;
    }
    this.#countRejectedItems(parsed, 'socket');
    const today = this.#options.today();
    if (parsed.kind === 'signal') {
      if (parsed.date !== undefined && parsed.date !== today) return this.#ignore('other-day');
      events.applied += 1;
      this.#signal ??= this.#scope.timeout(() => {
        this.#signal = undefined;
        void this.fetch('socket');
      }, SIGNAL_COALESCE_MS);
      return;
    }
    const timeZone = this.#options.config().timeZone;
    const outcome = this.#schedule.socket(parsed, today, timeZone, this.#fetcher.inflight !== undefined);
    if (!outcome.applied) return this.#ignore(outcome.reason);
    events.applied += 1;
    // What the socket delivers is as current as it gets: "Updated" tells when it last did.
    this.#options.fresh(parsed.kind === 'snapshot');
    if (outcome.changed) this.#options.updated('socket');
    void this.#options.rendered().then(() => {
      metrics.latency.add(performance.now() - arrivedAt);
      if (parsed.emittedAt !== undefined) metrics.emitLatency.add(Math.max(0, this.#options.now() - parsed.emittedAt));
    });
  }

  #ignore(reason: IgnoredReason) {
    this.#options.metrics.events.ignored += 1;
    this.#options.log.debug('payload.ignored', { reason });
  }

  #countRejectedItems(parsed: ParsedPayload, source: string) {
    if (parsed.kind !== 'snapshot' || parsed.rejectedItems === 0) return;
    this.#options.metrics.events.rejectedItems += parsed.rejectedItems;
    this.#options.log.warn('payload.rejected', { reason: 'invalid-appointment', items: parsed.rejectedItems, source });
  }

  async #load(signal: AbortSignal): Promise<LoadResult> {
    const { metrics } = this.#options;
    const config = this.#options.config();
    metrics.fetch.requests += 1;
    const started = performance.now();
    try {
      const options = {
        url: () => config.appointmentsUrl(this.#options.today()),
        token: this.#options.token,
        etag: this.#etag,
        withCredentials: config.withCredentials,
        timeoutMs: config.requestTimeout,
        loader: this.#options.loader(),
      };
      return await loadAppointments(options, signal);
    } finally {
      metrics.fetch.lastDurationMs = Math.round(performance.now() - started);
    }
  }

  #apply(result: LoadResult, source: UpdateSource) {
    const { metrics, log } = this.#options;
    if ('notModified' in result) {
      metrics.fetch.notModified += 1;
      if (source === 'reconcile') this.#compare(this.#schedule.diff(this.#schedule.appointments));
      return this.#options.fresh(true);
    }
    const parsed = parsePayload(result.body);
    if (parsed.kind !== 'snapshot') {
      log.warn('payload.rejected', { reason: parsed.kind === 'invalid' ? parsed.reason : 'not-a-list', source: 'rest' });
      throw new FetchFailure('not-a-list');
    }
    this.#countRejectedItems(parsed, 'rest');
    if (parsed.date !== undefined && parsed.date !== this.#options.today()) throw new FetchFailure('other-day');
    const outcome = this.#schedule.rest(parsed, source === 'reconcile' ? (diff) => this.#compare(diff) : undefined);
    if (!outcome.applied) {
      log.debug('payload.ignored', { reason: outcome.reason, source: 'rest' });
      if (outcome.reason === 'older-version') this.#options.fresh(true);
      return;
    }
    this.#etag = result.etag;
    this.#options.fresh(true);
    if (outcome.changed) this.#options.updated(source);
  }

  #failed(failure: FetchFailure, source: UpdateSource, error?: unknown) {
    if (failure.reason === 'aborted') return;
    const { metrics } = this.#options;
    metrics.fetch.errors += 1;
    if (source === 'poll') metrics.fallback.pollErrors += 1;
    // An exception is named by its type only: its message may quote the payload.
    const thrown = error === undefined ? undefined : error instanceof Error ? error.name : typeof error;
    this.#options.log.warn('fetch.failed', { source, reason: failure.reason, status: failure.status, error: thrown });
    if (failure.reason === 'auth') return this.#options.refused(failure.status);
    const status = failure.status !== undefined && failure.reason === 'http' ? `, HTTP ${failure.status}` : '';
    this.#options.error({
      kind: 'fetch',
      message: `Could not load today's appointments (${FAILURE_MESSAGES[failure.reason]}${status}).`,
      ...(failure.status !== undefined && { status: failure.status }),
    });
  }

  #compare(diff: ScheduleDiff) {
    const consistency = this.#options.metrics.consistency;
    consistency.checks += 1;
    if (diff.missing + diff.extra + diff.changed === 0) return;
    consistency.mismatches += 1;
    consistency.lastMismatch = { ...diff, at: new Date(this.#options.now()) };
    this.#options.log.warn('consistency.mismatch', { ...diff });
  }
}
