/**
 * First call of a jitted kernel in a new process, with the on-disk cache
 * cold (an empty directory: the process compiles) and warm (an earlier
 * process compiled: this one loads the machine code). Each figure comes from
 * its own child process, which times `import('@rvsdg/runtime')`, the start
 * of the native engine, then `jit(fn)` and one call on the kernel's test
 * inputs (tiny, so the call itself is negligible); the first call's CPU
 * time too, which a loaded machine inflates less than wall time.
 *
 *   node tools/dist/bench/first-call-cached.js [--runs 5] [kernel ...]
 *
 * Default kernels: sum_loop, dot, fib, nbody. Prints a Markdown table of medians.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { benchDir } from './kernels.js';
import { median } from './stats.js';

interface ChildTimes {
  importMs: number;
  engineMs: number;
  firstCallMs: number;
  /** CPU time of the first call (all threads): what a loaded machine inflates least. */
  firstCallCpuMs: number;
  hits: number;
  compiled: number;
}

function childScript(kernel: string): string {
  const url = pathToFileURL(join(benchDir, 'kernels', `${kernel}.js`)).href;
  return `
const t0 = performance.now();
const { jit, diskCacheStats } = await import('@rvsdg/runtime');
const t1 = performance.now();
const { NativeEngine } = await import('@rvsdg/backend-llvm');
const engine = NativeEngine.shared();
const t2 = performance.now();
const { default: kernel } = await import(${JSON.stringify(url)});
const args = kernel.inputs(...kernel.sizes.test);
const cpu = process.cpuUsage();
const t3 = performance.now();
const f = jit(kernel.fn, kernel.scope ? { scope: kernel.scope } : {});
f(...args);
const t4 = performance.now();
const used = process.cpuUsage(cpu);
// With tiers, the disk gets the optimized tier's object once it is installed (untimed; a warm process loads it).
await f.whenOptimized();
console.log(JSON.stringify({ importMs: t1 - t0, engineMs: t2 - t1, firstCallMs: t4 - t3, firstCallCpuMs: (used.user + used.system) / 1000, hits: diskCacheStats().hits, compiled: engine.stats().compiledModules }));
`;
}

const repoRoot = join(benchDir, '..', '..');

function runChild(kernel: string, dir: string): ChildTimes {
  const output = execFileSync(process.execPath, ['--input-type=module', '-e', childScript(kernel)], {
    cwd: repoRoot,
    encoding: 'utf8',
    env: { ...process.env, RVSDG_CACHE: '', RVSDG_CACHE_DIR: dir },
  });
  return JSON.parse(output) as ChildTimes;
}

function main(argv: readonly string[]): void {
  let runs = 5;
  const kernels: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i] as string;
    if (arg === '--runs') runs = Number(argv[++i]);
    else kernels.push(arg);
  }
  if (!Number.isInteger(runs) || runs < 1) throw new Error('--runs takes a positive integer');
  if (kernels.length === 0) kernels.push('sum_loop', 'dot', 'fib', 'nbody');
  const scratch = mkdtempSync(join(tmpdir(), 'rvsdg-first-call-'));
  const rows: string[] = [
    '| kernel | import | engine start | first call, cache cold | first call, cache warm | cold CPU | warm CPU | warm: loaded, not compiled |',
    '| --- | ---: | ---: | ---: | ---: | ---: | ---: | --- |',
  ];
  const fmt = (ms: number): string => `${ms.toFixed(1)} ms`;
  try {
    for (const kernel of kernels) {
      const cold: ChildTimes[] = [];
      const warm: ChildTimes[] = [];
      for (let r = 0; r < runs; r++) {
        const dir = join(scratch, `${kernel}-${r}`);
        cold.push(runChild(kernel, dir));
        warm.push(runChild(kernel, dir));
      }
      const all = [...cold, ...warm];
      const loaded = warm.every((t) => t.hits === 1 && t.compiled === 0);
      rows.push(
        `| ${kernel} | ${fmt(median(all.map((t) => t.importMs)))} | ${fmt(median(all.map((t) => t.engineMs)))} | ` +
          `${fmt(median(cold.map((t) => t.firstCallMs)))} | ${fmt(median(warm.map((t) => t.firstCallMs)))} | ` +
          `${fmt(median(cold.map((t) => t.firstCallCpuMs)))} | ${fmt(median(warm.map((t) => t.firstCallCpuMs)))} | ${loaded ? 'yes' : 'NO'} |`,
      );
    }
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
  process.stdout.write(
    `First call in a new process, medians of ${runs} child processes each (cold: empty cache directory; warm: one earlier process compiled)\n\n${rows.join('\n')}\n`,
  );
}

main(process.argv.slice(2));
