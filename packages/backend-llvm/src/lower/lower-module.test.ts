import { afterAll, describe, expect, it } from 'vitest';
import {
  array,
  bool,
  f64,
  fn,
  i32,
  i64,
  interpret,
  InterpreterError,
  mem,
  memToken,
  ModuleBuilder,
  type IRValue,
  type Module,
} from '@rvsdg/ir';
import { absModule, fibModule, guardedSumModule } from '@rvsdg/ir/testing';
import { compileModule, type CompiledRvsdgModule } from './compile-module.js';
import { LoweringError } from './errors.js';
import { lowerModule } from './lower-module.js';

const compiled: CompiledRvsdgModule[] = [];
afterAll(() => compiled.forEach((c) => c.dispose()));

function compile(module: Module): CompiledRvsdgModule['functions'] {
  const c = compileModule(module, { optLevel: 2 });
  compiled.push(c);
  return c.functions;
}

function call(functions: CompiledRvsdgModule['functions'], name: string, ...args: unknown[]): unknown {
  const f = functions[name];
  if (!f) throw new Error(`no function '${name}'`);
  return f(...args);
}

/** factorial(n: i64) with a theta and checked multiplication. */
function factorialModule(): Module {
  const mb = new ModuleBuilder();
  const f = mb.lambda('factorial', [i64, mem], (r, [n, m]) => {
    const [, acc, m2] = r.theta([r.const(1n, i64), r.const(1n, i64), m!], (l, [i, acc, s]) => {
      const [next, s2] = l.op('arith.checked_mul', [acc!, i!, s!], {}, { line: 3, column: 5 });
      const i2 = l.op1('arith.add', [i!, l.const(1n, i64)]);
      return { repeat: l.op1('arith.le', [i2, n!]), next: [i2, next!, s2!] };
    });
    return [acc!, m2!];
  });
  return mb.export('factorial', f).build();
}

/** isEven/isOdd: mutual recursion through one phi. */
function evenOddModule(): Module {
  const mb = new ModuleBuilder();
  const t = fn([i32], [bool]);
  const [even, odd] = mb.phi([t, t], (r, [isEven, isOdd]) => {
    const step = (name: string, other: typeof isEven, base: boolean) =>
      r.lambda(name, [i32], (body, [n]) =>
        body.ifElse(
          body.op1('arith.eq', [n!, body.const(0, i32)]),
          (z) => [z.const(base, bool)],
          (s) => s.call(other!, [s.op1('arith.sub', [n!, s.const(1, i32)])]),
        ),
      );
    return [step('isEven', isOdd, true), step('isOdd', isEven, false)];
  });
  return mb.export('isEven', even!).export('isOdd', odd!).build();
}

/** get(xs: i32[], i: i64): one load, so an index out of range raises. */
function getModule(): Module {
  const mb = new ModuleBuilder();
  const f = mb.lambda('get', [array(i32), i64, mem], (r, [xs, i, m]) => {
    const [x, m2] = r.op('array.load', [xs!, i!, m!], {}, { line: 12, column: 3 });
    return [x!, m2!];
  });
  const g = mb.lambda('fill', [array(i32), i32, mem], (r, [xs, v, m]) => {
    const n = r.op1('array.length', [xs!]);
    const [, m3] = r.theta([r.const(0n, i64), m!], (l, [i, s]) => {
      const [s2] = l.op('array.store', [xs!, i!, v!, s!]);
      const i2 = l.op1('arith.add', [i!, l.const(1n, i64)]);
      return { repeat: l.op1('arith.le', [i2, n]), next: [i2, s2!] };
    });
    return [m3!];
  });
  return mb.export('get', f).export('fill', g).build();
}

function thrown(f: () => unknown): Error {
  try {
    f();
  } catch (error) {
    return error as Error;
  }
  throw new Error('expected a throw');
}

