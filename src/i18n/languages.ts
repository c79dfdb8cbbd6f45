/**
 * The languages beside English, in the build for bundlers: all three are in it, registered
 * when the element's module loads. (The script-tag builds load each from a file of its own
 * when a page first asks for it, to stay within their size budget: `languages.script-tag.ts`.)
 */
import { registerTranslation } from '@shoelace-style/localize';
import germanTranslation from './de.js';
import { englishTranslation } from './en.js';
import spanishTranslation from './es.js';
import frenchTranslation from './fr.js';

// English first: Shoelace's fallback for a missing key is the first translation registered.
registerTranslation(englishTranslation, germanTranslation, frenchTranslation, spanishTranslation);

/**
 * Makes sure the element's own translation of `lang` (`de-AT` → `de`) is registered; resolves
 * once it is, rejects when it could not be had. Undefined when there is nothing to do.
 */
export function loadLanguage(_lang: string): Promise<unknown> | undefined {
  return undefined;
}
