import minifyHTML from '@lit-labs/rollup-plugin-minify-html-literals';
import { defineConfig } from 'vite';

// Two library builds (one build cannot keep dependencies external for one format and
// bundle them for another):
//   vite build                 → dist/schedule-dashboard.js, for bundlers (lit and
//                                socket.io-client stay external)
//   vite build --mode bundled  → dist/schedule-dashboard.bundled.js (ES module) and
//                                dist/schedule-dashboard.iife.js (classic script), everything inside
/**
 * The script-tag builds leave out Engine.IO's WebTransport transport: the element's transports
 * are `websocket` and `polling` (README, "Attributes and properties"), and the 34 KB budget
 * has no room for a third. Engine.IO's transport table still names it, so it gets a stand-in
 * that refuses to open (never reached: the element drops the name `webtransport`).
 */
const withoutWebTransport = {
  name: 'without-webtransport',
  enforce: 'pre' as const,
  resolveId(source: string, importer: string | undefined) {
    return source === './webtransport.js' && importer?.includes('engine.io-client') ? '\0webtransport-stand-in' : null;
  },
  load(id: string) {
    return id === '\0webtransport-stand-in'
      ? 'export class WT { constructor() { throw new Error("WebTransport is not in this build"); } }'
      : null;
  },
};

export default defineConfig(({ mode }) => {
  const bundled = mode === 'bundled';
  return {
    // Lit's html`` and css`` literals ship as written, indentation and all: Lit's own plugin
    // minifies them at build time (the source stays readable; the script-tag builds shrink).
    plugins: [minifyHTML(), ...(bundled ? [withoutWebTransport] : [])],
    build: {
      target: 'es2022',
      // The script-tag builds: terser (two passes) finds about 0.3 KB gzip more than Vite's default
      // minifier in code this size; rolldown's own pass then takes out the whitespace that
      // Vite's library mode keeps in an ES module.
      ...(bundled && { minify: 'terser' as const, terserOptions: { module: true, ecma: 2020 as const, compress: { passes: 2 } } }),
      emptyOutDir: !bundled,
      sourcemap: true,
      lib: {
        entry: 'src/schedule-dashboard.ts',
        name: 'ScheduleDashboard',
        formats: bundled ? ['es', 'iife'] : ['es'],
        fileName: (format) =>
          bundled ? `schedule-dashboard.${format === 'es' ? 'bundled' : 'iife'}.js` : 'schedule-dashboard.js',
      },
      rolldownOptions: {
        external: bundled ? [] : [/^lit($|\/)/, /^@lit\//, /^socket\.io-client($|\/)/],
        ...(bundled && { output: { minify: true } }),
      },
    },
  };
});
