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
