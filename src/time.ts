/**
 * "Today" and times of day, in the practice's time zone, through `Intl` alone.
 */

const formats = new Map<string, Intl.DateTimeFormat>();

function format(locale: string | undefined, options: Intl.DateTimeFormatOptions): Intl.DateTimeFormat {
  const key = `${locale ?? ''}|${JSON.stringify(options)}`;
  let result = formats.get(key);
  if (!result) {
    try {
      result = new Intl.DateTimeFormat(locale, options);
    } catch {
      // An unknown time zone or locale falls back to the browser's rather than throwing.
      const { timeZone: _ignored, ...rest } = options;
      result = new Intl.DateTimeFormat(undefined, rest);
    }
    formats.set(key, result);
  }
  return result;
}

/** Whether `timeZone` is an IANA zone this browser knows. */
export function isValidTimeZone(timeZone: string): boolean {
  try {
    new Intl.DateTimeFormat('en', { timeZone });
    return true;
  } catch {
    return false;
  }
}

/** The calendar day of `at` in `timeZone`, as YYYY-MM-DD. */
export function dayKey(at: Date, timeZone?: string): string {
  const parts = format('en-US', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' }).formatToParts(at);
  const part = (type: string) => parts.find((p) => p.type === type)?.value ?? '';
  return `${part('year')}-${part('month')}-${part('day')}`;
}

/** A time of day, such as "9:30 AM" or "09:30", for `locale` in `timeZone`. */
export function formatTime(at: Date, locale?: string, timeZone?: string): string {
  return format(locale, { timeZone, hour: 'numeric', minute: '2-digit' }).format(at);
}

/** "30 s", "2 min" (or "500 ms"): how often the fallback polls. */
export function formatInterval(ms: number): string {
  if (ms < 1000) return `${Math.round(ms)} ms`;
  const seconds = Math.round(ms / 1000);
  return seconds < 120 ? `${seconds} s` : `${Math.round(seconds / 60)} min`;
}

/** Milliseconds from `at` until the next midnight in `timeZone` (an hour off on a DST night at worst; callers re-check the day). */
export function msUntilMidnight(at: Date, timeZone?: string): number {
  const parts = format('en-US', { timeZone, hour: 'numeric', minute: 'numeric', second: 'numeric', hourCycle: 'h23' }).formatToParts(at);
  const part = (type: string) => Number(parts.find((p) => p.type === type)?.value ?? 0);
  const elapsed = ((part('hour') % 24) * 3600 + part('minute') * 60 + part('second')) * 1000 + at.getMilliseconds();
  return 86400000 - elapsed;
}
