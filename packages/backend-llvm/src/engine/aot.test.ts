import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { bool, fn, i32, ModuleBuilder } from '@rvsdg/ir';

import { lowerModule } from '../lower/lower-module.js';
import { buildNodeAddon, moduleInitSource } from './aot.js';
import { exampleModuleIR, exampleWrappers } from './testing/add-module.js';
import { exactMathEdgeInputs, mathMapModule } from '../lower/exact-math-check.js';
import { v8MathLowerings } from '../lower/ops/v8-math-lowerings.js';

const dir = mkdtempSync(join(tmpdir(), 'rvsdg-aot-test-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function runNode(script: string): { stdout: string; stderr: string; status: number | null } {
  // A fresh process that never loads the engine or LLVM.
  const child = spawnSync(process.execPath, ['-e', script], { encoding: 'utf8' });
  return { stdout: child.stdout, stderr: child.stderr, status: child.status };
}

describe('buildNodeAddon', () => {
  it('emits a .node that a fresh node process loads and calls', () => {
    const { path } = buildNodeAddon(exampleModuleIR, exampleWrappers, join(dir, 'kernels.node'), { optLevel: 3 });
    const script = `
      const m = require(${JSON.stringify(path)});
      console.log(m.add(2, 3));
      console.log(Object.is(m.add(-0, -0), -0), m.sumInt32(new Int32Array([1, 2, 3, 4, 5, 6, 7, 8, 9])));
      try { m.checkedSqrt(-4); } catch (e) { console.log(e instanceof RangeError, e.message); }
      console.log(Object.keys(m).sort().join(','));
      console.log(/llvm/i.test(require('fs').readFileSync('/proc/self/maps', 'utf8')));`;
    const { stdout, stderr, status } = runNode(script);
    expect(stderr).toBe('');
    expect(status).toBe(0);
    expect(stdout.split('\n')).toEqual([
      '5',
      'true 45',
      'true sqrt of a negative number',
      'add,checkedSqrt,sumInt32',
      'false',
      '',
    ]);
  });

  it('needs no LLVM at load time and exports only the module initializer', () => {
    const { path } = buildNodeAddon(exampleModuleIR, exampleWrappers, join(dir, 'deps.node'), { optLevel: 1 });
    const ldd = spawnSync('ldd', [path], { encoding: 'utf8' });
    expect(ldd.status).toBe(0);
    expect(ldd.stdout).not.toMatch(/LLVM/i);
    const nm = spawnSync('nm', ['-D', '--defined-only', path], { encoding: 'utf8' });
    expect(nm.status).toBe(0);
    const exported = nm.stdout.split('\n').flatMap((line) => (/ T (\S+)$/.exec(line) ?? []).slice(1));
    expect(exported.sort()).toEqual(['napi_register_module_v1', 'node_api_module_get_api_version_v1']);
  });

  it.each([true, false])(
    'an addon using exact math (IR linked: %s) loads without LLVM and matches Math.pow',
    (link) => {
      // Linked, the functions come as IR; otherwise the C in native/math is compiled in.
      const lowered = lowerModule(mathMapModule('pow'), { lowerings: v8MathLowerings, linkExactMath: link });
      const irText = lowered.irText;
      const wrappers = lowered.wrappers;
      expect(irText).toContain(link ? 'define internal double @rvsdg_pow(' : 'declare double @rvsdg_pow(');
      const { path } = buildNodeAddon(irText, wrappers, join(dir, `pow-${link}.node`), { optLevel: 2 });
      const { xs, ys } = exactMathEdgeInputs('pow');
      writeFileSync(join(dir, 'pow-xs.bin'), xs);
      writeFileSync(join(dir, 'pow-ys.bin'), ys);
      const script = `
      const m = require(${JSON.stringify(path)});
      const load = (file) => new Float64Array(new Uint8Array(require('fs').readFileSync(file)).buffer);
      const xs = load(${JSON.stringify(join(dir, 'pow-xs.bin'))});
      const ys = load(${JSON.stringify(join(dir, 'pow-ys.bin'))});
      const out = new Float64Array(xs.length);
      m.map(xs, ys, out);
      const same = (a, b) => Object.is(a, b) || (a !== a && b !== b);
      console.log(xs.length, out.filter((r, i) => !same(r, Math.pow(xs[i], ys[i]))).length);
      console.log(/llvm/i.test(require('fs').readFileSync('/proc/self/maps', 'utf8')));`;
      const { stdout, stderr, status } = runNode(script);
      expect(stderr).toBe('');
      expect(status).toBe(0);
      expect(stdout).toBe(`${xs.length} 0\nfalse\n`);
      const ldd = spawnSync('ldd', [path], { encoding: 'utf8' });
      expect(ldd.stdout).not.toMatch(/LLVM|rvsdg_llvm_engine/i);
    },
  );

  it('binds wrapper symbols that are not C identifiers and escapes names', () => {
    const ir = exampleModuleIR.replaceAll('@add_napi', '@"add.napi$1"');
    const wrappers = [{ symbol: 'add.napi$1', name: 'plus "quoted" ✓' }];
    expect(moduleInitSource(wrappers)).toContain('__asm__("add.napi$1")');
    const { path } = buildNodeAddon(ir, wrappers, join(dir, 'names.node'));
    const { stdout, stderr } = runNode(`console.log(require(${JSON.stringify(path)})['plus "quoted" ✓'](1, 2))`);
    expect(stderr).toBe('');
    expect(stdout).toBe('3\n');
  });

  it('compiles in the stack limit, so runaway recursion raises RangeError without LLVM', () => {
    // isEven/isOdd through one phi: isEven(-1) never reaches 0.
    const mb = new ModuleBuilder();
    const t = fn([i32], [bool]);
    const [even] = mb.phi([t, t], (r, [isEven, isOdd]) => {
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
    const lowered = lowerModule(mb.export('isEven', even!).build());
    const { path } = buildNodeAddon(lowered.irText, lowered.wrappers, join(dir, 'recursion.node'));
    const { stdout, stderr, status } = runNode(`
      const m = require(${JSON.stringify(path)});
      try { m.isEven(-1); } catch (e) { console.log(e instanceof RangeError, e.message); }
      console.log(m.isEven(10000), m.isEven(7));`);
    expect(stderr).toBe('');
    expect(status).toBe(0);
    expect(stdout).toBe('true Maximum call stack size exceeded\ntrue false\n');
  });

  it("reports LLVM's message when the IR is invalid, and names a missing wrapper", () => {
    expect(() => buildNodeAddon('define i32 @f() {', [], join(dir, 'bad.node'))).toThrow(/LLVM IR parse error/);
    expect(() =>
      buildNodeAddon(exampleModuleIR, [{ symbol: 'missing', name: 'x' }], join(dir, 'missing.node')),
    ).toThrow(/missing/);
  });
});
