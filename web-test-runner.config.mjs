import { existsSync } from 'node:fs';
import { esbuildPlugin } from '@web/dev-server-esbuild';
import { defaultReporter, summaryReporter } from '@web/test-runner';
import { chromeLauncher } from '@web/test-runner-chrome';
import { countReporter } from './test/count-reporter.mjs';
import { hostBundles } from './test/host-bundles.mjs';
import { scheduleBackendPlugin } from './demo/server/test-runner-plugin.js';

// Debian's Chromium (see README); CHROME_PATH wins when set.
const executablePath =
  process.env.CHROME_PATH || ['/usr/bin/chromium', '/usr/bin/chromium-browser'].find(existsSync);

export default {
  files: ['test/**/*.test.ts', 'test/**/*.test.tsx'],
  nodeResolve: { browser: true, exportConditions: ['production'] },
  // One page at a time: a page in a background tab is `hidden`, and a hidden dashboard
  // pauses its polling by design. (Each test still starts its own backend.)
  concurrency: 1,
  concurrentBrowsers: 1,
  browsers: [
    chromeLauncher({
      launchOptions: {
        executablePath,
        args: [
          '--no-sandbox',
          '--disable-gpu',
          '--disable-background-networking',
          '--disable-component-update',
          '--no-first-run',
        ],
      },
    }),
  ],
  plugins: [
    // Before esbuild's per-file transform: the React and Vue host tests are served bundled.
    hostBundles(),
    esbuildPlugin({ ts: true, target: 'es2022', tsconfig: 'tsconfig.json' }),
    scheduleBackendPlugin(),
  ],
  reporters: [defaultReporter(), summaryReporter({ flatten: false }), countReporter()],
  testFramework: { config: { timeout: 30000 } },
  testsFinishTimeout: 10 * 60 * 1000,
};
