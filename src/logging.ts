/**
 * Structured logging (README, "Logs").
 *
 * A record's fields are numbers, ids, states and reasons only: the type admits nothing
 * richer, and callers never pass payload content, so a patient's name cannot reach a
 * log even through an error message.
 */

/** From quietest to noisiest. */
export const LOG_LEVELS = ['silent', 'error', 'warn', 'info', 'debug'] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];
export type RecordLevel = Exclude<LogLevel, 'silent'>;

/** What a record may carry besides its header. */
export type LogFields = Readonly<Record<string, string | number | boolean | null | undefined>>;

/** One structured log record. */
export interface LogRecord {
  readonly time: string;
  readonly level: RecordLevel;
  readonly component: 'schedule-dashboard';
  /** Tells elements on one page apart: `schedule-dashboard-1`, `-2`, … */
  readonly instance: string;
  /** Dot-separated: `socket.connected`, `fallback.started`, … */
  readonly event: string;
  readonly [field: string]: string | number | boolean | null | undefined;
}

export type LogSink = (record: LogRecord) => void;

const rank = (level: LogLevel) => LOG_LEVELS.indexOf(level);

/** The default sink: the browser console, one line a record. */
export const consoleSink: LogSink = (record) => {
  console[record.level](`[schedule-dashboard] ${record.event}`, record);
};

/** More than this many records of one event within `FLOOD_WINDOW_MS` are summarised. */
export const FLOOD_LIMIT = 20;
export const FLOOD_WINDOW_MS = 60 * 1000;

/**
 * Counts occurrences per key within a window: the first `FLOOD_LIMIT` of a window pass,
 * the rest are held back and summarised (`summarise(key, count)`) once the window is over
 * (seen at the next occurrence of any key, or at `flush()`). No timer of its own.
 */
export class FloodGate {
  readonly #now: () => number;
  readonly #summarise: (key: string, count: number) => void;
  readonly #windows = new Map<string, { start: number; passed: number; held: number }>();

  constructor(now: () => number, summarise: (key: string, count: number) => void) {
    this.#now = now;
    this.#summarise = summarise;
  }

  /** True when this occurrence of `key` may go out. */
  admit(key: string): boolean {
    const now = this.#now();
    this.#closeExpired(now);
    const window = this.#windows.get(key) ?? { start: now, passed: 0, held: 0 };
    this.#windows.set(key, window);
    if (window.passed < FLOOD_LIMIT) {
      window.passed += 1;
      return true;
    }
    window.held += 1;
    return false;
  }

  /** Summarises every window that held something back, now. */
  flush(): void {
    this.#closeExpired(Infinity);
  }

  #closeExpired(now: number) {
    for (const [key, window] of this.#windows) {
      if (now - window.start < FLOOD_WINDOW_MS) continue;
      this.#windows.delete(key);
      if (window.held > 0) this.#summarise(key, window.held);
    }
  }
}

let instances = 0;

/**
 * Writes records for one element. `level` and `sink` are read at each call, so the
 * `log-level` attribute and the `logger` property take effect at once.
 */
export class StructuredLogger {
  readonly instance = `schedule-dashboard-${++instances}`;

  readonly #level: () => LogLevel;
  readonly #sink: () => LogSink | undefined;
  readonly #now: () => number;
  /** A flood of one event becomes one `log.suppressed` record with the count (shared with `schedule-error`). */
  readonly gate: FloodGate;

  constructor(level: () => LogLevel, sink: () => LogSink | undefined, now: () => number = Date.now) {
    this.#level = level;
    this.#sink = sink;
    this.#now = now;
    this.gate = new FloodGate(now, (event, count) => this.#write('warn', 'log.suppressed', { suppressed: event, count }, false));
  }

  /** Writes the summaries of floods still held back (the element leaves the page). */
  flush(): void {
    this.gate.flush();
  }

  error(event: string, fields?: LogFields) {
    this.#write('error', event, fields);
  }
  warn(event: string, fields?: LogFields) {
    this.#write('warn', event, fields);
  }
  info(event: string, fields?: LogFields) {
    this.#write('info', event, fields);
  }
  debug(event: string, fields?: LogFields) {
    this.#write('debug', event, fields);
  }

  #write(level: RecordLevel, event: string, fields: LogFields = {}, gated = true) {
    const threshold = LOG_LEVELS.includes(this.#level()) ? this.#level() : 'warn';
    if (rank(level) > rank(threshold)) return;
    if (gated && !this.gate.admit(event)) return;
    const record: LogRecord = Object.freeze({
      ...fields,
      time: new Date(this.#now()).toISOString(),
      level,
      component: 'schedule-dashboard',
      instance: this.instance,
      event,
    });
    try {
      (this.#sink() ?? consoleSink)(record);
    } catch {
      // A host logger that throws must not break the schedule.
    }
  }
}
