// The element's own REST rules, for clients in Node: its schedule feed (src/data/schedule-feed.ts:
// the single-flight fetcher, ETag/If-None-Match, the catch-up retried while live, the reconciling
// fetch after a reconnect and its random spread) and its configuration reader, run as they are.
// Node 20 cannot run TypeScript: the files are transpiled (types stripped, no type checking)
// into node_modules/.cache, keeping their layout so that their own imports resolve. The view
// and the element are left out: the feed imports neither.
import { mkdir, readdir, readFile, writeFile } from 'node:fs/promises';
import ts from 'typescript';

const src = new URL('../../src/', import.meta.url);
const cacheDir = new URL('../../node_modules/.cache/schedule-dashboard-bench/src/', import.meta.url);

/** Transpiles src/ (without view/ and the element) and loads what a feed needs. */
export async function loadElementFeed() {
  const files = (await readdir(src, { recursive: true })).filter(
    (f) => f.endsWith('.ts') && !f.startsWith('view/') && !f.startsWith('schedule-dashboard'),
  );
  for (const file of files) {
    const { outputText } = ts.transpileModule(await readFile(new URL(file, src), 'utf8'), {
      compilerOptions: { module: ts.ModuleKind.ESNext, target: ts.ScriptTarget.ES2022 },
      fileName: file,
    });
    const out = new URL(file.replace(/\.ts$/, '.js'), cacheDir);
    await mkdir(new URL('.', out), { recursive: true });
    await writeFile(out, outputText);
  }
  const load = (/** @type {string} */ file) => import(new URL(file, cacheDir).href);
  const [{ ScheduleFeed }, { resolveConfig }, { MetricsRecorder }, { StructuredLogger }, { dayKey }] = await Promise.all(
    ['data/schedule-feed.js', 'config.js', 'metrics.js', 'logging.js', 'data/time.js'].map(load),
  );

  /**
   * One dashboard's feed against `serverUrl`, configured by the element's attributes (as
   * properties: `{ pollInterval: 30000 }`), silent, rendering nothing.
   * @param {string} serverUrl
   * @param {{ live: () => boolean, attributes?: Record<string, unknown> }} options
   */
  return function elementFeed(serverUrl, { live, attributes = {} }) {
    const config = resolveConfig({ serverUrl, ...attributes }, () => {});
    const metrics = new MetricsRecorder();
    const feed = new ScheduleFeed({
      config: () => config,
      today: () => dayKey(new Date(), config.timeZone),
      token: async () => undefined,
      loader: () => undefined,
      rendered: () => Promise.resolve(),
      metrics,
      log: new StructuredLogger(() => 'silent', () => undefined),
      now: Date.now,
      fresh: () => {},
      updated: () => {},
      error: () => {},
      refused: () => {},
      live,
    });
    return { feed, metrics, config };
  };
}
