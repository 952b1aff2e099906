import { describe, expect, it } from 'vitest';
import { forEachNode, i64, type Module } from '@rvsdg/ir';
import { checkPass } from '../testing/check-pass.js';
import { runTyped } from '../test-support/js-differential.js';
import { compileWithDefaultPipeline } from '../test-support/js-loops.js';
import { dropOverflowChecks } from './drop-overflow-checks.js';

function checkedOps(module: Module): number {
  let n = 0;
  forEachNode(module, (node) => {
    if (node.kind === 'simple' && node.op.startsWith('arith.checked_')) n++;
  });
  return n;
}

function sumBigint(a: bigint): bigint {
  let b = 0n;
  let i = 0n;
  while (i < a) {
    b = b + i;
    i = i + 1n;
  }
  return b;
}

function shifted(n: bigint, k: bigint): bigint {
  let s = 0n;
  for (let i = 0n; i < n; i++) s += i * i - k;
  return s;
}

/** The interpreter's result, or the error class and message: what V8 gives, or the documented 64-bit RangeError. */
function outcome(module: Module, entry: string, args: bigint[]): unknown {
  try {
    return runTyped(module, entry, args);
  } catch (error) {
    return `${(error as Error).name}: ${(error as Error).message}`;
  }
}

describe('drop-overflow-checks', () => {
  it('sums a BigInt loop with plain i64 adds in the copy for parameters within ±2^26', () => {
    const module = compileWithDefaultPipeline(sumBigint as never, [i64]);
    // The original keeps its two checked adds (it runs for larger bounds); the copy has none.
    expect(checkedOps(module)).toBe(2);
    for (const a of [0n, 1n, 10n, 1000n, -5n]) expect(outcome(module, 'sumBigint', [a])).toBe(sumBigint(a));
  });

  it('gives the sums where they fit, and raises the 64-bit RangeError where the original raises', () => {
    const module = compileWithDefaultPipeline(shifted as never, [i64, i64]);
    for (const [n, k] of [
      [10n, 3n],
      [100n, -(2n ** 20n)],
      [5n, 2n ** 40n],
      [5n, 2n ** 62n],
      [3n, -(2n ** 63n)],
      [3n, 2n ** 63n - 1n],
    ] as const) {
      const expected = (() => {
        try {
          const r = shifted(n, k);
          return BigInt.asIntN(64, r) === r ? r : 'RangeError';
        } catch {
          return 'RangeError';
        }
      })();
      const actual = outcome(module, 'shifted', [n, k]);
      if (expected === 'RangeError') expect(String(actual)).toMatch(/^RangeError: i64 overflow/);
      else expect(actual).toBe(expected);
    }
  });

  // Generated modules rarely hold checked arithmetic with bounded operands; the JS loops above make it fire.
  it('preserves meaning on generated modules', () => {
    const report = checkPass(dropOverflowChecks, { numRuns: 300, allowNoChange: true });
    expect(report.modules).toBeGreaterThanOrEqual(300);
  });
});
