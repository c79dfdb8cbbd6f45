/**
 * The words for a problem, from the translations: the element's error line in its language,
 * and `schedule-error`'s `message` in English (for logs and support), so that the English is
 * written once, in en.ts.
 */
import type { ErrorCause } from '../events.js';
import { englishTranslation } from './en.js';

/** Looks a phrase up in a language and fills in its arguments (`ScheduleLocalize.term`). */
export type Term = (key: keyof typeof englishTranslation, ...args: string[]) => string;

/** English, for `schedule-error`'s `message`. */
export const inEnglish: Term = (key, ...args) => {
  const phrase = englishTranslation[key] as unknown as string | ((...args: string[]) => string);
  return typeof phrase === 'function' ? phrase(...args) : phrase;
};

/** What failed, in words: "Could not load today's appointments (server error, HTTP 500).". */
export function errorWords(error: ErrorCause, term: Term): string {
  switch (error.kind) {
    case 'fetch':
      // A reason with no words of its own (none today) reads as "the answer could not be used".
      return term('loadFailed', term(`reason.${error.reason}` in englishTranslation ? (`reason.${error.reason}` as 'reason.http') : 'reason.unusable', String(error.status ?? '')));
    case 'payload':
      return term('updateRejected');
    case 'auth':
      return term('signInRequired');
    case 'socket':
      return term(error.reason === 'invalid-namespace' ? 'unknownNamespace' : 'socketGaveUp');
  }
}
