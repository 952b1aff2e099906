import js from '@eslint/js';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  { ignores: ['**/dist/**', '**/node_modules/**', '**/build/**', '.nx/**', 'coverage/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: {
      globals: { process: 'readonly', console: 'readonly', URL: 'readonly' },
    },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
    },
  },
  // Package boundaries: layers point one way (ir <- passes <- backend-llvm <- runtime <- tools, the JS
  // frontend beside the passes), and a package reaches another only through its public entries.
  ...boundaries(),
);

function boundaries() {
  const layers = {
    ir: [],
    'frontend-rvsdg': ['@rvsdg/ir'],
    passes: ['@rvsdg/ir'],
    'backend-llvm': ['@rvsdg/ir', '@rvsdg/passes'],
    runtime: ['@rvsdg/ir', '@rvsdg/passes', '@rvsdg/frontend', '@rvsdg/backend-llvm'],
  };
  const all = ['@rvsdg/ir', '@rvsdg/passes', '@rvsdg/frontend', '@rvsdg/backend-llvm', '@rvsdg/runtime'];
  const deep = {
    regex: '^@rvsdg/[^/]+/(?!testing$).+',
    message: "import a toolkit package through its public entry ('@rvsdg/x' or '@rvsdg/x/testing'), not its files",
  };
  const relative = {
    regex: '^(\\.\\./)+(packages/)?(ir|passes|frontend-rvsdg|backend-llvm|runtime|tools)/(src|dist)/',
    message: 'import another package by its name, not by a relative path into its files',
  };
  const rule = (allowed) => [
    'error',
    {
      paths: all
        .filter((name) => !allowed.includes(name))
        .map((name) => ({ name, message: `this package's layer may not depend on ${name}` })),
      patterns: [deep, relative],
    },
  ];
  return Object.entries(layers).flatMap(([dir, allowed]) => [
    { files: [`packages/${dir}/src/**/*.ts`], rules: { 'no-restricted-imports': rule(allowed) } },
    // Tests may use the layers above for integration: passes' tests build modules with the JS frontend.
    {
      files: [`packages/${dir}/src/**/*.test.ts`, `packages/${dir}/src/test-support/**/*.ts`],
      rules: { 'no-restricted-imports': rule(dir === 'passes' ? [...allowed, '@rvsdg/frontend'] : allowed) },
    },
  ]);
}
