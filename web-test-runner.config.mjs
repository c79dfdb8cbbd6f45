import { existsSync } from 'node:fs';
import { esbuildPlugin } from '@web/dev-server-esbuild';
import { defaultReporter, summaryReporter } from '@web/test-runner';
import { chromeLauncher } from '@web/test-runner-chrome';
import { axTreePlugin } from './test/ax-tree-plugin.mjs';
import { countReporter } from './test/count-reporter.mjs';
import { hostBundles } from './test/host-bundles.mjs';
import { scheduleBackendPlugin } from './demo/server/test-runner-plugin.js';

// Debian's Chromium (see README); CHROME_PATH wins when set.
const executablePath =
  process.env.CHROME_PATH || ['/usr/bin/chromium', '/usr/bin/chromium-browser'].find(existsSync);

/** Debian's Chromium with the suite's flags, and `extra` ones. */
const chrome = (extra = []) =>
  chromeLauncher({
    launchOptions: {
      executablePath,
      args: [
        '--no-sandbox',
        '--disable-gpu',
        '--disable-background-networking',
        '--disable-component-update',
        '--no-first-run',
        ...extra,
      ],
    },
  });

export default {
  // test/*.a11y.test.ts run in their own browser (the group below).
  files: ['test/**/*.test.ts', 'test/**/*.test.tsx', '!test/**/*.a11y.test.ts'],
  nodeResolve: { browser: true, exportConditions: ['production'] },
  // One page at a time: a page in a background tab is `hidden`, and a hidden dashboard
  // pauses its polling by design. (Each test still starts its own backend.)
  concurrency: 1,
  concurrentBrowsers: 1,
  browsers: [chrome()],
  groups: [
    // What a screen reader gets: Chromium's accessibility tree as it builds it when one runs.
    { name: 'screen-reader', files: ['test/**/*.a11y.test.ts'], browsers: [chrome(['--force-renderer-accessibility'])] },
  ],
  plugins: [
    // Before esbuild's per-file transform: the React and Vue host tests are served bundled.
    hostBundles(),
    esbuildPlugin({ ts: true, target: 'es2022', tsconfig: 'tsconfig.json' }),
    scheduleBackendPlugin(),
    axTreePlugin(),
  ],
  reporters: [defaultReporter(), summaryReporter({ flatten: false }), countReporter()],
  testFramework: { config: { timeout: 30000 } },
  testsFinishTimeout: 10 * 60 * 1000,
};
