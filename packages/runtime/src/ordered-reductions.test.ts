import { describe, expect, it } from 'vitest';
import { jit } from './index.js';

// The engine lets LLVM vectorize loops that sum doubles with in-order
// reductions (-force-ordered-reductions): the lanes are computed in vectors
// and added one at a time, in the loop's order. These inputs make any other
// order visible: 1e16 + 1 loses the 1, so reassociated sums differ.
function orderSensitive(n: number, seed: number): Float64Array {
  const a = new Float64Array(n);
  let s = seed;
  for (let i = 0; i < n; i++) {
    s = (s * 1103515245 + 12345) % 2147483648;
    const magnitude = [1e16, 1, 0.1, 3e-5, 7e15][s % 5] ?? 1;
    a[i] = (s & 8 ? -1 : 1) * magnitude * (1 + (s % 97) / 97);
  }
  return a;
}

function sum(a: Float64Array): number {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += a[i]!;
  return s;
}

function dot(a: Float64Array, b: Float64Array): number {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += a[i]! * b[i]!;
  return s;
}

function sumExp(x: Float64Array, out: Float64Array): number {
  let s = 0;
  for (let i = 0; i < x.length; i++) {
    const e = Math.exp(x[i]!);
    out[i] = e;
    s += e;
  }
  return s;
}

describe('sums of doubles vectorized in order', () => {
  const jsum = jit(sum, { optLevel: 3 });
  const jdot = jit(dot, { optLevel: 3 });
  const jsumExp = jit(sumExp, { optLevel: 3 });
  const lengths = [0, 1, 2, 3, 5, 7, 8, 9, 15, 16, 17, 31, 33, 63, 64, 65, 1000, 10007];

  it('round exactly as V8 sums, element after element', () => {
    for (const n of lengths) {
      for (const seed of [1, 2, 3]) {
        const a = orderSensitive(n, seed);
        const b = orderSensitive(n, seed + 10);
        expect(Object.is(jsum(a), sum(a))).toBe(true);
        expect(Object.is(jdot(a, b), dot(a, b))).toBe(true);
        const x = a.map((v) => Math.log(Math.abs(v) + 1) * (v < 0 ? -1 : 1));
        const out = new Float64Array(n);
        const expected = new Float64Array(n);
        expect(Object.is(jsumExp(x, out), sumExp(x, expected))).toBe(true);
        expect(out).toEqual(expected);
      }
    }
  });

  it('use LLVM vector reductions without reassociation', () => {
    for (const f of [jsum, jsumExp]) {
      const ir = f.inspect().optimizedLLVMIR;
      const reductions = ir.match(/call [^\n]*@llvm\.vector\.reduce\.fadd[^\n]*/g) ?? [];
      expect(reductions.length).toBeGreaterThan(0);
      for (const r of reductions) expect(r).not.toMatch(/reassoc|fast/);
    }
  });
});
