/**
 * The schedule feed: everything that reaches the schedule — socket events and REST
 * answers — read, checked, merged and counted (`metrics.events`, `fetch`, `latency`,
 * `consistency`), one REST load at a time.
 *
 * What it decides it hands to its owner through plain callbacks: the schedule is fresh,
 * the list changed (and why), a failure to show, refused credentials.
 */

import type { ResolvedConfig } from '../config.js';
import type { ErrorCause, UpdateSource } from '../events.js';
import type { StructuredLogger } from '../logging.js';
import type { MetricsRecorder } from '../metrics.js';
import { Scope, type Undo } from '../scope.js';
import { CatchUp } from './catch-up.js';
import { SingleFlightFetcher } from './fetcher.js';
import { LiveSchedule, type IgnoredReason } from './live-schedule.js';
import { parsePayload, type Appointment, type ParsedPayload } from './payload.js';
import { FetchFailure, loadAppointments, type Etag, type FetchAppointments, type LoadResult } from './rest.js';
import type { ScheduleDiff } from './schedule.js';
import { dayKey } from './time.js';

/** An exception named by its type only: its message may quote the payload. */
const errorType = (error: unknown) => (error === undefined ? undefined : error instanceof Error ? error.name : typeof error);

/** Signals arriving within this window cause one fetch. */
export const SIGNAL_COALESCE_MS = 50;

/** Which fetch wins when several are asked for during one, and which source a render reports. */
export const SOURCE_RANK: Readonly<Record<UpdateSource, number>> = { poll: 0, socket: 1, initial: 2, refresh: 3, reconcile: 4 };

export interface ScheduleFeedOptions {
  readonly config: () => ResolvedConfig;
  /** Today in the practice's time zone (YYYY-MM-DD). */
  readonly today: () => string;
  /** The bearer token; rejects when it cannot be had. */
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
  readonly error: (cause: ErrorCause) => void;
  /** REST answered 401 or 403. */
  readonly refused: (status: number | undefined) => void;
  /** True while the socket is live (a failed load is then retried: `CatchUp`). */
  readonly live: () => boolean;
}

type Snapshot = Extract<ParsedPayload, { kind: 'snapshot' }>;

export class ScheduleFeed {
  readonly #options: ScheduleFeedOptions;
  readonly #schedule = new LiveSchedule();
  readonly #fetcher: SingleFlightFetcher<UpdateSource, LoadResult>;
  readonly #scope = new Scope();
  readonly #catchUp: CatchUp;
  /** The timer that coalesces signals, while one is pending. */
  #signal?: Undo;
  #etag?: Etag;

