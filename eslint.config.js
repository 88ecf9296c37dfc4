// @ts-check
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

/**
 * Correctness rules only, no formatting: the recommended sets of ESLint and typescript-eslint,
 * without type information so `npm run lint` stays quick. `any` is allowed in tests and benches
 * (they read JSON answers); in src/ it needs a disable comment, and a comment that disables
 * nothing is an error.
 */
export default tseslint.config(
  { ignores: ['node_modules/', 'test-results/', '.wrangler/', 'dist/', 'src/console/public/'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    linterOptions: { reportUnusedDisableDirectives: 'error' },
    rules: {
      // A leading underscore names what is left out on purpose (`const { at: _at, ...rest } = report`).
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrors: 'none', ignoreRestSiblings: true }],
      // Terminal escapes and NUL bytes are matched on purpose (logs, protobuf, body checks).
      'no-control-regex': 'off',
      // Style rather than correctness; on, they would only churn lines.
      'prefer-const': 'off',
      'no-useless-escape': 'off',
      'no-useless-assignment': 'off',
    },
  },
  {
    files: ['test/**', 'bench/**', 'scripts/**'],
    rules: {
      '@typescript-eslint/no-explicit-any': 'off',
      // Tests chain a side effect into a wait condition (`(await step(), true) && …`) and assert
      // presence with `!` after optional chains.
      'no-constant-binary-expression': 'off',
      '@typescript-eslint/no-non-null-asserted-optional-chain': 'off',
      'no-regex-spaces': 'off',
    },
  },
);
