import minifyHTML from '@lit-labs/rollup-plugin-minify-html-literals';
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';

// Two library builds (one build cannot keep dependencies external for one format and
// bundle them for another):
//   vite build                 → dist/schedule-dashboard.js, for bundlers (lit and
//                                socket.io-client stay external), and dist/react.js, the
//                                React component (react and @lit/react stay the host's too)
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

/**
 * The script-tag builds carry English only: the element's other languages are files of their
 * own beside the script, imported when a page first needs one (src/i18n/languages.script-tag.ts).
 */
const languagesFromFiles = {
  name: 'languages-from-files',
  enforce: 'pre' as const,
  resolveId(source: string, importer: string | undefined) {
    return source === './languages.js' && importer?.endsWith('/src/i18n/localize.ts')
      ? fileURLToPath(new URL('src/i18n/languages.script-tag.ts', import.meta.url))
      : null;
  },
};

/** `vite build --mode translations`: dist/translations/{de,fr,es}.js, one self-contained ES module each. */
const translations = defineConfig({
  build: {
    target: 'es2022',
    emptyOutDir: false,
    minify: 'terser',
    lib: {
      entry: { de: 'src/i18n/de.ts', fr: 'src/i18n/fr.ts', es: 'src/i18n/es.ts' },
      formats: ['es'],
      fileName: (_format, entry) => `translations/${entry}.js`,
    },
  },
});

export default defineConfig(({ mode }) => {
  if (mode === 'translations') return translations;
  const bundled = mode === 'bundled';
  return {
    // Lit's html`` and css`` literals ship as written, indentation and all: Lit's own plugin
    // minifies them at build time (the source stays readable; the script-tag builds shrink).
    plugins: [minifyHTML(), ...(bundled ? [withoutWebTransport, languagesFromFiles] : [])],
    build: {
      target: 'es2022',
      // The script-tag builds: terser (two passes) finds about 0.3 KB gzip more than Vite's default
      // minifier in code this size; rolldown's own pass then takes out the whitespace that
      // Vite's library mode keeps in an ES module.
      ...(bundled && { minify: 'terser' as const, terserOptions: { module: true, ecma: 2020 as const, compress: { passes: 2 } } }),
      emptyOutDir: !bundled,
      sourcemap: true,
      lib: {
        // The React component is an entry of the bundlers' build only: the script-tag builds
        // (and their size budget) never see React.
        entry: bundled ? 'src/schedule-dashboard.ts' : { 'schedule-dashboard': 'src/schedule-dashboard.ts', react: 'src/react.ts' },
        name: 'ScheduleDashboard',
        formats: bundled ? ['es', 'iife'] : ['es'],
        fileName: (format, entry) =>
          bundled ? `schedule-dashboard.${format === 'es' ? 'bundled' : 'iife'}.js` : `${entry}.js`,
      },
      rolldownOptions: {
        external: bundled ? [] : [/^lit($|\/)/, /^@lit\//, /^socket\.io-client($|\/)/, /^react($|\/)/],
        // The React entry imports the element's entry as it is, not through a shared chunk.
        preserveEntrySignatures: 'allow-extension' as const,
        ...(bundled && { output: { minify: true } }),
      },
    },
  };
});
