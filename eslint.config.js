// ESLint (flat config): TypeScript's recommended rules with types, Lit's and the web
// components' recommended rules for the element's source; plain recommended rules for the
// Node side (reference backend, scripts, bench). `npm test` runs it with zero warnings allowed;
// template type checks are lit-analyzer's (`npx lit-analyzer src`, also in `npm test`).
import js from '@eslint/js';
import { configs as lit } from 'eslint-plugin-lit';
import { configs as wc } from 'eslint-plugin-wc';
import globals from 'globals';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  { ignores: ['dist/', 'node_modules/', 'custom-elements.json', 'bench/page/', 'docs/'] },
  js.configs.recommended,
  {
    files: ['src/**/*.ts', 'test/**/*.ts', 'test/**/*.tsx', '*.ts'],
    extends: [...tseslint.configs.recommended],
    languageOptions: { globals: globals.browser },
    rules: {
      // Unused names and private members are tsc's job too (noUnusedLocals/Parameters), and
      // ESLint's private-member rule takes `this.#x ??= …` for a write only.
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      'no-unused-private-class-members': 'off',
    },
  },
  {
    files: ['src/**/*.ts'],
    extends: [lit['flat/recommended'], wc['flat/recommended']],
    settings: { wc: { elementBaseClasses: ['LitElement'] } },
  },
  {
    files: ['**/*.js', '**/*.mjs'],
    languageOptions: { globals: { ...globals.node } },
    // `const { pid, offset, ...auth } = …` leaves out what it names on purpose.
    rules: { 'no-unused-vars': ['error', { ignoreRestSiblings: true }] },
  },
  {
    // Bench scripts hand functions to the page (page.evaluate); fixtures run in the page.
    files: ['bench/**/*.mjs', 'test/fixtures/**/*.js'],
    languageOptions: { globals: { ...globals.node, ...globals.browser } },
  },
);
