// `npm run size`: each dist file as shipped (gzip -9) against its budget. The script-tag
// builds ship minified and carry Lit and Socket.IO (about 17 KB gzip of the budget); the
// build for bundlers ships readable, so its minified figure is shown beside it for reference.
// `measureSizes()` is also the bench's size scenario (bench/size.mjs).
import { readFileSync, existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import { minify } from 'vite';

const KB = 1024;
export const SIZE_FILES = [
  { file: 'dist/schedule-dashboard.js', budget: null, note: 'for bundlers; dependencies external' },
  { file: 'dist/schedule-dashboard.bundled.js', budget: 34 * KB, note: '<script type="module">' },
  { file: 'dist/schedule-dashboard.iife.js', budget: 34 * KB, note: '<script src>' },
];

/**
 * Each file's bytes, gzip -9 bytes and minified gzip bytes, and whether it is within its
 * budget. `root`: the package's folder (a file URL). Throws when a file is missing.
 */
export async function measureSizes(root = new URL('../', import.meta.url)) {
  const out = [];
  for (const { file, budget, note } of SIZE_FILES) {
    const path = new URL(file, root);
    if (!existsSync(path)) throw new Error(`${file} is missing: run npm run build first`);
    const code = readFileSync(path, 'utf8');
    const gzip = gzipSync(code, { level: 9 }).length;
    const minified = (await minify(file, code, { compress: true, mangle: true })).code;
    const minifiedGzip = gzipSync(minified, { level: 9 }).length;
    out.push({ file, bytes: code.length, gzip, minifiedGzip, budget, ok: budget === null || gzip <= budget, note });
  }
  return out;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  let sizes;
  try {
    sizes = await measureSizes(new URL(`file://${process.cwd()}/`));
  } catch (error) {
    console.error(error.message);
    process.exit(1);
  }
  const rows = sizes.map((s) => [
    s.file,
    (s.bytes / KB).toFixed(1),
    (s.gzip / KB).toFixed(2),
    (s.minifiedGzip / KB).toFixed(2),
    s.budget ? (s.budget / KB).toFixed(0) : '–',
    s.ok ? 'ok' : 'OVER',
    s.note,
  ]);
  const header = ['file', 'KB', 'gzip KB', 'minified gzip KB', 'budget', '', ''];
  const widths = header.map((_, i) => Math.max(...[header, ...rows].map((r) => String(r[i]).length)));
  for (const row of [header, ...rows]) console.log(row.map((c, i) => String(c).padEnd(widths[i])).join('  ').trimEnd());
  const over = sizes.filter((s) => !s.ok).length;
  if (over) {
    console.error(`${over} file(s) over budget`);
    process.exit(1);
  }
}
