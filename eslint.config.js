// @ts-check
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import reactHooks from 'eslint-plugin-react-hooks';

const restrict = (patterns, message) => [
  'error',
  { patterns: patterns.map((group) => ({ group, message })) },
];

export default tseslint.config(
  {
    ignores: [
      'node_modules',
      'dist',
      'release',
      '.tsbuild',
      'coverage',
      '.data',
      '**/*.mjs',
      'eslint.config.js',
    ],
  },
  js.configs.recommended,
  ...tseslint.configs.recommendedTypeChecked,
  {
    languageOptions: {
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
    },
    rules: {
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/consistent-type-imports': 'error',
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_', destructuredArrayIgnorePattern: '^_' },
      ],
      'no-console': 'error',
    },
  },
  {
    files: ['renderer/**/*.{ts,tsx}'],
    plugins: { 'react-hooks': reactHooks },
    rules: { ...reactHooks.configs.recommended.rules },
  },
  {
    files: ['shared/**/*.ts'],
    rules: {
      'no-restricted-imports': restrict(
        [
          [
            'electron',
            'electron/*',
            'react',
            'react-*',
            'rxdb',
            'rxdb/*',
            'dexie',
            'node:*',
            'fs',
            'path',
            'http',
            '@mui/*',
          ],
        ],
        'shared/ is pure: no electron, react, rxdb, DOM or node imports.',
      ),
    },
  },
  {
    files: ['renderer/**/*.{ts,tsx}'],
    ignores: ['renderer/src/data/**'],
    rules: {
      'no-restricted-imports': restrict(
        [['rxdb', 'rxdb/*', 'dexie', 'electron']],
        'Only renderer/src/data imports rxdb; the renderer never imports electron.',
      ),
    },
  },
  {
    files: ['test/**/*.ts'],
    rules: {
      '@typescript-eslint/no-non-null-assertion': 'off',
      // expect.any()/stringMatching() matchers are typed any by design.
      '@typescript-eslint/no-unsafe-assignment': 'off',
      'no-console': 'off',
    },
  },
);
