// `npm test`: everything CI checks, in order, each step counted, ending with one line
// "N passed, N failed" (also written to $SCHEDULE_TEST_COUNTS when set).
//
//   1. type-check (tsc)                          one check
//      lint (ESLint, zero warnings)              one check
//      template types (lit-analyzer --strict)    one check
//   2. build the three distributions             one check
//   3. custom-elements.json and the editor data are fresh   one check
//      the React and Vue hosts type-check (tsc)                one check
//   4. size budgets                              one check
//   5. the reference backend, the demo page and what npm pack ships (node --test)   each test
//   6. the browser suite (@web/test-runner)      each test
//   (with SCHEDULE_BENCH=1, as in CI: `npm run bench -- --quick` too, one check)
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

let passed = 0;
let failed = 0;
const failures = [];

const run = (command, args, options = {}) => {
  console.log(`\n== ${[command, ...args].join(' ')}`);
  return spawnSync(command, args, { stdio: options.capture ? ['ignore', 'pipe', 'inherit'] : 'inherit', encoding: 'utf8', env: { ...process.env, ...options.env } });
};

const check = (name, ok) => {
  if (ok) passed += 1;
  else {
    failed += 1;
    failures.push(name);
  }
};

check('type-check', run('npx', ['tsc', '--noEmit', '-p', '.']).status === 0);
check('lint', run('npx', ['eslint', '--max-warnings', '0', '.']).status === 0);
// Its CSS check knows the CSS of 2020 (no `content-visibility`): templates and bindings are what it is for.
check('template types', run('npx', ['lit-analyzer', '--strict', '--maxWarnings', '0', '--rules.no-invalid-css', 'off', 'src/**/*.ts']).status === 0);
check('build', run('npm', ['run', '--silent', 'build']).status === 0);

// The analyzer takes --outdir relative to the working directory, and points package.json's
// "customElements" at wherever it wrote: put package.json back as it was. Its plugins
// (custom-elements-manifest.config.mjs) write the editor data beside the manifest.
const manifestDir = join('node_modules', '.cache', 'cem-check');
const generated = ['custom-elements.json', 'vscode.html-custom-data.json', 'web-types.json'];
const packageJson = readFileSync('package.json', 'utf8');
const analyzed = run('npx', ['cem', 'analyze', '--litelement', '--globs', 'src/**/*.ts', '--outdir', manifestDir]);
writeFileSync('package.json', packageJson);
const stale = generated.filter((file) => {
  try {
    return analyzed.status !== 0 || readFileSync(join(manifestDir, file), 'utf8') !== readFileSync(file, 'utf8');
  } catch {
    return true; // not written (the analyzer failed) or not committed
  }
});
rmSync(manifestDir, { recursive: true, force: true });
if (stale.length) console.error(`${stale.join(', ')} stale: run npm run analyze and commit the result`);
check('custom-elements.json and the editor data are fresh', stale.length === 0);

// The React 19, React 18 and Vue hosts of the browser suite, type-checked strictly against
// the package's own typings as a host sees them (dist/types, through package.json "exports").
check('host typings', run('npx', ['tsc', '--noEmit', '-p', 'tsconfig.hosts.json']).status === 0);

check('size budgets', run('node', ['scripts/size.mjs']).status === 0);

// CI also runs the benchmark briefly, so that it never rots (it asserts no timing).
if (process.env.SCHEDULE_BENCH === '1') check('benchmark (quick)', run('node', ['bench/run.mjs', '--quick']).status === 0);

const node = run('node', ['--test', '--test-reporter=tap', 'test/backend.node.test.mjs', 'test/package.node.test.mjs', 'test/demo-page.node.test.mjs'], { capture: true });
process.stdout.write(node.stdout ?? '');
const tap = (label) => Number((node.stdout ?? '').match(new RegExp(`^# ${label} (\\d+)`, 'm'))?.[1] ?? 0);
passed += tap('pass');
failed += tap('fail');
if (node.status !== 0 && tap('fail') === 0) check('backend tests ran', false);

const countsFile = join(mkdtempSync(join(tmpdir(), 'wtr-')), 'counts');
const browser = run('npx', ['web-test-runner'], { env: { SCHEDULE_TEST_COUNTS: countsFile } });
let counts = '';
try {
  counts = readFileSync(countsFile, 'utf8');
} catch {
  // The runner wrote no counts (it crashed): counted below as "browser tests ran" failing.
}
const match = counts.match(/(\d+) passed, (\d+) failed/);
if (match) {
  passed += Number(match[1]);
  failed += Number(match[2]);
} else {
  check('browser tests ran', false);
}
if (browser.status !== 0 && match && Number(match[2]) === 0) check('browser test runner exited cleanly', false);

if (failures.length) console.log(`\nFailed checks: ${failures.join(', ')}`);
const line = `${passed} passed, ${failed} failed`;
if (process.env.SCHEDULE_TEST_COUNTS) writeFileSync(process.env.SCHEDULE_TEST_COUNTS, `${line}\n`);
console.log(`\n${line}`);
process.exit(failed === 0 ? 0 : 1);
