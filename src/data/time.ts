/**
 * "Today" and times of day, in the practice's time zone, through `Intl` alone.
 */

const formats = new Map<string, Intl.DateTimeFormat>();

/** One formatter per (use, locale, zone), made once: rendering a long day formats every row. */
function format(day: boolean, locale: string | undefined, timeZone: string | undefined): Intl.DateTimeFormat {
  const key = `${day}|${locale}|${timeZone}`;
  let result = formats.get(key);
  if (!result) {
    const options: Intl.DateTimeFormatOptions = day
      ? { year: 'numeric', month: '2-digit', day: '2-digit' }
      : { hour: 'numeric', minute: '2-digit' };
    // An unknown locale falls back to the browser's and keeps the time zone; an unknown time
    // zone falls back to the browser's and keeps the locale; nothing throws.
    const tries: Array<[string | undefined, string | undefined]> = [[locale, timeZone], [day ? 'en-US' : undefined, timeZone], [locale, undefined]];
    for (const [l, zone] of tries) {
      try {
        result = new Intl.DateTimeFormat(l, { ...options, timeZone: zone });
        break;
      } catch {
        // the next, simpler one
      }
    }
    result ??= new Intl.DateTimeFormat(day ? 'en-US' : undefined, options);
    formats.set(key, result);
  }
  return result;
}

const HOUR = 60 * 60 * 1000;

/**
 * Days already worked out, by zone and hour (UTC). An hour whose first and last moments fall on
 * the same day is all of that day (dates only move forward), whatever the zone's offset; the
 * hour in which a day ends (`null`) is worked out each time. Every change event asks for the
 * day of its start, and `formatToParts` is costly; a day is about 24 entries a zone.
 */
const days = new Map<string | undefined, Map<number, string | null>>();

function dayOf(at: number, timeZone: string | undefined): string {
  const parts = format(true, 'en-US', timeZone).formatToParts(at);
  const part = (type: string) => parts.find((p) => p.type === type)?.value;
  return `${part('year')}-${part('month')}-${part('day')}`;
}

/** The calendar day of `at` in `timeZone`, as YYYY-MM-DD. */
export function dayKey(at: Date, timeZone?: string): string {
  const hour = Math.floor(at.getTime() / HOUR);
  let zone = days.get(timeZone);
  if (!zone) days.set(timeZone, (zone = new Map()));
  let day = zone.get(hour);
  if (day === undefined) {
    const first = dayOf(hour * HOUR, timeZone);
    day = first === dayOf(hour * HOUR + HOUR - 1, timeZone) ? first : null;
    // A screen left running for weeks starts afresh.
    if (zone.size >= 1000) zone.clear();
    zone.set(hour, day);
  }
  return day ?? dayOf(at.getTime(), timeZone);
}

/** A time of day, such as "9:30 AM" or "09:30", for `locale` in `timeZone`. */
export function formatTime(at: Date, locale?: string, timeZone?: string): string {
  return timeFormatter(locale, timeZone)(at);
}

/**
 * The function that formats times of day for `locale` in `timeZone`: the same function for
 * the same pair (a formatter's `format` is bound once), so it is also a cheap test of "same
 * locale and zone" (a row whose formatter and appointment are unchanged keeps its time).
 */
export function timeFormatter(locale?: string, timeZone?: string): (at: Date) => string {
  return format(false, locale, timeZone).format;
}

/** The first of `tags` that `Intl` knows (an invalid one, such as `en_US`, is passed over). */
export function firstLocale(tags: ReadonlyArray<string | null | undefined>): string | undefined {
  return tags.find((tag): tag is string => {
    if (!tag) return false;
    try {
      return Intl.getCanonicalLocales(tag).length > 0;
    } catch {
      return false;
    }
  });
}

/**
 * The nearest `lang`: the element's own (its property first: Lit renders before it reflects a
 * new `lang` to the attribute), else its nearest ancestor's, else the page's; each only when
 * `Intl` knows it. `closest` stops at a shadow root, so inside a host app's shadow DOM the
 * page's `lang` applies. The element's words follow it (src/i18n/localize.ts), and so do its
 * times unless `locale` says otherwise.
 */
export function languageOf(element: HTMLElement): string | undefined {
  return firstLocale([element.lang, element.closest('[lang]')?.getAttribute('lang'), document.documentElement.lang]);
}

/**
 * The locale an element formats times in: its `locale`, else its language (`languageOf`); an
 * invalid one, such as `en_US`, falls through to the next, and the time zone is kept.
 */
export function localeOf(element: HTMLElement & { readonly locale?: string }): string | undefined {
  return firstLocale([element.locale]) ?? languageOf(element);
}
