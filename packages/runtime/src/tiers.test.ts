import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import fc from 'fast-check';
import { NativeEngine } from '@rvsdg/backend-llvm';
import { describe, expect, it } from 'vitest';
import { jit } from './index.js';
import { quickTierOptLevel, resolveOptions, tieringDisabledByEnvironment } from './options.js';
import { i64Limit, programFunction, randomArguments, randomProgram } from './testing/random-program.js';
import { tierUpCalls } from './tiers.js';

type Program = (a: number, b: number, xs: Float64Array) => number;

function outcome(body: () => number): string {
  try {
    const value = body();
    return Object.is(value, -0) ? '-0' : String(value);
  } catch (error) {
    return `${(error as Error).name}: ${(error as Error).message}`;
  }
}

/** What a call returns or throws, and the array it leaves. */
function run(fn: Program, [a, b, xs]: readonly [number, number, Float64Array]): string {
  const copy = xs.slice();
  const result = outcome(() => fn(a, b, copy));
  return `${result} [${Array.from(copy, (x) => (Object.is(x, -0) ? '-0' : String(x))).join(', ')}]`;
}

const compiledModules = (): number => NativeEngine.shared().stats().compiledModules;

function dot(xs: Float64Array, ys: Float64Array): number {
  let s = 0;
  for (let i = 0; i < xs.length; i++) s += xs[i]! * ys[i]!;
  return s;
}

