// Scenario 6, size: the dist files as shipped (gzip -9), each against its budget: the same
// measurement as `npm run size` (scripts/size.mjs), so that the bench table carries it too.
// The script-tag builds are minified as shipped; the build for bundlers ships readable and
// has no budget of its own (a host's bundler minifies it), so its minified size is shown.
import { measureSizes } from '../scripts/size.mjs';
import { ratio } from './lib/stats.mjs';

const kb = (bytes) => `${(bytes / 1024).toFixed(2)} KB`;

export async function runSize() {
  const sizes = await measureSizes();
  const rows = sizes.map((s) =>
    s.budget === null
      ? { measure: `${s.file}, gzip (minified: ${kb(s.minifiedGzip)}; ${s.note})`, result: kb(s.gzip) }
      : {
          measure: `${s.file}, gzip as shipped (${s.note}) against its budget`,
          result: kb(s.gzip),
          baseline: kb(s.budget),
          ratio: ratio(s.gzip, s.budget),
          goal: '≤ budget',
          met: s.ok,
        },
  );
  return { rows, raw: sizes };
}
