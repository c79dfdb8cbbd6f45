// A @web/test-runner plugin that serves the React and Vue host tests as one ES module each,
// bundled by esbuild. React and Vue's own builds are CommonJS or expect a bundler's
// `process.env.NODE_ENV`, which the runner's per-file transform cannot give; and a React 18 host
// needs `react` to mean React 18 for itself, react-dom and @lit/react alike (an alias for the
// whole bundle). The hosts import the package by its name, so what they test is the build:
// dist/ (run `npm run build` first), the element included.
import { build } from 'esbuild';
import { fileURLToPath } from 'node:url';

/** The test files this plugin bundles: the hosts' own. */
const HOST_TESTS = /^\/test\/(react-18|react-19|vue)\.test\.tsx?$/;
const root = fileURLToPath(new URL('..', import.meta.url));

/** The element from the build, for the shared test helpers too: one definition, the shipped one. */
const builtElement = {
  name: 'built-element',
  setup(bundle) {
    bundle.onResolve({ filter: /\/src\/schedule-dashboard\.js$/ }, () => ({ path: `${root}dist/schedule-dashboard.js` }));
  },
};

/** @returns {import('@web/test-runner').TestRunnerPlugin} */
export function hostBundles() {
  return {
    name: 'host-bundles',
    async serve(context) {
      const host = HOST_TESTS.exec(context.path)?.[1];
      if (!host) return undefined;
      const result = await build({
        entryPoints: [`${root}${context.path.slice(1)}`],
        bundle: true,
        write: false,
        format: 'esm',
        platform: 'browser',
        target: 'es2022',
        conditions: ['production'],
        tsconfig: `${root}tsconfig.hosts.json`,
        sourcemap: 'inline',
        logLevel: 'silent',
        plugins: [builtElement],
        alias: {
          ...(host === 'react-18' && { react: 'react-18', 'react-dom': 'react-dom-18' }),
          // Vue's build with its template compiler: the host's template is a string.
          vue: 'vue/dist/vue.esm-bundler.js',
        },
        define: {
          'process.env.NODE_ENV': '"production"',
          __VUE_OPTIONS_API__: 'true',
          __VUE_PROD_DEVTOOLS__: 'false',
          __VUE_PROD_HYDRATION_MISMATCH_DETAILS__: 'false',
        },
        // The runner's own socket, imported by @web/test-runner-commands at run time.
        external: ['/__web-dev-server__web-socket.js'],
      });
      return { body: result.outputFiles[0].text, type: 'js' };
    },
  };
}
