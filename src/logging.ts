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
  // eslint-disable-next-line no-console
  console[record.level](`[schedule-dashboard] ${record.event}`, record);
};

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

  constructor(level: () => LogLevel, sink: () => LogSink | undefined, now: () => number = Date.now) {
    this.#level = level;
    this.#sink = sink;
    this.#now = now;
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

  #write(level: RecordLevel, event: string, fields: LogFields = {}) {
    const threshold = LOG_LEVELS.includes(this.#level()) ? this.#level() : 'warn';
    if (rank(level) > rank(threshold)) return;
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
