/**
 * The languages beside English, in the script-tag builds (Vite swaps this file in for
 * `languages.ts`): each is a small ES module beside the script (`translations/de.js`,
 * `fr.js`, `es.js` in `dist/`), imported the first time an element needs it. Until it has
 * arrived (a few milliseconds from the same server), the element shows English.
 */
import { registerTranslation } from '@shoelace-style/localize';
import { englishTranslation } from './en.js';

// English first: Shoelace's fallback for a missing key is the first translation registered.
registerTranslation(englishTranslation);

/** Where the script was loaded from: `document.currentScript` while a classic script runs, else the module's URL. */
const base = (document.currentScript as HTMLScriptElement | null)?.src || import.meta.url;

const loads = new Map<string, Promise<unknown>>();

/** See `languages.ts`: imports `translations/<language>.js` once per page and registers it. */
export function loadLanguage(lang: string): Promise<unknown> | undefined {
  const code = lang.split('-')[0]!;
  if (!['de', 'fr', 'es'].includes(code) || loads.has(code)) return undefined;
  // An async function: a base that cannot take a relative URL (a blob: script) rejects too.
  const load = (async () => registerTranslation((await import(/* @vite-ignore */ new URL(`translations/${code}.js`, base).href)).default))();
  loads.set(code, load);
  return load;
}