describe('lowerModule and compileModule', () => {
  it('compiles a theta (factorial) and raises a RangeError on i64 overflow, like the interpreter', () => {
    const module = factorialModule();
    const fns = compile(module);
    expect(call(fns, 'factorial', 5n)).toBe(120n);
    expect(call(fns, 'factorial', 20n)).toBe(2432902008176640000n);
    const error = thrown(() => call(fns, 'factorial', 21n));
    expect(error).toBeInstanceOf(RangeError);
    expect(error.message).toBe('i64 overflow: the exact result does not fit in 64 bits (line 3)');
    const oracle = thrown(() => interpret(module, 'factorial', [21n, memToken])) as InterpreterError;
    expect(oracle).toBeInstanceOf(RangeError);
    expect(String(oracle)).toBe(String(error));
  });

  it('compiles a gamma (abs) with -0 and NaN preserved', () => {
    const fns = compile(absModule());
    expect(call(fns, 'abs', -2.5)).toBe(2.5);
    expect(Object.is(call(fns, 'abs', -0), -0)).toBe(true);
    expect(call(fns, 'abs', NaN)).toBeNaN();
    expect(call(fns, 'abs', -Infinity)).toBe(Infinity);
  });

  it('compiles recursion through phi (fib) and mutual recursion (isEven/isOdd)', () => {
    const fib = compile(fibModule(i32));
    expect([0, 1, 2, 10, 20].map((n) => call(fib, 'fib', n))).toEqual([0, 1, 1, 55, 6765]);
    const eo = compile(evenOddModule());
    expect(call(eo, 'isEven', 10)).toBe(true);
    expect(call(eo, 'isOdd', 7)).toBe(true);
    expect(call(eo, 'isEven', 7)).toBe(false);
  });

  it('turns runaway recursion into a RangeError instead of overflowing the native stack', () => {
    const eo = compile(evenOddModule());
    const error = thrown(() => call(eo, 'isEven', -1));
    expect(error).toBeInstanceOf(RangeError);
    expect(error.message).toBe('Maximum call stack size exceeded');
  });

  it('sums a Float64Array under a memory state', () => {
    const fns = compile(guardedSumModule());
    expect(call(fns, 'sum', new Float64Array([1, 2, 3.5]))).toBe(6.5);
    expect(call(fns, 'sum', new Float64Array([]))).toBe(0);
    // A view with a byte offset reads its own elements.
    const view = new Float64Array(new Float64Array([100, 1, 2]).buffer, 8, 2);
    expect(call(fns, 'sum', view)).toBe(3);
  });

  it('throws the interpreter RangeError, with the source line, on an out-of-bounds access', () => {
    const module = getModule();
    const fns = compile(module);
    const xs = new Int32Array([4, 5, 6]);
    expect(call(fns, 'get', xs, 2n)).toBe(6);
    for (const index of [3n, -1n, 2n ** 40n]) {
      const error = thrown(() => call(fns, 'get', xs, index));
      const oracle = thrown(() => interpret(module, 'get', [xs, index, memToken])) as InterpreterError;
      expect(error).toBeInstanceOf(RangeError);
      expect(oracle).toBeInstanceOf(RangeError);
      expect(error.message).toMatch(/ \(line 12\)$/);
      expect(String(oracle)).toBe(String(error));
    }
  });

  it('stores into the caller’s TypedArray and reports an error after partial writes, like the interpreter', () => {
    const module = getModule();
    const fns = compile(module);
    const native = new Int32Array(3);
    const oracle = new Int32Array(3);
    const error = thrown(() => call(fns, 'fill', native, 7));
    const oracleError = thrown(() => interpret(module, 'fill', [oracle, 7, memToken]));
    expect(oracleError).toBeInstanceOf(InterpreterError);
    expect(error.message).toBe('index 3 is out of bounds for an array of length 3');
    expect(String(oracleError)).toBe(String(error));
    expect(Array.from(native)).toEqual(Array.from(oracle));
    expect(Array.from(native)).toEqual([7, 7, 7]);
  });

  it('checks arguments: count, types, integer ranges, TypedArray kinds, BigInt range', () => {
    const fns = compile(getModule());
    expect(thrown(() => call(fns, 'get', new Int32Array(1))).message).toBe("'get' expects 2 argument(s), got 1");
    expect(thrown(() => call(fns, 'get', new Float64Array(1), 0n))).toBeInstanceOf(TypeError);
    expect(thrown(() => call(fns, 'get', [1, 2], 0n))).toBeInstanceOf(TypeError);
    expect(thrown(() => call(fns, 'get', new Int32Array(1), 0))).toBeInstanceOf(TypeError);
    expect(thrown(() => call(fns, 'get', new Int32Array(1), 2n ** 64n))).toBeInstanceOf(RangeError);
    for (const bad of [0.5, -0, 2 ** 31, NaN, '1']) {
      expect(thrown(() => call(fns, 'fill', new Int32Array(1), bad))).toBeInstanceOf(TypeError);
    }
  });

  it("with arrayArguments 'unpacked', takes each TypedArray followed by its buffer and keeps the view inside that buffer", () => {
    const c = compileModule(guardedSumModule(), { optLevel: 2, arrayArguments: 'unpacked' });
    compiled.push(c);
    const mb = new ModuleBuilder();
    const echo = mb.lambda('echo', [array(f64)], (_r, [x]) => [x!]);
    const e = compileModule(mb.export('echo', echo).build(), { optLevel: 2, arrayArguments: 'unpacked' });
    compiled.push(e);
    const sum = (...args: unknown[]) => call(c.functions, 'sum', ...args);
    const buffer = new Float64Array([100, 1, 2, 4]).buffer;
    expect(sum(new Float64Array(buffer), buffer)).toBe(107);
    expect(sum(new Float64Array(buffer, 8, 2), buffer)).toBe(3);
    expect(sum(new Float64Array(buffer, 32), buffer)).toBe(0);
    const view = new Float64Array(buffer, 8, 3);
    expect(call(e.functions, 'echo', view, buffer)).toBe(view);
    // Whatever the caller passes, the view must lie inside the buffer, aligned: no memory outside it is read.
    const small = new ArrayBuffer(16);
    const refused = [
      [new Float64Array(buffer), small],
      [new Float64Array(buffer, 24), small],
      [new Uint8Array(buffer, 1, 8), buffer],
      [new Float64Array(buffer), new SharedArrayBuffer(32)],
      [new Float64Array(buffer), new Float64Array(buffer)],
      [{}, buffer],
      [new DataView(buffer), buffer],
      [new Float64Array(buffer), 0],
    ];
    for (const [array, b] of refused) {
      const error = thrown(() => sum(array, b));
      expect(error).toBeInstanceOf(TypeError);
      expect(error.message).toBe("argument 0 of 'sum' must be f64[] (a Float64Array followed by its ArrayBuffer)");
    }
    // A detached buffer has no memory and byte length 0: only an empty view fits.
    const gone = new ArrayBuffer(16);
    const onGone = new Float64Array(gone);
    structuredClone(gone, { transfer: [gone] });
    expect(sum(new Float64Array(0), gone)).toBe(0);
    expect(sum(onGone, gone)).toBe(0);
    expect(thrown(() => sum(new Float64Array(1), gone))).toBeInstanceOf(TypeError);
    expect(thrown(() => sum(new Float64Array(1)))).toBeInstanceOf(TypeError);
  });

  it('returns several non-state results as an array and a new array from array.alloc', () => {
    const mb = new ModuleBuilder();
    const f = mb.lambda('divmod', [i32, i32], (r, [a, b]) => [
      r.op1('arith.div', [a!, b!]),
      r.op1('arith.rem', [a!, b!]),
    ]);
    const g = mb.lambda('range', [i64, mem], (r, [n, m]) => {
      const [xs, m1] = r.op('array.alloc', [n!, m!], { type: array(f64) });
      const [m3] = r.gamma(
        r.match(r.op1('arith.gt', [n!, r.const(0n, i64)])),
        [
          (_g, [s]) => [s!],
          (g2, [s]) => {
            const [, s3] = g2.theta([g2.const(0n, i64), s!], (l, [i, st]) => {
              const [st2] = l.op('array.store', [xs!, i!, l.op1('arith.convert', [i!], { type: f64 }), st!]);
              const i2 = l.op1('arith.add', [i!, l.const(1n, i64)]);
              return { repeat: l.op1('arith.lt', [i2, n!]), next: [i2, st2!] };
            });
            return [s3!];
          },
        ],
        [m1!],
      );
      return [xs!, m3!];
    });
    const fns = compile(mb.export('divmod', f).export('range', g).build());
    expect(call(fns, 'divmod', 17, 5)).toEqual([3, 2]);
    expect(call(fns, 'divmod', 17, 0)).toEqual([0, 0]);
    const made = call(fns, 'range', 4n);
    expect(made).toBeInstanceOf(Float64Array);
    expect(Array.from(made as Float64Array)).toEqual([0, 1, 2, 3]);
    expect(thrown(() => call(fns, 'range', -1n)).message).toBe('Invalid typed array length: -1');
  });

  it('lowers deltas and root-level values into globals initialised once', () => {
    const mb = new ModuleBuilder();
    // A call (sqrt) is not folded while building, so the value is computed by the init function at run time.
    const scale = mb.delta('scale', (r) => r.op1('math.sqrt', [r.const(2.25, f64)]));
    const f = mb.lambda('scaled', [f64], (r, [x]) => [r.op1('arith.mul', [x!, scale])]);
    const module = mb.export('scaled', f).build();
    const lowered = lowerModule(module);
    expect(lowered.irText).toContain('@rvsdg.global.0');
    const fns = compile(module);
    expect(call(fns, 'scaled', 4)).toBe(6);
    expect(call(fns, 'scaled', 2)).toBe(3);
  });

  it('raises an Error from `raise` with its message', () => {
    const mb = new ModuleBuilder();
    const f = mb.lambda('check', [i32, mem], (r, [x, m]) =>
      r.gamma(
        r.match(r.op1('arith.lt', [x!, r.const(0, i32)])),
        [
          (_g, [s]) => [s!],
          (g, [s]) => g.op('raise', [s!], { error: 'TypeError', message: 'negative: 100%' }, { line: 9, column: 1 }),
        ],
        [m!],
      ),
    );
    const fns = compile(mb.export('check', f).build());
    expect(call(fns, 'check', 1)).toBeUndefined();
    const error = thrown(() => call(fns, 'check', -1));
    expect(error).toBeInstanceOf(TypeError);
    expect(error.message).toBe('negative: 100% (line 9)');
  });

  it('calls a function chosen at run time through its pointer, and raises on an undef function value', () => {
    const mb = new ModuleBuilder();
    const t = fn([f64], [f64]);
    const double = mb.lambda('double', [f64], (r, [x]) => [r.op1('arith.add', [x!, x!])]);
    const negate = mb.lambda('negate', [f64], (r, [x]) => [r.op1('arith.neg', [x!])]);
    const apply = mb.lambda('apply', [i32, f64], (r, [k, x]) => {
      const [chosen] = r.gamma(r.match(k!, 3), [() => [double], () => [negate], (g) => [g.undef(t)]], []);
      return r.call(chosen!, [x!], { line: 5, column: 1 });
    });
    const module = mb.export('apply', apply).build();
    const fns = compile(module);
    expect(call(fns, 'apply', 0, 1.5)).toBe(3);
    expect(call(fns, 'apply', 1, 1.5)).toBe(-1.5);
    const error = thrown(() => call(fns, 'apply', 2, 1.5));
    expect(error).toBeInstanceOf(TypeError);
    expect(error.message).toBe('called an undefined function value (line 5)');
  });

  it('checks the error slot only after calls to functions that can raise, however deep the raise is', () => {
    const mb = new ModuleBuilder();
    const square = mb.lambda('square', [f64], (r, [x]) => [r.op1('arith.mul', [x!, x!])]);
    const get = mb.lambda('get', [array(f64), i64, mem], (r, [xs, i, m]) => {
      const [x, m2] = r.op('array.load', [xs!, i!, m!], {}, { line: 2, column: 1 });
      return [x!, m2!];
    });
    const middle = mb.lambda('middle', [array(f64), i64, mem], (r, [xs, i, m]) => {
      const [x, m2] = r.call(get, [xs!, i!, m!]);
      return [r.call(square, [x!])[0]!, m2!];
    });
    const outer = mb.lambda('outer', [array(f64), i64, mem], (r, [xs, i, m]) => {
      const [y, m2] = r.call(middle, [xs!, i!, m!]);
      return [r.op1('arith.add', [y!, r.call(square, [r.const(3, f64)])[0]!]), m2!];
    });
    const module = mb.export('outer', outer).build();

    // Which callee each check after a call reads the "can raise" flag of, and the flags' values.
    const irText = lowerModule(module).irText;
    const lines = irText.split('\n');
    const flagOf = new Map<string, string>();
    lines.forEach((line, i) => {
      const callee = /call [^@]*@(\w+)\.\d+\(/.exec(line)?.[1];
      const flag = lines
        .slice(i + 1)
        .map((l) => /@(rvsdg\.raises\.\d+)/.exec(l)?.[1])
        .find((f) => f !== undefined);
      if (callee && flag) flagOf.set(callee, flag);
    });
    const value = (name: string) => new RegExp(`@${flagOf.get(name)} = internal constant i1 (\\w+)`).exec(irText)?.[1];
    expect([value('square'), value('get'), value('middle')]).toEqual(['false', 'true', 'true']);

    const fns = compile(module);
    expect(call(fns, 'outer', new Float64Array([1, 2, 3]), 2n)).toBe(18);
    const error = thrown(() => call(fns, 'outer', new Float64Array([1, 2, 3]), 3n));
    expect(error).toBeInstanceOf(RangeError);
    expect(error.message).toBe('index 3 is out of bounds for an array of length 3 (line 2)');
  });

  it('prints the same text for the same module, with typed pointers', () => {
    const lowered = lowerModule(fibModule(i32));
    expect(lowered.irText).toContain('define internal i32 @fib');
    expect(lowered.irText).toContain('(i32 %0, %rvsdg.ctx* %1)');
    expect(lowered.llvmModule.print()).toBe(lowered.irText);
    expect(lowerModule(fibModule(i32)).irText).toBe(lowered.irText);
    // LLVM 14's optimizer still crashes on some opaque-pointer modules: the engine must parse this one in typed mode.
    expect(lowered.irText).not.toMatch(/\bptr\b/);
  });

  it('rejects what it cannot compile with a LoweringError naming it', () => {
    const withImport = new ModuleBuilder();
    const k = withImport.import('k', f64);
    withImport.export(
      'f',
      withImport.lambda('f', [f64], (r, [x]) => [r.op1('arith.add', [x!, k])]),
    );
    expect(() => lowerModule(withImport.build())).toThrow(LoweringError);

    const closure = new ModuleBuilder();
    const outer = closure.lambda('outer', [f64], (r, [x]) => {
      const inner = r.lambda('inner', [f64], (ir, [y]) => [ir.op1('arith.add', [x!, y!])]);
      return r.call(inner, [x!]);
    });
    expect(() => lowerModule(closure.export('outer', outer).build())).toThrow(/closures are not supported/);

    const unknownOp = new ModuleBuilder();
    unknownOp.export(
      'g',
      unknownOp.lambda('g', [f64], (_r, [x]) => [x!]),
    );
    const module = unknownOp.build();
    const lambda = module.region.nodes[0]!;
    const broken = {
      ...module,
      region: {
        ...module.region,
        nodes: [
          {
            ...lambda,
            regions: [
              {
                ...lambda.regions[0]!,
                nodes: [
                  {
                    kind: 'simple',
                    id: 99,
                    op: 'mydsl.frob',
                    attrs: {},
                    inputs: [{ kind: 'arg', index: 0 }],
                    outputs: [f64],
                    regions: [],
                  },
                ],
                results: [{ kind: 'out', node: 99, index: 0 }],
              },
            ],
          },
        ],
      },
    } as unknown as Module;
    expect(() => lowerModule(broken)).toThrow(/no LLVM lowering for op 'mydsl.frob'/);
  });

  it('agrees with the interpreter on every value it returns (spot check of the helper modules)', () => {
    const module = fibModule(i32);
    const fns = compile(module);
    for (const n of [0, 1, 5, 15]) {
      const [expected] = interpret(module, 'fib', [n]) as IRValue[];
      expect(call(fns, 'fib', n)).toBe(expected);
    }
  });
});
