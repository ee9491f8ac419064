// ESLint: typescript-eslint's strict, type-aware rules everywhere, React's hook rules in the client,
// and the layering of the server. Prettier decides the layout (eslint-config-prettier turns the
// formatting rules off); `npm run lint` runs both, and `npm test` runs it.
import js from '@eslint/js';
import prettier from 'eslint-config-prettier';
import reactHooks from 'eslint-plugin-react-hooks';
import globals from 'globals';
import tseslint from 'typescript-eslint';

/** Only the database layer, repositories and the rules that have an SQL form speak SQL. */
const drizzleOnlyInRepositories = {
  name: 'drizzle-orm',
  message: 'Only server/db/, *-repo.ts and *-rules.ts files import drizzle-orm: put the query in a repository.',
};

export default tseslint.config(
  {
    ignores: [
      'node_modules/',
      'dist/',
      'client/dist/',
      'coverage/',
      'test-artifacts/',
      'data/',
      'server/db/migrations/',
      'bench/results/',
    ],
  },
  js.configs.recommended,
  ...tseslint.configs.strictTypeChecked,
  {
    languageOptions: {
      parserOptions: {
        projectService: {
          allowDefaultProject: ['*.mjs', '*.js', 'scripts/*.js', 'client/vite.config.mts'],
        },
        tsconfigRootDir: import.meta.dirname,
      },
      globals: { ...globals.node },
    },
    linterOptions: { reportUnusedDisableDirectives: 'error' },
    rules: {
      // Template literals say numbers and the like in messages; objects and unions would print badly.
      '@typescript-eslint/restrict-template-expressions': ['error', { allowNumber: true, allowBoolean: true }],
      // `return next()` in a middleware, `() => void work()`: the idioms of callbacks that return nothing.
      '@typescript-eslint/no-confusing-void-expression': [
        'error',
        { ignoreArrowShorthand: true, ignoreVoidReturningFunctions: true },
      ],
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      'no-restricted-imports': ['error', { paths: [drizzleOnlyInRepositories] }],
    },
  },
  {
    files: ['server/db/**', '**/*-repo.ts', '**/*-rules.ts', 'test/**', 'bench/**', 'drizzle.config.ts'],
    rules: { 'no-restricted-imports': 'off' },
  },
  {
    // The layers below the resources never reach up into them (docs/architecture.md).
    files: [
      'server/core/**',
      'server/db/**',
      'server/http/**',
      'server/realtime/**',
      'server/crypto/**',
      'server/jobs/**',
    ],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: [drizzleOnlyInRepositories],
          patterns: [
            { group: ['**/resources/**', '**/resources'], message: 'Infrastructure does not import a resource.' },
          ],
        },
      ],
    },
  },
  {
    files: ['server/db/**'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            { group: ['**/resources/**', '**/resources'], message: 'Infrastructure does not import a resource.' },
          ],
        },
      ],
    },
  },
  {
    files: ['client/**/*.{ts,tsx}'],
    ...reactHooks.configs.flat.recommended,
    languageOptions: { globals: { ...globals.browser } },
  },
  {
    files: ['client/**/*.{ts,tsx}'],
    rules: {
      'no-restricted-imports': [
        'error',
        { patterns: [{ group: ['**/server/**'], message: 'The client shares only shared/ with the server.' }] },
      ],
    },
  },
  {
    // Tests may assert that a value is there; an `!` that is wrong fails the test, which is the point.
    files: ['**/*.test.ts', 'test/**', 'bench/**'],
    rules: {
      '@typescript-eslint/no-non-null-assertion': 'off',
      '@typescript-eslint/no-unsafe-member-access': 'off',
      '@typescript-eslint/no-unsafe-assignment': 'off',
      '@typescript-eslint/no-unsafe-argument': 'off',
      '@typescript-eslint/no-unsafe-call': 'off',
      '@typescript-eslint/no-unsafe-return': 'off',
    },
  },
  {
    // Build and tool configuration outside the two TypeScript projects: checked without types.
    files: ['**/*.js', '**/*.mjs', 'client/vite.config.mts'],
    ...tseslint.configs.disableTypeChecked,
  },
  {
    files: ['scripts/*.js', 'jest.config.js'],
    languageOptions: { sourceType: 'commonjs', globals: { ...globals.node } },
    rules: { '@typescript-eslint/no-require-imports': 'off' },
  },
  prettier,
);
