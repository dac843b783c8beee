import eslint from '@eslint/js';
import prettier from 'eslint-config-prettier';
import reactHooks from 'eslint-plugin-react-hooks';
import tseslint from 'typescript-eslint';

/** Read configuration through AppConfig, not process.env. */
const noProcessEnv = {
  selector: "MemberExpression[object.name='process'][property.name='env']",
  message: 'Read configuration through AppConfig (libs/core/src/config).',
};

/** SQL text: a string or the start of a template that begins with a statement's first keyword. */
const SQL_START = '/^\\s*(SELECT|INSERT INTO|UPDATE|DELETE FROM|WITH)\\s/';
const SQL_PLACE =
  "SQL lives in *.repository.ts and *.adapter.ts files (and migrations): move this statement to the owning domain's repository.";
const sqlOutsideRepositories = [
  { selector: `Literal[value=${SQL_START}]`, message: SQL_PLACE },
  { selector: `TemplateLiteral > TemplateElement:first-child[value.raw=${SQL_START}]`, message: SQL_PLACE },
];

export default tseslint.config(
  { ignores: ['dist/**', 'node_modules/**', 'data/**', 'coverage/**', '*.js', '*.mjs'] },
  eslint.configs.recommended,
  ...tseslint.configs.recommended,
  prettier,
  {
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/no-non-null-assertion': 'off',
      'no-restricted-syntax': ['error', noProcessEnv],
    },
  },
  {
    files: ['apps/**/*.ts', 'apps/**/*.tsx', 'libs/**/*.ts'],
    ignores: [
      '**/*.repository.ts',
      '**/*.adapter.ts',
      '**/*.spec.ts',
      '**/*.integration-spec.ts',
      '**/*.contract.ts',
    ],
    rules: { 'no-restricted-syntax': ['error', noProcessEnv, ...sqlOutsideRepositories] },
  },
  {
    // Type-aware rules: a promise nobody awaits or handles, a promise where a plain value is
    // expected, awaiting a non-promise, and a switch that misses a case of a union.
    files: ['**/*.ts', '**/*.tsx'],
    languageOptions: { parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname } },
    rules: {
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-misused-promises': 'error',
      '@typescript-eslint/await-thenable': 'error',
      '@typescript-eslint/switch-exhaustiveness-check': [
        'error',
        { considerDefaultExhaustiveForUnions: true },
      ],
    },
  },
  {
    // The console: hooks called unconditionally, and effects that name what they read.
    files: ['apps/console/src/**/*.tsx', 'apps/console/src/**/*.ts'],
    plugins: { 'react-hooks': reactHooks },
    rules: {
      'react-hooks/rules-of-hooks': 'error',
      // useLoad(load, deps) is checked like useEffect: deps must name what load reads.
      'react-hooks/exhaustive-deps': ['error', { additionalHooks: '^useLoad$' }],
    },
  },
  {
    // The console's unit specs sit outside its tsconfig (they run under jest): lint them untyped.
    files: ['apps/console/src/**/*.spec.ts'],
    ...tseslint.configs.disableTypeChecked,
  },
  {
    // The benchmark, like the tests, is a harness around the app: it sets the app's environment.
    files: [
      'libs/core/src/config/**/*.ts',
      'test/**/*.ts',
      '**/*.spec.ts',
      '**/*.integration-spec.ts',
      'apps/*/src/main.ts',
      'bench/**/*.ts',
    ],
    rules: { 'no-restricted-syntax': 'off' },
  },
);
