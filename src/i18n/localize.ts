/**
 * The element's language (README, "Language"), through Shoelace's localization controller
 * (`@shoelace-style/localize`: a Lit `ReactiveController` with `registerTranslation`, about
 * 0.8 KB gzip). It is bundled into every build, so its registry is the element's own: a page
 * that also uses Shoelace keeps its translations apart from these.
 *
 * The language is `lang` on the element, else on its nearest ancestor, else on the document
 * (Shoelace's own controller looks at the element and the document only); a language the
 * element has no translation for falls back to English, key by key. The direction is the
 * translation's `$dir`, else what `Intl` knows of the language, so `lang="ar"` mirrors the
 * layout even without an Arabic translation.
 */
import { LocalizeController, registerTranslation, type FunctionParams } from '@shoelace-style/localize';
import type { englishTranslation } from './en.js';

import { firstLocale, languageOf } from '../data/time.js';
import { loadLanguage } from './languages.js';

// languages.ts registers English (first: the fallback) and the others it has.
export { englishTranslation, type ScheduleTranslation } from './en.js';
export { registerTranslation };

type TextInfo = { direction?: 'ltr' | 'rtl' };

/**
 * One `Intl.NumberFormat` per language and unit, and one `Intl.PluralRules` per language
 * (Shoelace's `number` makes a formatter per call): rows format their minutes on every
 * render that touches them, and the summary its counts on every render.
 */
const formats = new Map<string, Intl.NumberFormat | Intl.PluralRules>();
function cached<T extends Intl.NumberFormat | Intl.PluralRules>(key: string, make: () => T): T {
  let format = formats.get(key);
  if (!format) formats.set(key, (format = make()));
  return format as T;
}

export class ScheduleLocalize extends LocalizeController<typeof englishTranslation> {
  /** `unavailable(lang)`: the file of a language the element has could not be loaded (it stays in English). */
  constructor(
    host: ConstructorParameters<typeof LocalizeController>[0],
    private readonly unavailable: (lang: string) => void,
  ) {
    super(host);
  }

  /** Before each render: the element's own translation of its language, loaded if it is not here yet. */
  hostUpdate(): void {
    this.hostUpdated();
    const lang = (this.#lang = this.lang());
    this.#words = this.words();
    loadLanguage(lang)?.catch(() => this.unavailable(lang));
  }

  /** After the render: the next one looks the language and its translations up again. */
  hostUpdated(): void {
    this.#lang = this.#words = undefined;
  }

  /**
   * The language of the render under way and its translations, looked up once, not once per
   * phrase (a first render has thousands; Shoelace's `term` makes an `Intl.Locale` each time).
   */
  #lang?: string;
  #words?: readonly unknown[];

  /** Shoelace's `term`, from the render's own translations when they have the phrase. */
  override term<K extends keyof typeof englishTranslation>(key: K, ...args: FunctionParams<(typeof englishTranslation)[K]>): string {
    const words = this.#words?.find((translation) => (translation as Record<K, unknown> | undefined)?.[key]) as Record<K, unknown> | undefined;
    const phrase = words?.[key] as string | ((...args: unknown[]) => string) | undefined;
    return phrase === undefined ? super.term(key, ...args) : typeof phrase === 'function' ? phrase(...args) : phrase;
  }

  /** `lang` on the element, its nearest ancestor or the document; else the browser's; lower case. */
  override lang(): string {
    return this.#lang ?? (languageOf(this.host) ?? firstLocale([navigator.language]) ?? 'en').toLowerCase();
  }

  override dir(): 'ltr' | 'rtl' {
    const lang = this.lang();
    if (this.exists('$dir', { lang })) return this.term('$dir') as 'ltr' | 'rtl';
    try {
      const locale = new Intl.Locale(lang) as Intl.Locale & { getTextInfo?: () => TextInfo; textInfo?: TextInfo };
      return (locale.getTextInfo?.() ?? locale.textInfo)?.direction === 'rtl' ? 'rtl' : 'ltr';
    } catch {
      return 'ltr';
    }
  }

  #unit(count: number, unit: 'minute' | 'second'): string {
    const lang = this.lang();
    return cached(`${lang} ${unit}`, () => new Intl.NumberFormat(lang, { style: 'unit', unit, unitDisplay: 'short' })).format(count);
  }

  /** A whole number as the language writes it. */
  override number(count: number): string {
    const lang = this.lang();
    return cached(lang, () => new Intl.NumberFormat(lang)).format(count);
  }

  /**
   * The translations the words come from (the language's own, by region and by language): new
   * objects when the page registers more of them, or when a file of the language arrives.
   */
  words(): readonly unknown[] {
    // During a render, those it looked up before it began (`hostUpdate`).
    if (this.#words) return this.#words;
    // A public method of Shoelace's controller at run time, typed private.
    const data = (this as unknown as { getTranslationData(lang: string): { primary?: object; secondary?: object } }).getTranslationData(this.lang());
    return [data.primary, data.secondary];
  }

  /** A phrase with a count (`counted` in en.ts): "3 appointments changed", in the language's plural form. */
  count(key: 'changed' | `count.${string}`, count: number): string {
    const lang = this.lang();
    return this.term(key as 'changed', this.number(count), cached(`${lang} plural`, () => new Intl.PluralRules(lang)).select(count));
  }

  /** A duration in whole minutes as the language writes it ("12 min", "12 Min."). */
  minutes(count: number): string {
    return this.#unit(count, 'minute');
  }

  /** An interval ("30 sec", "5 min"), for "updating every …". */
  interval(ms: number): string {
    const seconds = Math.round(ms / 1000);
    if (seconds >= 120) return this.minutes(Math.round(seconds / 60));
    return this.exists('seconds', {}) ? this.term('seconds', this.number(seconds)) : this.#unit(seconds, 'second');
  }
}
