// Lint: typescript-eslint's recommended rules over all TS; Astro files are checked by `astro check`.
import tseslint from 'typescript-eslint';

export default tseslint.config(
  {
    ignores: [
      'node_modules/',
      'site/dist/',
      'site/.astro/',
      'data/*.db*',
      '.tmp/',
      'test/fixtures/**/node_modules/',
    ],
  },
  ...tseslint.configs.recommended,
  {
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/consistent-type-imports': 'error',
    },
  },
);
