import { spawnSync } from 'node:child_process';
import { Worker } from 'node:worker_threads';

import fc from 'fast-check';
import { describe, expect, it } from 'vitest';

import * as llvm from '../llvm-ir/index.js';
import { NativeEngine, type JitFunction } from './native-engine.js';
import { addModuleIR, addTypedPointerIR, exampleModuleIR, exampleWrappers } from './testing/add-module.js';

const engine = NativeEngine.shared();
const example = engine.compile(exampleModuleIR, { wrappers: exampleWrappers, moduleName: 'example' });
const fn = (name: string): JitFunction => {
  const f = example.functions[name];
  if (f === undefined) throw new Error(`no function ${name}`);
  return f;
};

describe('NativeEngine: calling jitted N-API wrappers', () => {
  it('adds doubles like JS, including NaN, infinities and the sign of zero', () => {
    const add = fn('add');
    expect(add(2, 3)).toBe(5);
    expect(add(0.1, 0.2)).toBe(0.1 + 0.2);
    expect(add(NaN, 1)).toBeNaN();
    expect(add(Infinity, -Infinity)).toBeNaN();
    expect(Object.is(add(-0, -0), -0)).toBe(true);
    expect(Object.is(add(-0, 0), 0)).toBe(true);
    expect(add.name).toBe('add');
  });

  it('agrees with JS addition on arbitrary doubles', () => {
    const add = fn('add');
    fc.assert(
      fc.property(fc.double(), fc.double(), (a, b) => Object.is(add(a, b), a + b)),
      { numRuns: 500 },
    );
  });

  it('turns an exception thrown by the wrapper into a JS exception', () => {
    expect(() => fn('add')('2', 3)).toThrow(new TypeError('add: expected numbers'));
    const sqrt = fn('checkedSqrt');
    expect(sqrt(9)).toBe(3);
    let caught: unknown;
    try {
      sqrt(-1);
    } catch (e) {
      caught = e;
    }
    expect(caught).toBeInstanceOf(RangeError);
    expect((caught as RangeError).message).toBe('sqrt of a negative number');
    expect((caught as { code?: string }).code).toBe('ERR_NEGATIVE');
  });

  it('reads typed arrays through napi_get_typedarray_info', () => {
    const sum = fn('sumInt32');
    const data = Int32Array.from({ length: 1001 }, (_, i) => i - 300);
    expect(sum(data)).toBe(data.reduce((a, b) => a + b, 0));
    expect(sum(new Int32Array([0x7fffffff, 1]))).toBe(-0x80000000);
    expect(sum(new Int32Array(0))).toBe(0);
  });

  it('accepts typed-pointer IR, as LLVM 14 prints it by default', () => {
    const m = engine.compile(addTypedPointerIR, { wrappers: [{ symbol: 'add_napi', name: 'add' }], optLevel: 2 });
    expect(m.functions.add?.(1.5, 2)).toBe(3.5);
    expect(m.irAfter).toContain('fadd double');
    m.dispose();
  });

  it('keeps modules that define the same symbols apart', () => {
    const a = engine.compile(addModuleIR, { wrappers: [{ symbol: 'add_napi', name: 'add' }] });
    const b = engine.compile(addModuleIR.replace('fadd double %a, %b', 'fsub double %a, %b'), {
      wrappers: [{ symbol: 'add_napi', name: 'sub' }],
    });
    expect(a.functions.add?.(5, 3)).toBe(8);
    expect(b.functions.sub?.(5, 3)).toBe(2);
    a.dispose();
    expect(b.functions.sub?.(5, 3)).toBe(2);
    b.dispose();
  });
});