describe('tiered compilation', () => {
  it('runs the quick tier first, then recompiles at O3 once hot, and the results stay equal across the swap', async () => {
    const f = jit(dot, { cache: false });
    const xs = Float64Array.from({ length: 100 }, (_, i) => Math.sin(i) * 1e3);
    const ys = Float64Array.from({ length: 100 }, (_, i) => 1 / (i + 0.5));
    const expected = dot(xs, ys);
    expect(f(xs, ys)).toBe(expected);
    expect(f.inspect().tier).toBe('quick');
    expect(f.inspect().optLevel).toBe(quickTierOptLevel);
    const before = compiledModules();
    for (let i = 1; i < tierUpCalls; i++) expect(f(xs, ys)).toBe(expected);
    // Hot now: the optimized tier compiles in the background while calls go on.
    for (let turns = 0; turns < 2000 && f.inspect().tier === 'quick'; turns++) {
      expect(f(xs, ys)).toBe(expected);
      await new Promise((resolve) => setTimeout(resolve, 5));
    }
    expect(compiledModules()).toBeGreaterThan(before);
    const inspection = f.inspect();
    expect(inspection.tier).toBe('optimized');
    expect(inspection.optLevel).toBe(3);
    expect(f(xs, ys)).toBe(expected);
    await f.whenOptimized();
  }, 60_000);

  it('switches to the optimized tier inside a synchronous loop, with no turn of the event loop', () => {
    const f = jit(dot, { cache: false });
    const xs = Float64Array.from({ length: 64 }, (_, i) => Math.cos(i) * 1e2);
    const ys = Float64Array.from({ length: 64 }, (_, i) => i - 31.5);
    const expected = dot(xs, ys);
    expect(f(xs, ys)).toBe(expected);
    // This test function is synchronous: no promise callback or completion of the background
    // compile runs before it returns, only the background thread's switch of the quick function.
    const sleep = new Int32Array(new SharedArrayBuffer(4));
    const deadline = Date.now() + 60_000;
    let calls = 1;
    let tier = f.inspect().tier;
    while (tier === 'quick' && Date.now() < deadline) {
      for (let i = 0; i < 100; i++, calls++) if (f(xs, ys) !== expected) throw new Error(`call ${calls} differs`);
      Atomics.wait(sleep, 0, 0, 2);
      tier = f.inspect().tier;
    }
    expect(tier).toBe('optimized');
    expect(f.inspect().optLevel).toBe(3);
    expect(calls).toBeGreaterThanOrEqual(tierUpCalls);
    for (let i = 0; i < 1000; i++) if (f(xs, ys) !== expected) throw new Error(`call ${i} after the switch differs`);
  }, 60_000);

  it('whenOptimized installs the optimized tier of every specialization at once', async () => {
    const f = jit((a: number, b: number) => a * b - a / b, { cache: false });
    expect(f(3, 4)).toBe(3 * 4 - 3 / 4);
    expect(f(5n as never, 2n as never)).toBe(5n * 2n - 5n / 2n);
    await f.whenOptimized();
    expect(f.inspect('(number, number)').tier).toBe('optimized');
    expect(f.inspect('(bigint, bigint)').tier).toBe('optimized');
    expect(f(3, 4)).toBe(3 * 4 - 3 / 4);
    expect(f(5n as never, 2n as never)).toBe(5n * 2n - 5n / 2n);
  }, 60_000);

  it('swaps the optimized tier into a function reading TypedArrays from its scope and one comparing its arguments', async () => {
    const weights = new Float64Array([0.5, -2, 3.25]);
    const weighted = (xs: Float64Array): number => {
      let s = 0;
      for (let i = 0; i < xs.length; i++) s += xs[i]! * weights[i % weights.length]!;
      return s;
    };
    const same = (xs: Float64Array, ys: Float64Array): number => {
      if (xs === ys) return xs[0]!;
      return ys[0]! - xs[0]!;
    };
    const f = jit(weighted, { cache: false });
    const g = jit(same, { cache: false });
    const xs = Float64Array.from({ length: 7 }, (_, i) => i * 1.5 - 4);
    const ys = new Float64Array([9, 8]);
    expect(f(xs)).toBe(weighted(xs));
    expect(g(xs, xs)).toBe(same(xs, xs));
    expect(g(xs, ys)).toBe(same(xs, ys));
    expect(f.inspect().tier).toBe('quick');
    await Promise.all([f.whenOptimized(), g.whenOptimized()]);
    // The specializations carrying scope arrays or identity facts see the swap of the one they share.
    expect(f.inspect().tier).toBe('optimized');
    // Both tiers take the scope array after the arguments, on the fast path and off it.
    for (let i = 0; i < 3 * tierUpCalls; i++) expect(f(xs)).toBe(weighted(xs));
    weights[1] = 7;
    expect(f(xs)).toBe(weighted(xs));
    expect(g(xs, xs)).toBe(same(xs, xs));
    expect(g(xs, ys)).toBe(same(xs, ys));
  }, 60_000);

  it('compiles once at the given level with optLevel or tier: false', async () => {
    for (const options of [{ optLevel: 1 as const }, { tier: false }, { optLevel: 3 as const }]) {
      const f = jit(dot, { cache: false, ...options });
      const xs = new Float64Array([1, 2, 3]);
      for (let i = 0; i < 3 * tierUpCalls; i++) expect(f(xs, xs)).toBe(14);
      const before = compiledModules();
      await f.whenOptimized();
      await new Promise((resolve) => setTimeout(resolve, 20));
      expect(compiledModules()).toBe(before);
      expect(f.inspect().tier).toBe('single');
      expect(f.inspect().optLevel).toBe(options.optLevel ?? 3);
    }
  }, 60_000);

  it('reads RVSDG_JIT_TIER and rejects a non-boolean tier option', () => {
    expect(tieringDisabledByEnvironment({ RVSDG_JIT_TIER: '0' })).toBe(true);
    expect(tieringDisabledByEnvironment({ RVSDG_JIT_TIER: 'false' })).toBe(true);
    expect(tieringDisabledByEnvironment({ RVSDG_JIT_TIER: '1' })).toBe(false);
    expect(tieringDisabledByEnvironment({})).toBe(false);
    expect(() => resolveOptions({ tier: 'yes' } as never)).toThrow(/option 'tier' must be a boolean/);
    expect(resolveOptions({ tier: false })).toMatchObject({ tierUp: false, optLevel: 3 });
    expect(resolveOptions({ optLevel: 2 })).toMatchObject({ tierUp: false, optLevel: 2 });
  });

  // Issue 14's correctness target: both tiers of the same function agree with V8 on the random programs.
  it('both tiers of the same functions agree with V8 on random programs', async () => {
    const batches = 3;
    const size = 20;
    let checked = 0;
    await fc.assert(
      fc.asyncProperty(
        fc.array(randomProgram, { minLength: size, maxLength: size }),
        fc.array(randomArguments, { minLength: 4, maxLength: 4 }),
        async (batch, args) => {
          const v8 = batch.map((p) => programFunction(p) as Program);
          const constants = Object.assign({}, ...batch.map((p) => p.scope ?? {})) as Record<string, bigint>;
          const scope = { ...constants, ...Object.fromEntries(v8.map((fn, k) => [`f${k}`, fn])) };
          const cases = v8.map((_, k) => `  if (k === ${k}) return f${k}(a, b, xs);`).join('\n');
          const entry = new Function(`return function batch(k, a, b, xs) {\n${cases}\n  return 0;\n}`)() as (
            k: number,
            a: number,
            b: number,
            xs: Float64Array,
          ) => number;
          const compiled = jit(entry, { scope, cache: false });
          const results = (): string[] =>
            v8.flatMap((_, k) => args.map((set) => run((a, b, xs) => compiled(k, a, b, xs), set)));
          const expected = v8.flatMap((fn) => args.map((set) => run(fn, set)));
          const agree = (tier: string, got: readonly string[]): void => {
            got.forEach((g, i) => {
              const program = batch[Math.floor(i / args.length)];
              // Where a BigInt leaves 64 bits, compiled code throws the contract's RangeError.
              if (g !== expected[i] && !(g.startsWith('RangeError') && i64Limit({ name: 'RangeError', message: g }))) {
                throw new Error(`${tier} tier: V8 ${expected[i]}, jit ${g}\n${program?.source}`);
              }
            });
          };
          agree('quick', results());
          await compiled.whenOptimized();
          expect(compiled.inspect().tier).toBe('optimized');
          agree('optimized', results());
          checked += batch.length;
        },
      ),
      { numRuns: batches },
    );
    expect(checked).toBe(batches * size);
  }, 300_000);
});

