import { spawnSync } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { jit } from '@rvsdg/runtime';
import { benchDir } from './kernels.js';
import { median } from './stats.js';

export interface CallOverhead {
  /** Nanoseconds per call of `(a, b) => a + b`, by how it is called; a string says why a row is missing. */
  readonly v8: number;
  readonly jit: number | string;
  readonly napi: number | string;
  readonly calls: number;
  /** Nanoseconds per jitted call of `(x0, ..., xk) => x0[0] + ... + xk[0]` with k Float64Array arguments, by k. */
  readonly arrays?: readonly { readonly count: number; readonly ns: number | string }[];
}

type Add = (a: number, b: number) => number;

// The loop lives in a function created per variant, so V8 does not merge the
// call sites of different callees into one megamorphic site.
function timeCalls(label: string, fn: Add, calls: number, repeats: number): number {
  // The label makes each source unique, so no two loops share compiled code or feedback.
  const loop = new Function(
    'f',
    'n',
    `/* ${label} */ let s = 0; for (let i = 0; i < n; i++) s = f(s, 1); return s;`,
  ) as (f: Add, n: number) => number;
  loop(fn, Math.min(calls, 10_000));
  const samples: number[] = [];
  for (let r = 0; r < repeats; r++) {
    const start = process.hrtime.bigint();
    const sum = loop(fn, calls);
    const ns = Number(process.hrtime.bigint() - start);
    if (sum !== calls) throw new Error(`call overhead: the loop summed to ${sum}, expected ${calls}`);
    samples.push(ns / calls);
  }
  return median(samples);
}

function napiAdd(): Add | string {
  const dir = join(tmpdir(), 'rvsdg-bench-c');
  mkdirSync(dir, { recursive: true });
  const out = join(dir, 'napi_add.node');
  const result = spawnSync('cc', ['-O2', '-shared', '-fPIC', '-o', out, join(benchDir, 'c', 'napi_add.c')], {
    encoding: 'utf8',
  });
  if (result.error) return `no cc (${result.error.message})`;
  if (result.status !== 0) return `cc failed: ${result.stderr.trim().split('\n')[0] ?? ''}`;
  return (createRequire(import.meta.url)(out) as { add: Add }).add;
}

function reason(error: unknown): string {
  return error instanceof Error ? `${error.name}: ${error.message.split('\n')[0] ?? ''}` : String(error);
}

type ArrayKernel = (...xs: Float64Array[]) => number;

/** A jitted call with `count` Float64Array arguments, each holding 1: what each TypedArray argument adds. */
function timeArrayCalls(count: number, calls: number, repeats: number): number | string {
  const params = Array.from({ length: count }, (_, i) => `x${i}`);
  let kernel: ArrayKernel;
  try {
    kernel = jit(new Function(...params, `return ${params.map((p) => `${p}[0]`).join(' + ')};`) as ArrayKernel);
  } catch (error) {
    return reason(error);
  }
  const xs = params.map(() => new Float64Array([1]));
  const loop = new Function(
    'f',
    'xs',
    'n',
    `/* arrays ${count} */ const [${params.join(', ')}] = xs; let s = 0; for (let i = 0; i < n; i++) s += f(${params.join(', ')}); return s;`,
  ) as (f: ArrayKernel, xs: Float64Array[], n: number) => number;
  try {
    loop(kernel, xs, Math.min(calls, 10_000));
  } catch (error) {
    return reason(error);
  }
  const samples: number[] = [];
  for (let r = 0; r < repeats; r++) {
    const start = process.hrtime.bigint();
    const sum = loop(kernel, xs, calls);
    const ns = Number(process.hrtime.bigint() - start);
    if (sum !== calls * count) throw new Error(`call overhead: the loop summed to ${sum}, expected ${calls * count}`);
    samples.push(ns / calls);
  }
  return median(samples);
}

/**
 * The cost of calling `(a, b) => a + b`: plain V8, jitted, and through a
 * hand-written N-API addon; and of jitted calls with 1, 2 and 4 Float64Array
 * arguments.
 */
export function measureCallOverhead(calls = 2_000_000, repeats = 7): CallOverhead {
  const add: Add = (a, b) => a + b;
  let jitted: Add | string;
  try {
    jitted = jit((a: number, b: number) => a + b);
    jitted(1, 2);
  } catch (error) {
    jitted = reason(error);
  }
  const napi = napiAdd();
  return {
    v8: timeCalls('v8', add, calls, repeats),
    jit: typeof jitted === 'string' ? jitted : timeCalls('jit', jitted, calls, repeats),
    napi: typeof napi === 'string' ? napi : timeCalls('napi', napi, calls, repeats),
    calls,
    arrays: [1, 2, 4].map((count) => ({ count, ns: timeArrayCalls(count, calls, repeats) })),
  };
}
