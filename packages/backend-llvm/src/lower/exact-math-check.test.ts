import { afterAll, describe, expect, it } from 'vitest';
import { compileModule } from './compile-module.js';
import {
  compileMathMap,
  exactMathArity,
  exactMathEdgeInputs,
  exactMathFunctions,
  exactMathInputs,
  mathMapModule,
  mathMismatches,
  type MathMap,
} from './exact-math-check.js';
import { v8MathLowerings } from './ops/v8-math-lowerings.js';
import { defaultLowerings } from './lowering-registry.js';

const randomPerFunction = 100_000;
const compiled = new Map<string, { run: MathMap; dispose: () => void }>();
afterAll(() => compiled.forEach((c) => c.dispose()));

function mapOf(name: (typeof exactMathFunctions)[number]): MathMap {
  let c = compiled.get(name);
  if (!c) {
    c = compileMathMap(name);
    compiled.set(name, c);
  }
  return c.run;
}

describe('exact math: native results equal Math.* bit for bit', () => {
  for (const name of exactMathFunctions) {
    it(`${name}: edge values (zeros, subnormals, infinities, NaN, thresholds, multiples of pi/2, near 1${exactMathArity(name) === 2 ? ', all special pairs' : ''})`, () => {
      const { xs, ys } = exactMathEdgeInputs(name);
      expect(xs.length).toBeGreaterThan(500);
      expect(mathMismatches(name, mapOf(name), xs, ys).slice(0, 5)).toEqual([]);
    });

    it(`${name}: ${randomPerFunction} random inputs across magnitudes`, () => {
      // A new seed each run widens coverage over time; a failure prints its inputs.
      const seed = BigInt(Date.now()) * 7919n + BigInt(name.length);
      const { xs, ys } = exactMathInputs(name, randomPerFunction, seed);
      const mismatches = mathMismatches(name, mapOf(name), xs, ys);
      expect(mismatches.slice(0, 5), `seed ${seed}`).toEqual([]);
    });
  }

  it('the check itself catches a wrong result', () => {
    const xs = Float64Array.of(0.5, 1, 2);
    const wrong: MathMap = (input, _ys, out) => input.forEach((x, i) => (out[i] = Math.exp(x) * (1 + Number.EPSILON)));
    expect(mathMismatches('exp', wrong, xs, new Float64Array(3))).toHaveLength(3);
  });
});

describe('exact math lowering', () => {
  it('calls the native rvsdg_* functions, not V8 through N-API', () => {
    const c = compileModule(mathMapModule('pow'), { lowerings: v8MathLowerings, optLevel: 2 });
    try {
      expect(c.irBefore).toContain('@rvsdg_pow(');
      expect(c.irBefore).not.toMatch(/napi_call_function|napi_get_global/);
      // Marked as free of side effects, so the loop around it optimizes like one around an intrinsic.
      expect(c.irAfter).toMatch(/declare double @rvsdg_pow\(double, double\)[^\n]*#\d+/);
    } finally {
      c.dispose();
    }
  });

  it('fastmath and the default lowerings keep calling libm', () => {
    const c = compileModule(mathMapModule('exp'), { lowerings: defaultLowerings, optLevel: 2, fastmath: true });
    try {
      expect(c.irBefore).toMatch(/call double @exp\(/);
      expect(c.irBefore).not.toContain('@rvsdg_exp');
    } finally {
      c.dispose();
    }
  });
});