describe('tiered compilation at exit', () => {
  // The built package: the child runs outside vitest's module loader (`npm run build` first).
  const entry = fileURLToPath(new URL('../dist/index.js', import.meta.url));
  const heavy = `function heavy(xs, n) {
    let s = 0;
    for (let i = 0; i < n; i++) for (let j = 0; j < xs.length; j++) s += Math.sqrt(xs[j] * i + j) / (1 + xs[(j * 7) % xs.length]);
    for (let i = 0; i < xs.length; i++) xs[i] = xs[i] * 0.5 + Math.floor(s) % 3;
    let t = 0;
    for (let i = 0; i < xs.length; i++) for (let j = i; j < xs.length; j++) t += xs[i] * xs[j] - (i ^ j);
    return s + t;
  }`;
  const child = (body: string) =>
    spawnSync(
      process.execPath,
      [
        '--input-type=module',
        '-e',
        `import { jit } from ${JSON.stringify(entry)};\n${heavy}\nconst xs = new Float64Array([1, 2, 3, 4]);\n${body}`,
      ],
      { encoding: 'utf8', timeout: 120_000 },
    );

  it.each([
    [
      'process.exit() with the optimized tier compiling',
      'const f = jit(heavy); f(xs, 3); void f.whenOptimized(); process.exit(0);',
    ],
    [
      'the event loop ending with the optimized tier compiling',
      'const f = jit(heavy); f(xs, 3); void f.whenOptimized();',
    ],
    [
      'a worker thread exiting with the optimized tier compiling',
      `import { Worker } from 'node:worker_threads';
       const source = ${JSON.stringify(`const { jit } = await import(${JSON.stringify(entry)});`)} +
         ${JSON.stringify(`${heavy}\nconst f = jit(heavy); f(new Float64Array([1, 2]), 2); void f.whenOptimized(); process.exit(0);`)};
       const worker = new Worker(source, { eval: true, type: 'module' });
       worker.on('exit', (code) => { const f = jit(heavy); console.log(code, f(xs, 2)); });`,
    ],
    [
      'a worker thread terminated in a synchronous loop that switched tiers',
      `import { Worker } from 'node:worker_threads';
       const source = ${JSON.stringify(`const { jit } = await import(${JSON.stringify(entry)});`)} +
         ${JSON.stringify(`${heavy}\nconst f = jit(heavy); const ys = new Float64Array([1, 2]); (await import('node:worker_threads')).parentPort.postMessage('running'); for (;;) f(ys, 2);`)};
       const worker = new Worker(source, { eval: true, type: 'module' });
       worker.on('message', () => setTimeout(() => void worker.terminate(), 1000));
       worker.on('exit', () => { const f = jit(heavy); console.log(f(xs, 2)); });`,
    ],
  ])(
    'does not crash on %s',
    (_, body) => {
      expect(existsSync(entry), `${entry} is missing: run npm run build`).toBe(true);
      const result = child(body);
      expect(result.stderr).toBe('');
      expect(result.signal).toBe(null);
      expect(result.status).toBe(0);
    },
    150_000,
  );
});
