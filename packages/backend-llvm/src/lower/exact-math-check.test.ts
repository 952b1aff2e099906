import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { exactMathSourceDir } from '../engine/aot.js';
import { compileModule, withFastMathFlags } from './compile-module.js';
import { exactMathMarker, linkExactMath } from './exact-math-ir.js';
import { lowerModule } from './lower-module.js';
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
  it('links the rvsdg_* definitions into the module instead of calling V8 through N-API', () => {
    const c = compileModule(mathMapModule('pow'), { lowerings: v8MathLowerings, optLevel: 2 });
    try {
      expect(c.irBefore).toContain('define internal double @rvsdg_pow(');
      expect(c.irBefore).not.toMatch(/declare [^\n]*@rvsdg_pow|napi_call_function|napi_get_global/);
    } finally {
      c.dispose();
    }
  });

  it('links the typed-pointer form the text builder emits, and the engine verifies it, for every function', () => {
    for (const name of exactMathFunctions) {
      // lowerModule has the engine parse and verify the text (a LoweringBug otherwise).
      const { irText } = lowerModule(mathMapModule(name), { lowerings: v8MathLowerings });
      const [kernel, library] = irText.split(exactMathMarker);
      expect(kernel).toMatch(/%rvsdg\.ctx\*/);
      expect(library).toContain(`define internal double @rvsdg_${name}(`);
      // An opaque `ptr` next to the builder's typed pointers would not parse; LLVM 14 crashes on opaque ones.
      expect(irText).not.toMatch(/(^|[\s(,[<{])ptr(?=[\s,)\]>}*]|$)/m);
    }
    const sin = lowerModule(mathMapModule('sin'), { lowerings: v8MathLowerings }).irText.split(exactMathMarker)[1];
    expect(sin).toMatch(/i8\*/);
  });

  it('without linking, calls the functions the engine defines, marked free of side effects, with the same results', () => {
    const c = compileModule(mathMapModule('pow'), { lowerings: v8MathLowerings, optLevel: 2, linkExactMath: false });
    try {
      expect(c.irBefore).toContain('declare double @rvsdg_pow(double, double)');
      expect(c.irAfter).toMatch(/declare double @rvsdg_pow\(double, double\)[^\n]*#\d+/);
      const { xs, ys } = exactMathEdgeInputs('pow');
      expect(mathMismatches('pow', c.functions['map'] as unknown as MathMap, xs, ys).slice(0, 5)).toEqual([]);
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

  it('fast-math flags stay off the linked exact math functions', () => {
    const linked = linkExactMath(
      'declare double @rvsdg_exp(double)\ndefine double @f(double %x) {\n  %y = fmul double %x, %x\n  %r = call double @rvsdg_exp(double %y)\n  ret double %r\n}\n',
    );
    const flagged = withFastMathFlags(linked);
    const [kernel, library] = flagged.split(exactMathMarker);
    expect(kernel).toContain('fmul reassoc contract double');
    expect(library).toMatch(/fmul double/);
    expect(library).not.toContain('reassoc');
  });
});

const hasClang14 =
  spawnSync('clang-14', ['--version']).status === 0 && spawnSync('llvm-link-14', ['--version']).status === 0;

describe('native/math/exact-math-ir.json', () => {
  // clang-14 is not a prerequisite of the project; where it is installed, the
  // committed IR must be what the C sources compile to.
  it.skipIf(!hasClang14)('is up to date with the C sources (node native/math/generate-ir.mjs)', () => {
    const dir = mkdtempSync(join(tmpdir(), 'rvsdg-math-ir-test-'));
    try {
      const out = join(dir, 'ir.json');
      const result = spawnSync(process.execPath, [join(exactMathSourceDir, 'generate-ir.mjs'), out], {
        encoding: 'utf8',
      });
      expect(result.stderr).toBe('');
      expect(readFileSync(out, 'utf8') === readFileSync(join(exactMathSourceDir, 'exact-math-ir.json'), 'utf8')).toBe(
        true,
      );
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
