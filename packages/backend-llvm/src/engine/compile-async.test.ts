import { describe, expect, it } from 'vitest';

import { NativeEngine } from './native-engine.js';
import { exampleModuleIR, exampleWrappers } from './testing/add-module.js';

const engine = NativeEngine.shared();

/**
 * A module whose one function returns `value`: two of them tell which code
 * a call ran. `padding` functions make its compile take a while.
 */
function constantModule(value: number, padding = 0): string {
  const pad = Array.from(
    { length: padding },
    (_, i) => `
define double @pad${i}(ptr %p, i64 %n) {
entry:
  br label %loop
loop:
  %i = phi i64 [ 0, %entry ], [ %next, %loop ]
  %acc = phi double [ 0.0, %entry ], [ %sum, %loop ]
  %q = getelementptr double, ptr %p, i64 %i
  %x = load double, ptr %q
  %y = fmul double %x, ${i}.5
  %sum = fadd double %acc, %y
  %next = add i64 %i, 1
  %done = icmp eq i64 %next, %n
  br i1 %done, label %exit, label %loop
exit:
  ret double %sum
}`,
  ).join('');
  return `${pad}
declare i32 @napi_create_double(ptr, double, ptr)
define ptr @answer_napi(ptr %env, ptr %info) {
  %out = alloca ptr
  call i32 @napi_create_double(ptr %env, double ${value.toFixed(1)}, ptr %out)
  %r = load ptr, ptr %out
  ret ptr %r
}
`;
}
const answerWrappers = [{ symbol: 'answer_napi', name: 'answer' }];

/** Sleeps this thread without returning to the event loop. */
function blockFor(ms: number): void {
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);
}

