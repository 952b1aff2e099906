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

/** The cost of calling `(a, b) => a + b`: plain V8, jitted, and through a hand-written N-API addon. */
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
  };
}
