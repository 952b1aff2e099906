import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { fromFunction, fromSource, jsRegistry } from '@rvsdg/frontend';
import { array, bool, f64, i64, u8, verify, formatDiagnostic, type Module, type Type } from '@rvsdg/ir';
import { noJsOps } from '../conditions/no-js-ops.js';
import { typed } from '../conditions/typed.js';
import { agree, caseName, outcome, show, typedCorpus } from '@rvsdg/frontend/testing';
import { mixedTypesMessage, runTyped, SignatureCache } from '../test-support/js-differential.js';
import { InferenceError } from './infer-types-error.js';
import { inferModuleTypes, inferTypesFor, parseTypeList } from './infer-types.js';

function checkTyped(module: Module): void {
  const problems = [
    ...verify(module).map(formatDiagnostic),
    ...typed.check(module, { registry: jsRegistry }),
    ...noJsOps.check(module, { registry: jsRegistry }),
  ];
  if (problems.length > 0) throw new Error(`the typed module is not well-formed:\n${problems.join('\n')}`);
}

describe('infer-types on the JavaScript corpus: typed modules interpret like V8', () => {
  it('has at least 100 cases', () => {
    expect(typedCorpus.length).toBeGreaterThanOrEqual(100);
  });

  typedCorpus.forEach((testCase, index) => {
    it(`${caseName(testCase)} #${index}`, () => {
      const compiled = fromFunction(testCase.fn, testCase.scope ? { scope: testCase.scope } : {});
      const signatures = new SignatureCache((types) => {
        const module = inferModuleTypes(compiled.module, {
          entry: compiled.entry,
          params: types as Type[],
          registry: jsRegistry,
        });
        checkTyped(module);
        return module;
      });
      let rejected = 0;
      fc.assert(
        fc.property(testCase.args, (values) => {
          const module = signatures.get(values);
          if (module instanceof InferenceError) {
            if (!(testCase.mixedTypes && mixedTypesMessage.test(module.message))) throw module;
            rejected++;
            return;
          }
          const expected = outcome(values, (a) => testCase.fn(...a));
          const actual = outcome(values, (a) => runTyped(module, compiled.entry, a));
          if (!agree(expected, actual, testCase)) {
            throw new Error(`expected ${show(expected)}, got ${show(actual)}`);
          }
        }),
        { numRuns: 40 },
      );
      if (testCase.mixedTypes) expect(rejected).toBeGreaterThan(0);
    });
  });
});

function infer(source: string, params: readonly Type[], name?: string): Module {
  const compiled = fromSource(source, name ? { name } : {});
  return inferModuleTypes(compiled.module, { entry: compiled.entry, params, registry: jsRegistry });
}

function inferenceError(source: string, params: readonly Type[]): InferenceError {
  try {
    infer(source, params);
  } catch (error) {
    if (error instanceof InferenceError) return error;
    throw error;
  }
  throw new Error('expected an InferenceError');
}

describe('infer-types: type conflicts are reported with their source position', () => {
  it('a function returning a number on one path and undefined on another', () => {
    const error = inferenceError('function f(a) {\n  if (a > 0) return;\n  return a;\n}', [f64]);
    expect(error.message).toBe(
      "line 2, column 14: 'f' returns a number on one path and undefined on another (undefined from line 2, column 14)",
    );
    expect([error.line, error.column, error.functionName]).toEqual([2, 14, 'f']);
  });

  it('a variable that is undefined on one path, used in arithmetic', () => {
    const error = inferenceError('function f(a) {\n  let x;\n  if (a > 0) x = a;\n  return x * 2;\n}', [f64]);
    expect(error.message).toBe(
      'line 4, column 10: a value used here is undefined on one path and a number on another (undefined from line 2, column 7)',
    );
  });

  it('a number on one path and a BigInt on another', () => {
    const error = inferenceError('function f(a, b) {\n  const x = a > 0 ? a : b;\n  return x + x;\n}', [f64, i64]);
    expect(error.message).toBe('line 3, column 10: a value used here is a BigInt on one path and a number on another');
  });

  it('an unused conflicting value is no error (JavaScript never looks at it)', () => {
    const module = infer('function f(a, b) {\n  const x = a > 0 ? a : b;\n  return a;\n}', [f64, i64]);
    checkTyped(module);
  });

  it('indexing a number names the construct', () => {
    const error = inferenceError('function f(a) {\n  return a[0];\n}', [f64]);
    expect(error.message).toBe(
      'line 2, column 10: reading an element of a number (only TypedArrays can be indexed) is not supported',
    );
  });
});

