import { describe, expect, it } from 'vitest';

import { NativeEngine } from './native-engine.js';
import { exampleModuleIR, exampleWrappers } from './testing/add-module.js';

const engine = NativeEngine.shared();

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
