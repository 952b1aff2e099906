import { spawnSync } from 'node:child_process';

import { describe, expect, it } from 'vitest';

import { NativeEngine } from './native-engine.js';
import { addModuleIR, exampleModuleIR, exampleWrappers } from './testing/add-module.js';

const engine = NativeEngine.shared();
const addWrapper = [{ symbol: 'add_napi', name: 'add' }];

describe('NativeEngine: object code for the on-disk cache', () => {
  it('compiles through an object file and hands its bytes back', () => {
    const m = engine.compile(exampleModuleIR, { wrappers: exampleWrappers, keepObject: true });
    expect(m.object).toBeInstanceOf(Uint8Array);
    expect(Array.from(m.object?.subarray(0, 4) ?? [])).toEqual([0x7f, 0x45, 0x4c, 0x46]);
    expect(m.functions.add?.(2, 3)).toBe(5);
    expect(m.functions.sumInt32?.(new Int32Array([1, 2, 3]))).toBe(6);
    expect(() => m.functions.checkedSqrt?.(-1)).toThrow(RangeError);
    m.dispose();
  });

  it('loads the same object twice into one process without a symbol clash', () => {
    const compiled = engine.compile(exampleModuleIR, { wrappers: exampleWrappers, keepObject: true });
    const object = compiled.object as Uint8Array;
    const before = engine.stats();
    const a = engine.loadObject(object, exampleWrappers);
    const b = engine.loadObject(object, exampleWrappers);
    const after = engine.stats();
    expect(after.compiledModules).toBe(before.compiledModules);
    expect(after.loadedObjects).toBe(before.loadedObjects + 2);
    expect(a.functions.add?.(0.1, 0.2)).toBe(0.1 + 0.2);
    expect(b.functions.sumInt32?.(new Int32Array([0x7fffffff, 1]))).toBe(-0x80000000);
    expect(after.liveModules).toBe(before.liveModules + 2);
    a.dispose();
    expect(engine.stats().liveModules).toBe(before.liveModules + 1);
    expect(() => a.functions.add?.(1, 2)).toThrow(/disposed/);
    // The other load's code is still mapped.
    expect(b.functions.add?.(1, 2)).toBe(3);
    b.dispose();
    compiled.dispose();
  });

  it('refuses bytes that are no object from a keepObject compile', () => {
    expect(() => engine.loadObject(new Uint8Array([1, 2, 3]), addWrapper)).toThrow(/not an object/);
    const plain = new Uint8Array(64);
    plain.set([0x7f, 0x45, 0x4c, 0x46, 2]);
    expect(() => engine.loadObject(plain, addWrapper)).toThrow(/not an object/);
  });

  it('loads in another process what this one compiled, without compiling', () => {
    const compiled = engine.compile(addModuleIR, { wrappers: addWrapper, keepObject: true });
    const bytes = Buffer.from(compiled.object as Uint8Array).toString('base64');
    const script = `
      const addon = require(${JSON.stringify(NativeEngine.addonPath)});
      addon.start();
      const m = addon.loadObject(Buffer.from(${JSON.stringify(bytes)}, 'base64'), ['add_napi'], ['add']);
      const stats = addon.stats();
      console.log(JSON.stringify({ sum: m.functions.add_napi(0.1, 0.2), compiled: stats.compiledModules, loaded: stats.loadedObjects }));`;
    const child = spawnSync(process.execPath, ['-e', script], { encoding: 'utf8' });
    expect(child.stderr).toBe('');
    expect(JSON.parse(child.stdout)).toEqual({ sum: 0.1 + 0.2, compiled: 0, loaded: 1 });
    compiled.dispose();
  });
});
