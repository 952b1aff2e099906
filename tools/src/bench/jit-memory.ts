/**
 * Memory of `jit`: resident memory growth per compiled specialization of a
 * small kernel (all kept alive), then 1,000 distinct functions compiled one
 * after the other in the same process and dropped, with RSS sampled along
 * the way to show that it stays bounded.
 *
 *   npm run build && node --expose-gc tools/dist/bench/jit-memory.js [kept=200] [distinct=1000]
 */
import { performance } from 'node:perf_hooks';
import { NativeEngine } from '@rvsdg/backend-llvm';
import { jit } from '@rvsdg/runtime';
import { positiveInteger } from '../cli-options.js';

const gc = (globalThis as { gc?: () => void }).gc;

// N-API finalizers (which release a module's machine code) run from the event loop after a collection, not inside gc().
async function settle(): Promise<void> {
  if (!gc) return;
  for (let i = 0; i < 4; i++) {
    gc();
    await new Promise((resolve) => setImmediate(resolve));
  }
}

interface Memory {
  readonly rss: number;
  readonly heap: number;
}

async function memory(): Promise<Memory> {
  await settle();
  const usage = process.memoryUsage();
  return { rss: usage.rss / 2 ** 20, heap: usage.heapUsed / 2 ** 20 };
}

const mib = (m: Memory) => `${m.rss.toFixed(1)} MiB (JS heap ${m.heap.toFixed(1)})`;

/** A small kernel, distinct per `k` (a different constant, so neither the cache nor LLVM can share it). */
function kernel(k: number): (xs: Float64Array, a: number) => number {
  return new Function(
    `return function kernel${k}(xs, a) {\n  let s = 0;\n  for (let i = 0; i < xs.length; i++) s += xs[i] * a + ${k};\n  return s;\n}`,
  )() as (xs: Float64Array, a: number) => number;
}

const xs = new Float64Array([1, 2, 3, 4]);

function compileAndCall(k: number): (xs: Float64Array, a: number) => number {
  const fn = kernel(k);
  // Compiled every time: the on-disk cache would load the kernels of an earlier run.
  const jitted = jit(fn, { cache: 'memory' });
  const expected = fn(xs, 2);
  const actual = jitted(xs, 2);
  if (!Object.is(actual, expected)) throw new Error(`kernel${k}: jit gave ${actual}, V8 ${expected}`);
  return jitted;
}

async function main(): Promise<void> {
  // positiveInteger throws a message naming the bad value (NaN would make the loops below run zero times).
  const kept = positiveInteger(process.argv[2] ?? '200');
  const distinct = positiveInteger(process.argv[3] ?? '1000');
  if (!gc) console.log('(run with node --expose-gc for stable figures)');

  // Warm up the compiler itself and let V8 grow its heap to a steady size (about 150 compilations on the
  // development machine; with fewer, heap reservation is counted as growth per specialization).
  for (let k = 0; k < 150; k++) compileAndCall(900_000 + k);

  const before = await memory();
  const start = performance.now();
  const alive: unknown[] = [];
  for (let k = 0; k < kept; k++) alive.push(compileAndCall(k));
  const ms = performance.now() - start;
  const after = await memory();
  const perSpecKiB = ((after.rss - before.rss) * 1024) / kept;
  const perSpecHeapKiB = ((after.heap - before.heap) * 1024) / kept;
  console.log(
    `${kept} specializations kept alive: RSS ${mib(before)} -> ${mib(after)}, ` +
      `${perSpecKiB.toFixed(0)} KiB per specialization (${perSpecHeapKiB.toFixed(0)} KiB of it JS heap); ` +
      `${(ms / kept).toFixed(1)} ms per compilation; ` +
      `live native modules: ${NativeEngine.shared().stats().liveModules}`,
  );
  alive.length = 0;
  const released = await memory();
  console.log(
    `after dropping them: RSS ${mib(released)}, live native modules ${NativeEngine.shared().stats().liveModules}`,
  );

  const samples: string[] = [];
  const base = await memory();
  const t0 = performance.now();
  for (let k = 0; k < distinct; k++) {
    compileAndCall(100_000 + k);
    if ((k + 1) % Math.max(1, Math.floor(distinct / 5)) === 0) {
      const now = await memory();
      samples.push(`${k + 1}: ${mib(now)}, live native modules ${NativeEngine.shared().stats().liveModules}`);
    }
  }
  const total = performance.now() - t0;
  console.log(
    `${distinct} distinct functions compiled and dropped, RSS from ${mib(base)}:\n  ${samples.join('\n  ')}` +
      `\n  ${(total / distinct).toFixed(1)} ms per function`,
  );
}

await main();
