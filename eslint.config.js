import tseslint from 'typescript-eslint';
import reactHooks from 'eslint-plugin-react-hooks';

export default tseslint.config(
  { ignores: ['dist/**', 'node_modules/**', 'test-results/**', '.bench/**'] },
  ...tseslint.configs.recommended,
  {
    files: ['**/*.{ts,tsx}'],
    plugins: { 'react-hooks': reactHooks },
    rules: {
      ...reactHooks.configs.recommended.rules,
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/consistent-type-imports': 'error',
      'no-restricted-globals': ['error', 'name', 'event'],
    },
  },
  {
    // zod must be jitless before any schema is built (the CSP forbids eval): src/scenario/zod.ts sees to it.
    files: ['src/**/*.{ts,tsx}'],
    ignores: ['src/scenario/zod.ts', 'src/engine/**'],
    rules: {
      'no-restricted-imports': ['error', { paths: [{ name: 'zod', message: "Import { z } from src/scenario/zod.ts: it makes zod jitless for the page's CSP." }] }],
    },
  },
  {
    // The engine is pure: it runs in a worker and in Node, and is deterministic.
    files: ['src/engine/**/*.ts'],
    rules: {
      'no-restricted-imports': ['error', {
        patterns: [
          { group: ['react', 'react-dom', 'react/*', 'zustand', 'zustand/*', 'd3', 'd3-*', 'zod'], message: 'src/engine stays free of UI and validation libraries.' },
          { group: ['**/ui/**', '**/store/**', '**/worker/**', '**/app/**', '**/scenario/**'], message: 'src/engine must not import the layers above it.' },
        ],
      }],
      'no-restricted-properties': ['error',
        { object: 'Date', property: 'now', message: 'The engine is deterministic: no wall clock.' },
        { object: 'Math', property: 'random', message: 'The engine is deterministic: use the seeded PRNG.' },
      ],
    },
  },
);
