import { readFileSync } from 'node:fs';
import { expect, it } from 'vitest';
import { jit } from './index.js';

/** The READMEs' examples run as written (the import line replaced by this package's `jit`) and print what they claim. */
it.each([
  ['this package', '../README.md', 2],
  ['the repository', '../../../README.md', 1],
])('README examples of %s print what their comments say', (_where, path, atLeast) => {
  const readme = readFileSync(new URL(path, import.meta.url), 'utf8');
  const blocks = [...readme.matchAll(/```js\n([\s\S]*?)```/g)].map((m) => m[1] as string);
  expect(blocks.length).toBeGreaterThanOrEqual(atLeast);
  for (const block of blocks) {
    const body = block.replace(/^import .*$/m, '');
    const printed: unknown[][] = [];
    new Function('jit', 'console', body)(jit, { log: (...args: unknown[]) => printed.push(args) });
    const claims = [...block.matchAll(/console\.log\((.*)\); \/\/ (.*)$/gm)].map((m) => m[2] as string);
    expect(printed.length).toBe(claims.length);
    claims.forEach((claim, i) => {
      const shown = printed[i]
        ?.map((v) => (Array.isArray(v) ? `[ ${v.map((x) => `'${x}'`).join(', ')} ]` : String(v)))
        .join(' ');
      expect(claim.startsWith(shown ?? '')).toBe(true);
    });
  }
});
