import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

const here = (path: string): string => fileURLToPath(new URL(path, import.meta.url));

/**
 * Tests import sibling packages from their sources, so a test run needs no
 * build of the packages it depends on (the build is type-checked separately).
 */
export default defineConfig({
  resolve: {
    alias: [
      { find: /^@rvsdg\/ir\/testing$/, replacement: here('./packages/ir/src/testing/index.ts') },
      { find: /^@rvsdg\/ir$/, replacement: here('./packages/ir/src/index.ts') },
      { find: /^@rvsdg\/frontend\/testing$/, replacement: here('./packages/frontend-rvsdg/src/js/testing/corpus.ts') },
      { find: /^@rvsdg\/frontend$/, replacement: here('./packages/frontend-rvsdg/src/index.ts') },
      { find: /^@rvsdg\/passes\/testing$/, replacement: here('./packages/passes/src/testing/index.ts') },
      { find: /^@rvsdg\/passes$/, replacement: here('./packages/passes/src/index.ts') },
      { find: /^@rvsdg\/backend-llvm$/, replacement: here('./packages/backend-llvm/src/index.ts') },
      { find: /^@rvsdg\/runtime$/, replacement: here('./packages/runtime/src/index.ts') },
    ],
  },
  test: {
    include: ['src/**/*.test.ts'],
    testTimeout: 60_000,
    hookTimeout: 120_000,
    pool: 'forks',
    // Child processes the tests spawn inherit the environment; a FORCE_COLOR
    // set by the task runner would make their console output carry ANSI codes.
    // RVSDG_CHECK=1: every pipeline, jit()'s included, checks each pass's conditions after it runs.
    // RVSDG_CACHE=memory: tests neither read nor fill the user's on-disk cache (its own tests set a directory).
    env: { FORCE_COLOR: '0', RVSDG_CHECK: '1', RVSDG_CACHE: 'memory' },
  },
});
