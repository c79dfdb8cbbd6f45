// `npm run bench [-- --quick] [-- --only=render,latency]`: runs the scenarios one after
// another (never in parallel: on two cores they would measure each other), prints one
// table and writes bench/results.json. It asserts no timing; it fails only when a
// scenario cannot run at all.
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import os from 'node:os';
import { launchBrowser } from './lib/browser.mjs';
import { servedBundle } from './lib/page-server.mjs';
import { runRender } from './render.mjs';
import { runLatency } from './latency.mjs';
import { runLeaks } from './leaks.mjs';
import { runStorm } from './storm.mjs';
import { runPolling } from './polling.mjs';
import { runSize } from './size.mjs';
import { runSoak } from './soak.mjs';

const SCENARIOS = [
  { name: 'render', browser: true, run: runRender },
  { name: 'latency', browser: true, run: runLatency },
  { name: 'leaks', browser: true, run: runLeaks },
  { name: 'storm', browser: false, run: runStorm },
  { name: 'polling', browser: false, run: runPolling },
  { name: 'soak', browser: true, run: runSoak },
  { name: 'size', browser: false, run: runSize },
];

const args = process.argv.slice(2);
const quick = args.includes('--quick');
const only = args.find((a) => a.startsWith('--only='))?.slice('--only='.length).split(',');
const selected = SCENARIOS.filter((s) => !only || only.includes(s.name));

const root = new URL('../', import.meta.url);

// The page loads the built bundle; build only when it is missing, since a build empties
// dist/ and other work (tests) may be reading it.
if (!existsSync(new URL('dist/schedule-dashboard.bundled.js', root))) {
  console.log('dist/ is missing: npm run build');
  execFileSync('npm', ['run', 'build'], { cwd: root, stdio: 'inherit' });
}

const git = (...a) => {
  try {
    return execFileSync('git', a, { cwd: root, encoding: 'utf8' }).trim();
  } catch {
    return undefined;
  }
};

const startedAt = Date.now();
const needsBrowser = selected.some((s) => s.browser);
const browser = needsBrowser ? await launchBrowser() : undefined;
const results = {};
let failed = false;
try {
  for (const scenario of selected) {
    const t0 = Date.now();
    process.stdout.write(`${scenario.name}… `);
    try {
      results[scenario.name] = await scenario.run({ browser, quick });
      console.log(`${((Date.now() - t0) / 1000).toFixed(1)} s`);
    } catch (error) {
      failed = true;
      console.log('failed');
      console.error(error);
      results[scenario.name] = { error: String(error?.stack ?? error), rows: [] };
    }
  }
} finally {
  await browser?.close();
}

const meta = {
  date: new Date(startedAt).toISOString(),
  mode: quick ? 'quick' : 'full',
  durationS: Math.round((Date.now() - startedAt) / 100) / 10,
  commit: git('rev-parse', '--short', 'HEAD'),
  uncommittedChanges: Boolean(git('status', '--porcelain')),
  node: process.version,
  chromium: browser?.version(),
  cpus: os.cpus().length,
  cpuModel: os.cpus()[0]?.model,
  memGiB: Math.round(os.totalmem() / 2 ** 30),
  os: `${os.type()} ${os.release()}`,
  bundle: await servedBundle(),
};

// A goal (the issue's, measured in this run against this run's baseline) is shown with
// whether this run met it; it is reported, never asserted.
const goal = (r) => (r.goal ? `${r.goal}: ${r.met ? 'met' : 'not met'}` : '—');
const table = [
  '| scenario | measure | result | baseline | ratio | goal |',
  '|---|---|---|---|---|---|',
  ...Object.entries(results).flatMap(([name, { rows }]) =>
    rows.map((r) => `| ${name} | ${r.measure} | ${r.result} | ${r.baseline ?? '—'} | ${r.ratio ?? '—'} | ${goal(r)} |`),
  ),
].join('\n');

console.log(`\n${meta.mode} run, ${meta.date}, ${meta.durationS} s; Chromium ${meta.chromium ?? '–'}, Node ${meta.node}, ${meta.cpus} CPUs\n`);
console.log(table);
console.log(
  '\nratio = result ÷ baseline. Baselines: render, a naive innerHTML element (the burst ÷ one change, messages alone and one-appointment rows: the element\'s own one change); polling, the same clients without ETag/304; size, the budget.',
);

await writeFile(new URL('results.json', import.meta.url), `${JSON.stringify({ meta, table, results }, null, 2)}\n`);
console.log('written: bench/results.json');
process.exitCode = failed ? 1 : 0;
