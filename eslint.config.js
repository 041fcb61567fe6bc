import js from '@eslint/js';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  {
    ignores: [
      'dist/**', 'node_modules/**', 'site/dist/**', 'site/.astro/**', '.astro/**',
      // Installed third-party tools and result caches, not this project's code.
      '.tools/**', '.cache/**',
      // Example projects with deliberate findings; each is linted by its own example, not by this config.
      'catalog/tools/*/examples/**',
    ],
  },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_' }],
      // Added to eslint:recommended in ESLint 10; kept off so the rule set matches ESLint 9's.
      'preserve-caught-error': 'off',
      'no-useless-assignment': 'off',
    },
  },
);