  constructor(options: ScheduleFeedOptions) {
    this.#options = options;
    this.#fetcher = new SingleFlightFetcher({
      rank: SOURCE_RANK,
      started: () => this.#schedule.loadStarted(),
      load: (signal) => this.#load(signal),
      apply: (result, source) => {
        this.#apply(result, source);
        this.#catchUp.settled(true, source, options.live(), this.#scope);
      },
      fail: (failure, source, error) => this.#failed(failure, source, error),
    });
    this.#catchUp = new CatchUp({
      retry: (source) => void this.fetch(source),
      delays: () => ({ first: options.config().socket.reconnectionDelay, max: options.config().pollInterval }),
    });
  }

  /** True while a load that failed has not been made good (README, "Fallback": catching up). */
  get catchingUp(): boolean {
    return this.#catchUp.owed;
  }

  /** The socket went live or left it: a failed load is retried only while live. */
  liveChanged(live: boolean): void {
    this.#catchUp.liveChanged(live, this.#scope);
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

  /** A new day (`day`): nothing of the old one is kept, and the new one is fetched. */
  rollover(day: string): void {
    this.#options.log.info('day.rollover', { day });
    this.forget();
    this.#schedule.clear();
    void this.fetch('refresh');
  }

  /** Stops: the load under way is aborted, the queued one and a pending signal forgotten. */
  dispose(): void {
    this.#fetcher.dispose();
    this.#catchUp.liveChanged(false, undefined);
    this.#scope.dispose();
    this.#signal = undefined;
  }

  /**
   * The socket (re)connected: the version held belonged to the old connection. `catchUp`:
   * an outage preceded it, so a reconciling fetch is made — after a random wait of at most
   * `reconnection-delay`, so that a backend restart with hundreds of screens open does not
   * get all their reconciling fetches in the same instant (README, "Fallback").
   */
  connected(catchUp: boolean): void {
    this.#schedule.connected();
    if (!catchUp) return;
    const spread = Math.random() * this.#options.config().socket.reconnectionDelay;
    this.#scope.timeout(() => void this.fetch('reconcile'), spread);
  }

  /**
   * A socket event's first argument. Nothing in it, however malformed, escapes as an
   * exception: a failure while applying it is counted, logged (its type only) and
   * reported, and the last good schedule stays.
   */
  event(payload: unknown): void {
    try {
      this.#event(payload);
    } catch (error) {
      this.#options.metrics.events.invalid += 1;
      this.#options.log.warn('payload.rejected', { reason: 'unusable', source: 'socket', error: errorType(error) });
      this.#options.error({ kind: 'payload', reason: 'rejected', message: 'Update rejected: it could not be used.' });
    }
  }

  #event(payload: unknown): void {
    const arrivedAt = performance.now();
    const { metrics, log } = this.#options;
    const events = metrics.events;
    events.received += 1;
    events.lastAt = new Date(this.#options.now());
    const parsed = parsePayload(payload);
    if (parsed.kind === 'invalid') {
      events.invalid += 1;
      log.warn('payload.rejected', { reason: parsed.reason, source: 'socket' });
      this.#options.error({ kind: 'payload', reason: 'rejected', message: `Update rejected: ${parsed.reason}.` });
      return;
    }
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
    const todays = parsed.kind === 'snapshot' ? this.#todays(parsed, 'socket') : parsed;
    if (!todays) return this.#ignore('other-day');
    const outcome = this.#schedule.socket(todays, today, timeZone, this.#fetcher.inflight !== undefined);
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

  /**
   * Today's part of a snapshot: items that are invalid, or whose start is not today in
   * `time-zone`, are dropped alone (counted, logged without content); duplicates are
   * counted. A list with items of which none is today's is ignored whole (undefined).
   */
  #todays(parsed: Snapshot, source: 'socket' | 'rest'): Snapshot | undefined {
    const { metrics, log } = this.#options;
    const reject = (reason: string, items: number) => {
      if (items === 0) return;
      metrics.events.rejectedItems += items;
      log.warn('payload.rejected', { reason, items, source });
    };
    reject('invalid-appointment', parsed.rejectedItems);
    if (parsed.duplicates > 0) {
      metrics.events.duplicates += parsed.duplicates;
      log.warn('payload.duplicates', { items: parsed.duplicates, source });
    }
    const today = this.#options.today();
    const timeZone = this.#options.config().timeZone;
    const appointments = parsed.appointments.filter((a) => dayKey(new Date(a.start), timeZone) === today);
    reject('other-day', parsed.appointments.length - appointments.length);
    if (parsed.appointments.length > 0 && appointments.length === 0) return undefined;
    return { ...parsed, appointments };
  }

  async #load(signal: AbortSignal): Promise<LoadResult> {
    const { metrics } = this.#options;
    const config = this.#options.config();
    metrics.fetch.requests += 1;
    const started = performance.now();
    try {
      const options = {
        url: () => config.appointmentsUrl(this.#options.today()),
        token: () =>
          this.#options.token().catch(() => {
            throw new FetchFailure('token');
          }),
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
      const reason = parsed.kind === 'invalid' ? parsed.reason : 'not-a-list';
      log.warn('payload.rejected', { reason, source: 'rest' });
      throw new FetchFailure(reason === 'too-large' ? 'too-large' : 'not-a-list');
    }
    if (parsed.date !== undefined && parsed.date !== this.#options.today()) throw new FetchFailure('other-day');
    const todays = this.#todays(parsed, 'rest');
    if (!todays) throw new FetchFailure('other-day');
    const outcome = this.#schedule.rest(todays, source === 'reconcile' ? (diff) => this.#compare(diff) : undefined);
    // Ignored data never refreshes "Updated".
    if (!outcome.applied) return log.debug('payload.ignored', { reason: outcome.reason, source: 'rest' });
    this.#etag = result.etag;
    this.#options.fresh(true);
    if (outcome.changed) this.#options.updated(source);
  }

  #failed(failure: FetchFailure, source: UpdateSource, error?: unknown) {
    if (failure.reason === 'aborted') return;
    const { metrics } = this.#options;
    this.#catchUp.settled(false, source, this.#options.live(), this.#scope);
    metrics.fetch.errors += 1;
    if (source === 'poll') metrics.fallback.pollErrors += 1;
    this.#options.log.warn('fetch.failed', { source, reason: failure.reason, status: failure.status, error: errorType(error) });
    if (failure.reason === 'auth') return this.#options.refused(failure.status);
    this.#options.error({ kind: 'fetch', reason: failure.reason, ...(failure.status !== undefined && { status: failure.status }) });
  }

  #compare(diff: ScheduleDiff) {
    const consistency = this.#options.metrics.consistency;
    consistency.checks += 1;
    if (diff.missing + diff.extra + diff.changed === 0) return;
    consistency.mismatches += 1;
    consistency.lastMismatch = Object.freeze({ ...diff, at: new Date(this.#options.now()) });
    this.#options.log.warn('consistency.mismatch', { ...diff });
  }
}
