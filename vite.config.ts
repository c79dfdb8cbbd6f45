import { defineConfig } from 'vite';

// Two library builds (one build cannot keep dependencies external for one format and
// bundle them for another):
//   vite build                 → dist/schedule-dashboard.js, for bundlers (lit and
//                                socket.io-client stay external)
//   vite build --mode bundled  → dist/schedule-dashboard.bundled.js (ES module) and
//                                dist/schedule-dashboard.iife.js (classic script), everything inside
export default defineConfig(({ mode }) => {
  const bundled = mode === 'bundled';
  return {
    build: {
      target: 'es2022',
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
      },
    },
  };
});
