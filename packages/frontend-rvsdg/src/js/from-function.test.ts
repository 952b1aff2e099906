import { interpret, memToken, type IRValue } from '@rvsdg/ir';
import { describe, expect, it } from 'vitest';
import { interpretCfg } from '../cfg/interpret-cfg.js';
import { fromFunction, fromSource, type CompiledJs } from './from-function.js';
import { jsRegistry } from './js-dialect.js';

function run(compiled: CompiledJs, ...args: IRValue[]): IRValue {
  const viaModule = interpret(compiled.module, compiled.entry, [...args, memToken], { registry: jsRegistry });
  const viaCfg = interpretCfg(compiled.cfgs, compiled.entry, [...args, memToken], { registry: jsRegistry });
  expect(viaCfg.results?.[0]).toBe(viaModule[0]);
  return viaModule[0];
}

describe('fromSource', () => {
  it('compiles several declarations that call each other and picks the entry by name', () => {
    const source = `
      function even(n) { return n === 0 ? true : odd(n - 1); }
      function odd(n) { return n === 0 ? false : even(n - 1); }
      function count(n) { let c = 0; for (let i = 0; i < n; i++) if (even(i)) c++; return c; }`;
    const compiled = fromSource(source, { name: 'count' });
    expect(compiled.entry).toBe('count');
    expect(compiled.cfgs.map((c) => c.name).sort()).toEqual(['count', 'even', 'odd']);
    expect([...compiled.module.exports].sort()).toEqual(['count', 'even', 'odd']);
    expect(run(compiled, 9)).toBe(5);
  });

  it('names the entry of a single anonymous function', () => {
    expect(fromSource('(a, b) => a * b').entry).toBe('anonymous');
    const compiled = fromSource('function (a) { return a + 1; }', { name: 'inc' });
    expect(compiled.entry).toBe('inc');
    expect(run(compiled, 41)).toBe(42);
  });

  it('lets a named function expression call itself', () => {
    const compiled = fromSource('(function fact(n) { return n <= 1 ? 1n : BigInt(n) * fact(n - 1); })');
    expect(run(compiled, 25)).toBe(15511210043330985984000000n);
  });

  it('says which names exist when the entry is missing', () => {
    expect(() => fromSource('function a() {} function b() {}', { name: 'c' })).toThrow(
      "the source declares no function 'c' (it declares a, b)",
    );
  });

  it('rejects top-level statements other than functions', () => {
    expect(() => fromSource('const x = 1; function f() { return x; }')).toThrow(/only function declarations/);
  });
});

describe('fromFunction', () => {
  it('compiles a function passed under two scope names once', () => {
    function twice(x: number): number {
      return 2 * x;
    }
    function both(x: number): number {
      return double(x) + twice(x);
    }
    const double = twice;
    const compiled = fromFunction(both, { scope: { double, twice } });
    expect(compiled.cfgs.map((c) => c.name)).toEqual(['both', 'double']);
    expect(compiled.sources).toEqual(
      new Map([
        ['both', both.toString()],
        ['double', twice.toString()],
      ]),
    );
    expect(run(compiled, 5)).toBe(20);
  });

  it('gives an entry named like a scope function a fresh name', () => {
    const helper = (x: number): number => x + 1;
    function main(x: number): number {
      return helper(x);
    }
    const compiled = fromFunction(main, { scope: { main: helper, helper } });
    expect(compiled.entry).toBe('main');
    expect(run(compiled, 1)).toBe(2);
  });

  it('compiles object and class methods from their source text', () => {
    const object = {
      twice(x: number): number {
        return x * 2;
      },
    };
    class Shapes {
      static area(r: number): number {
        return Math.PI * r * r;
      }
    }
    expect(run(fromFunction(object.twice), 21)).toBe(42);
    expect(run(fromFunction(Shapes.area), 2)).toBe(Math.PI * 4);
    const source = 'twice(x) { return x.y; }';
    let error: unknown;
    try {
      fromSource(source);
    } catch (e) {
      error = e;
    }
    expect(error).toMatchObject({ construct: "property '.y'", line: 1, column: source.indexOf('x.y') + 1 });
  });

  it('passes TypedArrays by reference and returns undefined from a function without return', () => {
    function bump(a: Int32Array): void {
      for (let i = 0; i < a.length; i++) a[i] = (a[i] as number) + 1;
    }
    const compiled = fromFunction(bump);
    const data = new Int32Array([2 ** 31 - 1, 0]);
    expect(interpret(compiled.module, compiled.entry, [data, memToken], { registry: jsRegistry })).toEqual([
      undefined,
      memToken,
    ]);
    expect([...data]).toEqual([-(2 ** 31), 1]);
  });

  it('throws a RangeError naming the line for an out-of-range read', () => {
    function last(a: Float64Array): number {
      const n = a.length;
      return a[n] as number;
    }
    const compiled = fromFunction(last);
    // Positions refer to the function's source text as `toString()` gives it.
    const lines = last.toString().split('\n');
    const line = lines.findIndex((l) => l.includes('a[n]'));
    const column = (lines[line] as string).indexOf('a[n]') + 1;
    expect(() =>
      interpret(compiled.module, compiled.entry, [new Float64Array(2), memToken], { registry: jsRegistry }),
    ).toThrow(expect.objectContaining({ errorName: 'RangeError', loc: { line: line + 1, column } }));
  });
});