describe('NativeEngine: LLVM errors become JS exceptions', () => {
  it("reports the parser's message with module name, line and column", () => {
    expect(() =>
      engine.compile('define double @f(double %x) {\n  ret double %y\n}\n', { wrappers: [], moduleName: 'broken' }),
    ).toThrow(/^LLVM IR parse error: broken:2:14: error: use of undefined value '%y'/);
  });

  it("reports the verifier's message", () => {
    const ir = `
define i32 @f(i1 %c) {
entry:
  br i1 %c, label %then, label %join
then:
  %x = add i32 1, 2
  br label %join
join:
  ret i32 %x
}
`;
    expect(() => engine.compile(ir, { wrappers: [] })).toThrow(
      /^LLVM IR verification failed: Instruction does not dominate all uses!/,
    );
    expect(() => engine.assembly(ir)).toThrow(/Instruction does not dominate all uses/);
  });

  it('reports unresolved external symbols at JIT time', () => {
    const ir = `
declare double @rvsdg_no_such_function(double)
define double @g(double %x) {
  %r = call double @rvsdg_no_such_function(double %x)
  ret double %r
}
define ptr @g_napi(ptr %env, ptr %info) {
  ret ptr null
}
`;
    expect(() => engine.compile(ir, { wrappers: [{ symbol: 'g_napi', name: 'g' }] })).toThrow(
      /^LLVM JIT compilation failed: .*rvsdg_no_such_function/s,
    );
  });

  it('turns diagnostics LLVM would exit the process for into exceptions', () => {
    const ir = `
define ptr @w(ptr %env, ptr %info) {
  call void asm sideeffect "bogus_instr %eax", ""()
  ret ptr null
}
`;
    expect(() => engine.compile(ir, { wrappers: [{ symbol: 'w', name: 'w' }] })).toThrow(
      /^LLVM JIT compilation failed: <inline asm>:1:2: invalid instruction mnemonic 'bogus_instr'/,
    );
    expect(() => engine.assembly(ir)).toThrow(/^LLVM code generation failed: .*bogus_instr/);
    expect(engine.compile(addModuleIR, { wrappers: [{ symbol: 'add_napi', name: 'add' }] }).functions.add?.(1, 1)).toBe(
      2,
    );
  });

  it('rejects wrappers that are not N-API callbacks', () => {
    expect(() => engine.compile(addModuleIR, { wrappers: [{ symbol: 'add', name: 'add' }] })).toThrow(
      /wrapper symbol 'add' .* is not an N-API callback/,
    );
  });

  it('rejects wrappers the module does not define, and bad options', () => {
    expect(() => engine.compile(addModuleIR, { wrappers: [{ symbol: 'nope', name: 'nope' }] })).toThrow(
      /wrapper symbol 'nope' is not defined/,
    );
    expect(() => engine.compile(addModuleIR, { wrappers: [], optLevel: 4 as 3 })).toThrow(RangeError);
  });
});

describe('NativeEngine: inspection', () => {
  it('exposes the IR before and after optimization, and the assembly', () => {
    expect(example.irBefore).toBe(exampleModuleIR);
    // O3 inlines the kernel into its wrapper and vectorizes the sum loop.
    expect(example.irAfter).toMatch(/define ptr @add_napi[^]*fadd double/);
    expect(example.irAfter).toMatch(/add <\d+ x i32>/);
    expect(example.irAfter).toContain(`target triple = "${engine.host.triple}"`);
    expect(example.assembly()).toMatch(/^add_napi:[^]*v?addsd/m);
    const o0 = engine.optimize(exampleModuleIR, { optLevel: 0 });
    expect(o0).not.toMatch(/<\d+ x i32>/);
  });

  it('reports timings for each stage', () => {
    for (const key of ['parseMs', 'optimizeMs', 'jitMs', 'totalMs'] as const) {
      expect(example.timings[key]).toBeGreaterThan(0);
    }
    expect(example.timings.totalMs).toBeGreaterThanOrEqual(example.timings.parseMs + example.timings.jitMs);
  });
});

