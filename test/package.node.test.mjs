// What `npm pack` ships (README, "Distribution"; contract §13): exactly dist/ (the three builds,
// the script-tag builds' translations, the React component and the typings), the manifest and the editor data, the reference
// backend, README, CHANGELOG and LICENSE; and every path package.json names is among them.
// Run after `npm run build` (dist/ is what is packed).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';

const packageJson = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8'));
const [packed] = JSON.parse(
  execFileSync('npm', ['pack', '--dry-run', '--json', '--ignore-scripts'], {
    cwd: new URL('..', import.meta.url),
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'ignore'],
  }),
);
const files = packed.files.map((file) => file.path);

/** Each file of the package has one of these places. */
const SHIPPED = [
  /^dist\/schedule-dashboard(\.bundled|\.iife)?\.js(\.map)?$/,
  /^dist\/react\.js(\.map)?$/,
  /^dist\/translations\/(de|fr|es)\.js$/,
  /^dist\/types\/.+\.d\.ts$/,
  /^demo\/server\/[\w-]+\.js$/,
  /^(custom-elements|vscode\.html-custom-data|web-types)\.json$/,
  /^(README|CHANGELOG)\.md$/,
  /^LICENSE$/,
  /^package\.json$/,
];

test('npm pack ships nothing beyond dist/, the manifest, the editor data, the backend and the documents', () => {
  const stray = files.filter((file) => !SHIPPED.some((place) => place.test(file)));
  assert.deepEqual(stray, []);
});

test('npm pack ships every build, the typings for hosts, the backend, README, CHANGELOG and LICENSE', () => {
  for (const file of [
    'dist/schedule-dashboard.js',
    'dist/schedule-dashboard.bundled.js',
    'dist/schedule-dashboard.iife.js',
    'dist/react.js',
    'dist/translations/de.js',
    'dist/translations/fr.js',
    'dist/translations/es.js',
    'dist/types/schedule-dashboard.d.ts',
    'dist/types/react.d.ts',
    'dist/types/react-jsx.d.ts',
    'dist/types/vue.d.ts',
    'custom-elements.json',
    'vscode.html-custom-data.json',
    'web-types.json',
    'demo/server/backend.js',
    'demo/server/test-runner-plugin.js',
    'README.md',
    'CHANGELOG.md',
    'LICENSE',
  ]) {
    assert.ok(files.includes(file), `${file} is packed`);
  }
});

test('every path package.json points at is packed', () => {
  const targets = (value) => (typeof value === 'string' ? [value] : Object.values(value).flatMap(targets));
  const named = [
    ...targets(packageJson.exports),
    packageJson.main,
    packageJson.module,
    packageJson.types,
    packageJson.unpkg,
    packageJson.customElements,
    packageJson['web-types'],
    ...packageJson.contributes.html.customData,
    ...packageJson.sideEffects.filter((path) => path.startsWith('./dist/')),
  ];
  for (const path of named) assert.ok(files.includes(path.replace(/^\.\//, '')), `${path} is packed`);
});

test('LICENSE is the MIT licence package.json names', () => {
  assert.equal(packageJson.license, 'MIT');
  assert.match(readFileSync(new URL('../LICENSE', import.meta.url), 'utf8'), /^MIT License\n/);
});

test("README's React and Vue examples are the hosts the browser suite type-checks and runs", () => {
  const readme = readFileSync(new URL('../README.md', import.meta.url), 'utf8');
  /** The code blocks of the README section under `heading`, in order. */
  const blocks = (heading) => {
    const section = readme.slice(readme.indexOf(`\n${heading}\n`)).split(/\n#{2,3} /)[1];
    return [...section.matchAll(/```(tsx|ts)\n([\s\S]*?)```/g)].map((match) => match[2]);
  };
  const host = (file) => readFileSync(new URL(`./hosts/${file}`, import.meta.url), 'utf8');
  assert.deepEqual(blocks('### React 19'), [host('front-desk.tsx'), host('waiting-room.tsx')]);
  assert.deepEqual(blocks('### Vue 3'), [host('vue-front-desk.ts')]);
});
