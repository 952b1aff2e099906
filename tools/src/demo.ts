/**
 * `npm run demo`: a few kernels of ../shared/BENCHMARKS.md (tools/bench/kernels)
 * run by V8 and through `jit`, with the first call (compile + run), the
 * median steady-state time of each, the speedup, and a check that both
 * give the same result. Takes well under a minute.
 */
import { performance } from 'node:perf_hooks';
import { jit } from '@rvsdg/runtime';
import { loadKernels, sameOutput, type Kernel } from './bench/kernels.js';

const kernelNames = ['sum_loop', 'dot', 'axpy', 'mandelbrot', 'fib', 'fnv1a'];
const rounds = 7;

function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] ?? NaN;
}

function timeCall(fn: (...args: unknown[]) => unknown, args: unknown[]): { ms: number; result: unknown } {
  const start = performance.now();
  const result = fn(...args);
  return { ms: performance.now() - start, result };
}

function firstLine(error: unknown): string {
  return error instanceof Error ? `${error.name}: ${error.message.split('\n')[0] ?? ''}` : String(error);
}

interface Row {
  readonly name: string;
  readonly size: string;
  readonly v8?: number;
  readonly jit?: number;
  readonly first?: number;
  readonly check: string;
}

function runKernel(kernel: Kernel): Row {
  const sizes = kernel.sizes.full;
  const fresh = () => kernel.inputs(...sizes);
  const v8Fn = kernel.fn as (...args: unknown[]) => unknown;
  let jitFn: (...args: unknown[]) => unknown;
  let first: { ms: number; result: unknown };
  const jitArgs = fresh();
  try {
    jitFn = jit(kernel.fn, kernel.scope ? { scope: kernel.scope } : {}) as (...args: unknown[]) => unknown;
    first = timeCall(jitFn, jitArgs);
  } catch (error) {
    return { name: kernel.name, size: kernel.size, check: `not compiled: ${firstLine(error)}` };
  }
  const v8Args = fresh();
  const v8First = v8Fn(...v8Args);
  const same = sameOutput(kernel.output(v8First, v8Args), kernel.output(first.result, jitArgs));
  const v8Times: number[] = [];
  const jitTimes: number[] = [];
  // Interleaved, so that load on a shared machine hits both alike.
  for (let r = 0; r < rounds; r++) {
    v8Times.push(timeCall(v8Fn, fresh()).ms);
    jitTimes.push(timeCall(jitFn, fresh()).ms);
  }
  return {
    name: kernel.name,
    size: kernel.size,
    v8: median(v8Times),
    jit: median(jitTimes),
    first: first.ms,
    check: same ? 'same result' : 'RESULT DIFFERS',
  };
}

function cell(value: number | undefined, digits = 2): string {
  return value === undefined ? '-' : value.toFixed(digits);
}

async function main(): Promise<void> {
  const started = performance.now();
  console.log('rvsdg demo: plain JavaScript functions, run by V8 and compiled with jit() (RVSDG -> LLVM)\n');
  const kernels = await loadKernels(kernelNames);
  const rows: Row[] = [];
  for (const kernel of kernels) {
    process.stdout.write(`  ${kernel.name} ...`);
    const row = runKernel(kernel);
    rows.push(row);
    process.stdout.write(` ${row.check}\n`);
  }
  const header = ['kernel', 'size', 'V8 ms', 'jit ms', 'speedup', 'jit first call ms', 'check'];
  const table = rows.map((r) => [
    r.name,
    r.size,
    cell(r.v8),
    cell(r.jit),
    r.v8 !== undefined && r.jit !== undefined ? `${(r.v8 / r.jit).toFixed(2)}x` : '-',
    cell(r.first, 1),
    r.check,
  ]);
  const widths = header.map((h, i) => Math.max(h.length, ...table.map((row) => (row[i] ?? '').length)));
  const line = (cells: readonly string[]) => `| ${cells.map((c, i) => c.padEnd(widths[i] ?? 0)).join(' | ')} |`;
  console.log(`\n${line(header)}\n${line(widths.map((w) => '-'.repeat(w)))}`);
  for (const row of table) console.log(line(row));
  console.log(
    `\nMedians of ${rounds} interleaved runs after one warm-up call each; the first call includes compilation.` +
      `\nspeedup = V8 time / jit time. Total ${((performance.now() - started) / 1000).toFixed(1)} s.` +
      '\nThe full benchmark (C, Numba, fastmath columns): npm run bench',
  );
  if (rows.some((r) => r.check === 'RESULT DIFFERS')) process.exitCode = 1;
}

await main();