describe('NativeEngine: resources', () => {
  it('releases the code of every module when modules are compiled and disposed in a loop', () => {
    const wrappers = [{ symbol: 'add_napi', name: 'add' }];
    const round = (): void => {
      const m = engine.compile(addModuleIR, { wrappers, optLevel: 2 });
      if (m.functions.add?.(1, 2) !== 3) throw new Error('wrong result');
      m.dispose();
    };
    for (let i = 0; i < 20; i++) round();
    const live = engine.stats().liveModules;
    for (let i = 0; i < 200; i++) round();
    // Every module's code is released (modules of earlier tests may be finalized meanwhile, so the count can
    // only fall); resident memory per module is measured by the runtime's memory benchmark.
    expect(engine.stats().liveModules).toBeLessThanOrEqual(live);
  });

  it('frees the code of modules that were garbage collected without dispose', () => {
    const script = `
      const addon = require(${JSON.stringify(NativeEngine.addonPath)});
      const ir = ${JSON.stringify(addModuleIR)};
      const before = addon.stats().liveModules;
      (() => {
        for (let i = 0; i < 20; i++) addon.compile(ir, 2, 'm' + i, ['add_napi'], ['add']).functions.add_napi(1, 2);
      })();
      const peak = addon.stats().liveModules;
      const kept = addon.compile(ir, 2, 'kept', ['add_napi'], ['add']).functions.add_napi;
      let rounds = 0;
      const settle = () => {
        globalThis.gc();
        if (addon.stats().liveModules > before + 1 && ++rounds < 50) return setImmediate(settle);
        console.log(JSON.stringify({ before, peak, after: addon.stats().liveModules, kept: kept(2, 3) }));
      };
      settle();`;
    const child = spawnSync(process.execPath, ['--expose-gc', '-e', script], { encoding: 'utf8' });
    expect(child.stderr).toBe('');
    expect(JSON.parse(child.stdout)).toEqual({ before: 0, peak: 20, after: 1, kept: 5 });
  });

  it('replaces the functions of a disposed module with ones that throw', () => {
    const m = engine.compile(addModuleIR, { wrappers: [{ symbol: 'add_napi', name: 'add' }] });
    m.dispose();
    expect(m.disposed).toBe(true);
    expect(() => m.functions.add?.(1, 2)).toThrow(/disposed/);
    m.dispose();
  });

  it('serves worker threads concurrently and frees their modules when they exit', async () => {
    const live = engine.stats().liveModules;
    const source = `
      const { parentPort, workerData } = require('node:worker_threads');
      const addon = require(workerData.path);
      let ok = 0;
      for (let i = 0; i < 20; i++) {
        const m = addon.compile(workerData.ir, 1, 'worker' + i, ['add_napi'], ['add']);
        if (m.functions.add_napi(i, 0.5) === i + 0.5) ok++;
        if (i % 2 === 0) addon.release(m.handle);
      }
      parentPort.postMessage(ok);`;
    const run = (): Promise<unknown> =>
      new Promise((resolve, reject) => {
        const worker = new Worker(source, {
          eval: true,
          workerData: { path: NativeEngine.addonPath, ir: addModuleIR },
        });
        let result: unknown;
        worker.on('message', (m) => (result = m));
        worker.on('error', reject);
        worker.on('exit', () => resolve(result));
      });
    const main = engine.compile(addModuleIR, { wrappers: [{ symbol: 'add_napi', name: 'add' }] });
    expect(await Promise.all([run(), run(), run()])).toEqual([20, 20, 20]);
    expect(main.functions.add?.(1, 2)).toBe(3);
    main.dispose();
    // 30 worker modules were compiled; none is left (earlier tests' modules may be finalized meanwhile).
    expect(engine.stats().liveModules).toBeLessThanOrEqual(live);
  });

  it('compiles what the text IR builder (llvm-ir/) writes', () => {
    const module = new llvm.Module('from_builder');
    const builder = new llvm.IRBuilder();
    const double = builder.getDoubleTy();
    const f = llvm.Function.Create(
      llvm.FunctionType.get(double, [double, double]),
      llvm.Function.LinkageTypes.ExternalLinkage,
      'mul',
      module,
    );
    builder.SetInsertPoint(llvm.BasicBlock.Create(undefined, 'entry', f));
    builder.CreateRet(builder.CreateFMul(f.getArg(0), f.getArg(1)));
    expect(() => engine.verify(module.print())).not.toThrow();
    const asm = engine.assembly(module.print(), { optLevel: 2 });
    expect(asm).toMatch(/^mul:[^]*v?mulsd/m);
  });

  it('verify() reports parse and verifier errors with their codes', () => {
    const caught = (ir: string): { code?: string; message: string } => {
      try {
        engine.verify(ir, { moduleName: 'checked' });
      } catch (error) {
        return error as { code?: string; message: string };
      }
      return { message: 'no error' };
    };
    expect(caught('define i32 @f() {\n  ret double 1.0\n}\n')).toMatchObject({
      code: 'ERR_LLVM_PARSE',
      message: expect.stringMatching(/^LLVM IR parse error: checked:2:/),
    });
    expect(
      caught(
        'define i32 @f() {\nentry:\n  br label %x\nx:\n  %y = add i32 %z, 1\n  %z = add i32 %y, 1\n  ret i32 %y\n}\n',
      ),
    ).toMatchObject({
      code: 'ERR_LLVM_VERIFY',
    });
    expect(caught('define i32 @f() {\n  ret i32 1\n}\n')).toEqual({ message: 'no error' });
  });
});
