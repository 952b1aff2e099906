import { describe, expect, it } from 'vitest';
import { runSoak, soakFunction } from './math.js';

describe('soak:math', () => {
  it('finds no mismatch on a short run and reports the count per function', () => {
    const row = soakFunction('pow', 20_000, 8_000, 7n);
    expect(row).toMatchObject({ name: 'pow', inputs: 20_000, mismatches: 0, examples: [] });
  });

  it('refuses a name that is not an exact math function', () => {
    expect(runSoak(['--per-function', '10', '--only', 'sqrt'])).toBe(64);
  });
});
