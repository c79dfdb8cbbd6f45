// `npm run size`: each dist file as shipped (gzip -9) against its budget. The script-tag
// builds ship minified and carry Lit and Socket.IO (about 19.5 KB gzip of the budget); the
// build for bundlers ships readable, so its minified figure is shown beside it for reference.
import { readFileSync, existsSync } from 'node:fs';
import { gzipSync } from 'node:zlib';
import { minify } from 'vite';

const KB = 1024;
const files = [
  { file: 'dist/schedule-dashboard.js', budget: null, note: 'for bundlers; dependencies external' },
  { file: 'dist/schedule-dashboard.bundled.js', budget: 34 * KB, note: '<script type="module">' },
  { file: 'dist/schedule-dashboard.iife.js', budget: 34 * KB, note: '<script src>' },
];

let over = 0;
const rows = [];
for (const { file, budget, note } of files) {
  if (!existsSync(file)) {
    console.error(`${file} is missing: run npm run build first`);
    process.exit(1);
  }
  const code = readFileSync(file, 'utf8');
  const gzip = gzipSync(code, { level: 9 }).length;
  const minified = (await minify(file, code, { compress: true, mangle: true })).code;
  const minifiedGzip = gzipSync(minified, { level: 9 }).length;
  const ok = budget === null || gzip <= budget;
  if (!ok) over += 1;
  rows.push([file, (code.length / KB).toFixed(1), (gzip / KB).toFixed(2), (minifiedGzip / KB).toFixed(2), budget ? (budget / KB).toFixed(0) : '–', ok ? 'ok' : 'OVER', note]);
}
const header = ['file', 'KB', 'gzip KB', 'minified gzip KB', 'budget', '', ''];
const widths = header.map((_, i) => Math.max(...[header, ...rows].map((r) => String(r[i]).length)));
for (const row of [header, ...rows]) console.log(row.map((c, i) => String(c).padEnd(widths[i])).join('  ').trimEnd());
if (over) {
  console.error(`${over} file(s) over budget`);
  process.exit(1);
}