describe('infer-types: specialization', () => {
  it('mixing a BigInt with a number throws V8’s TypeError when it runs', () => {
    const module = infer('function f(a, b) { return a + b; }', [f64, i64]);
    checkTyped(module);
    expect(() => runTyped(module, 'f', [1, 2n])).toThrow('Cannot mix BigInt and other types, use explicit conversions');
  });

  it('a callee is specialized once per argument-type signature', () => {
    const source =
      'function twice(x) { return x + x; }\nfunction f(a, b) { return Number(twice(a)) + Number(twice(b)); }';
    const module = infer(source, [f64, i64], 'f');
    checkTyped(module);
    const lambdas: string[] = [];
    for (const node of module.region.nodes)
      if (node.kind === 'lambda') lambdas.push(`${node.name}: ${node.type.params.map(String).length}`);
    expect(module.region.nodes.filter((n) => n.kind === 'lambda').map((n) => (n as { name: string }).name)).toEqual([
      'twice',
      'twice_2',
      'f',
    ]);
    expect(runTyped(module, 'f', [1.5, 4n])).toBe(11);
  });

  it('recursion: the result type is found by fixpoint (fib returns a number)', () => {
    const module = infer('function fib(n) { return n < 2 ? n : fib(n - 1) + fib(n - 2); }', [f64]);
    checkTyped(module);
    expect(module.region.nodes[0]?.kind).toBe('phi');
    expect(runTyped(module, 'fib', [15])).toBe(610);
  });

  it('loop variables get their types by fixpoint; `let x;` before a loop is undefined until assigned', () => {
    const module = infer(
      'function f(n) { let last = 0; let big = 1n; for (let i = 0; i < n; i++) { last = i * 2; big *= 2n; } return last + Number(big); }',
      [f64],
    );
    checkTyped(module);
    expect(runTyped(module, 'f', [4])).toBe(22);
    const error = inferenceError('function f(n) { let last; for (let i = 0; i < n; i++) last = i * 2; return last; }', [
      f64,
    ]);
    expect(error.message).toBe(
      "line 1, column 21: 'f' returns undefined on one path and a number on another (undefined from line 1, column 21, a number from line 1, column 62)",
    );
  });

  it('a function returning undefined everywhere has no value result', () => {
    const module = infer('function f(a) { for (let i = 0; i < a.length; i++) a[i] = i; }', [array(u8)]);
    checkTyped(module);
    const lambda = module.region.nodes[0];
    expect(lambda?.kind === 'lambda' && lambda.type.results.map((t) => t.kind)).toEqual(['state']);
    const a = new Uint8Array(3);
    expect(runTyped(module, 'f', [a])).toBeUndefined();
  });

  it('booleans and Uint8ClampedArray stores', () => {
    const module = infer('function f(a, v, flag) { a[0] = flag ? v : -v; return a[0]; }', [
      array(u8, { clamped: true }),
      f64,
      bool,
    ]);
    checkTyped(module);
    expect(runTyped(module, 'f', [new Uint8ClampedArray(1), 2.5, true])).toBe(2);
    expect(runTyped(module, 'f', [new Uint8ClampedArray(1), 3.5, true])).toBe(4);
  });

  it('rejects parameter lists that do not fit the function', () => {
    const compiled = fromSource('function f(a) { return a; }');
    expect(() => inferModuleTypes(compiled.module, { entry: 'f', params: [f64, f64], registry: jsRegistry })).toThrow(
      "'f' takes 1 parameter(s), 2 type(s) given",
    );
    expect(() => inferModuleTypes(compiled.module, { entry: 'g', params: [f64], registry: jsRegistry })).toThrow(
      "exports no 'g'",
    );
  });
});

describe('infer-types as a pass', () => {
  it('parses its parameter list from the option text', () => {
    expect(parseTypeList('f64, i64, f64[,], u8c[]')).toEqual([
      f64,
      i64,
      array(f64, { rank: 2 }),
      array(u8, { clamped: true }),
    ]);
    expect(parseTypeList('')).toEqual([]);
  });

  it('runs under the pass manager and prints its options', () => {
    const pass = inferTypesFor('f', [f64, array(f64)]);
    expect(pass.options).toEqual({ entry: 'f', params: 'f64, f64[]' });
    const compiled = fromSource('function f(x, a) { return x * a[0]; }');
    const module = pass.run(compiled.module, {
      registry: jsRegistry,
      options: pass.options,
    } as Parameters<typeof pass.run>[1]);
    checkTyped(module);
    expect(runTyped(module, 'f', [2, new Float64Array([4])])).toBe(8);
  });
});

describe('infer-types: BigInt.asIntN(64, ...) wraps as in JavaScript', () => {
  it('products and sums only wrapped to 64 bits do not throw', () => {
    const source = 'function f(a, b) { return BigInt.asIntN(64, a * 3n + b); }';
    const module = infer(source, [i64, i64]);
    checkTyped(module);
    const a = 2n ** 62n + 5n;
    expect(runTyped(module, 'f', [a, 7n])).toBe(BigInt.asIntN(64, a * 3n + 7n));
  });

  it('a product also used unwrapped still throws on overflow', () => {
    const module = infer('function f(a) { const p = a * 3n; return BigInt.asIntN(64, p) + (p > 0n ? 1n : 0n); }', [
      i64,
    ]);
    expect(() => runTyped(module, 'f', [2n ** 62n])).toThrow(/overflow/);
  });
});