describe('NativeEngine.compileAsync (tiered compilation)', () => {
  it('compiles on a background thread to functions equal to compile()', async () => {
    const before = engine.stats();
    const pending = engine.compileAsync(exampleModuleIR, {
      wrappers: exampleWrappers,
      moduleName: 'async',
      optLevel: 3,
    });
    // The engine keeps serving this thread while the background compile runs (or waits for it).
    const sync = engine.compile(exampleModuleIR, { wrappers: exampleWrappers, optLevel: 1 });
    const compiled = await pending;
    expect(compiled.optLevel).toBe(3);
    expect(compiled.irAfter).toContain('define');
    expect(engine.stats().compiledModules).toBe(before.compiledModules + 2);
    const add = compiled.functions['add'];
    const syncAdd = sync.functions['add'];
    expect(add?.name).toBe('add');
    for (const [a, b] of [
      [2, 3],
      [0.1, 0.2],
      [-0, -0],
      [NaN, 1],
    ] as const) {
      expect(Object.is(add?.(a, b), syncAdd?.(a, b))).toBe(true);
    }
    expect(() => add?.('2', 3)).toThrow(new TypeError('add: expected numbers'));
    const live = engine.stats().liveModules;
    compiled.dispose();
    sync.dispose();
    expect(engine.stats().liveModules).toBe(live - 2);
  });

  it('with keepObject, generates the object on the background thread: the same bytes as compile, loadable', async () => {
    const sync = engine.compile(exampleModuleIR, {
      wrappers: exampleWrappers,
      moduleName: 'kept',
      optLevel: 3,
      keepObject: true,
    });
    const before = engine.stats();
    const compiled = await engine.compileAsync(exampleModuleIR, {
      wrappers: exampleWrappers,
      moduleName: 'kept',
      optLevel: 3,
      keepObject: true,
    });
    expect(engine.stats().compiledModules).toBe(before.compiledModules + 1);
    expect(engine.stats().loadedObjects).toBe(before.loadedObjects + 1);
    const object = compiled.object as Uint8Array;
    expect(Array.from(object.subarray(0, 4))).toEqual([0x7f, 0x45, 0x4c, 0x46]);
    expect(Buffer.from(object).equals(Buffer.from(sync.object as Uint8Array))).toBe(true);
    expect(compiled.functions.add?.(0.1, 0.2)).toBe(0.1 + 0.2);
    expect(compiled.functions.sumInt32?.(new Int32Array([0x7fffffff, 1]))).toBe(-0x80000000);
    expect(() => compiled.functions.checkedSqrt?.(-1)).toThrow(RangeError);
    const loaded = engine.loadObject(object, exampleWrappers);
    expect(loaded.functions.add?.(2, 3)).toBe(5);
    const live = engine.stats().liveModules;
    loaded.dispose();
    compiled.dispose();
    sync.dispose();
    expect(engine.stats().liveModules).toBe(live - 3);
  });

  for (const keepObject of [false, true]) {
    it(`redirects a tiered module's calls to the recompiled code once it is linked, with no turn of the event loop (keepObject ${keepObject})`, async () => {
      const before = engine.stats();
      const quick = engine.compile(constantModule(1), {
        wrappers: answerWrappers,
        optLevel: 1,
        tiered: true,
        keepObject,
      });
      const answer = quick.functions['answer'] as () => number;
      expect(answer()).toBe(1);
      expect(quick.redirected).toBe(false);
      const pending = engine.compileAsync(constantModule(2), {
        wrappers: answerWrappers,
        optLevel: 3,
        keepObject,
        replaces: quick,
      });
      // Synchronous: the promise cannot settle before this loop ends.
      const deadline = Date.now() + 60_000;
      let value = answer();
      while (value === 1 && Date.now() < deadline) {
        blockFor(1);
        value = answer();
      }
      expect(value).toBe(2);
      expect(quick.redirected).toBe(true);
      expect(engine.stats().redirectedModules).toBe(before.redirectedModules + 1);
      const recompiled = await pending;
      expect(recompiled.functions['answer']?.()).toBe(2);
      expect(answer()).toBe(2);
      // Disposing the new code points the old functions back at their own.
      recompiled.dispose();
      expect(quick.redirected).toBe(false);
      expect(answer()).toBe(1);
      quick.dispose();
      expect(engine.stats().liveModules).toBe(before.liveModules);
    });
  }

  it('leaves a disposed or untiered module alone', async () => {
    const before = engine.stats();
    const disposed = engine.compile(constantModule(1), { wrappers: answerWrappers, optLevel: 1, tiered: true });
    disposed.dispose();
    const late = await engine.compileAsync(constantModule(2), { wrappers: answerWrappers, replaces: disposed });
    // Disposed while the (slow) background compile runs: its slots are gone, nothing is written there.
    const quick = engine.compile(constantModule(1), { wrappers: answerWrappers, optLevel: 1, tiered: true });
    const pending = engine.compileAsync(constantModule(2, 200), { wrappers: answerWrappers, replaces: quick });
    quick.dispose();
    const recompiled = await pending;
    expect(recompiled.functions['answer']?.()).toBe(2);
    const plain = engine.compile(constantModule(1), { wrappers: answerWrappers, optLevel: 1 });
    const again = await engine.compileAsync(constantModule(2), { wrappers: answerWrappers, replaces: plain });
    expect(plain.functions['answer']?.()).toBe(1);
    expect(plain.redirected).toBe(false);
    expect(engine.stats().redirectedModules).toBe(before.redirectedModules);
    for (const m of [late, recompiled, plain, again]) m.dispose();
    expect(engine.stats().liveModules).toBe(before.liveModules);
  });

  it('rejects with LLVM’s message when the text does not parse, and nothing stays compiled', async () => {
    const live = engine.stats().liveModules;
    await expect(engine.compileAsync('define i32 @f( {', { wrappers: [] })).rejects.toThrow(/LLVM IR parse error/);
    await expect(
      engine.compileAsync(exampleModuleIR, { wrappers: [{ symbol: 'no_such_symbol', name: 'x' }] }),
    ).rejects.toThrow(/no_such_symbol/);
    expect(engine.stats().liveModules).toBe(live);
  });

  it('checks its arguments before starting', async () => {
    await expect(() => engine.compileAsync(exampleModuleIR, { wrappers: [], optLevel: 7 as never })).rejects.toThrow(
      /optLevel/,
    );
  });
});
