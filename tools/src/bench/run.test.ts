import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import type { BenchReport } from './report.js';

const runner = fileURLToPath(new URL('../../dist/bench/run.js', import.meta.url));
const scratch = mkdtempSync(join(tmpdir(), 'rvsdg-bench-'));

function bench(...args: string[]) {
  const result = spawnSync(process.execPath, ['--expose-gc', runner, ...args], { encoding: 'utf8' });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

afterAll(() => rmSync(scratch, { recursive: true, force: true }));

describe('npm run bench', () => {
  it('runs the chosen kernels every way, prints the table and writes the same figures as JSON', () => {
    const json = join(scratch, 'latest.json');
    const result = bench(
      ...['--scale', 'test', '--rounds', '2', '--filter', 'dot', 'sum_bigint', '--no-numba', '--no-overhead'],
      ...['--no-scaling', '--no-corpus', '--json', json],
    );
    expect(result.stderr).toContain(`bench: wrote ${json}`);
    expect(result.stdout).toMatch(
      /^\| kernel \| size \| V8 ms \| jit ms \| jit fastmath ms \| C ms \| Numba ms \| wasm ms \| .* \| jit\/wasm \|$/m,
    );
    expect(result.stdout).toMatch(/^\| dot \| 1000 \(test\) \| /m);
    expect(result.stdout).toMatch(/^\| sum_bigint \| 1000 \(test\) \| /m);
    expect(result.stdout).toContain('left out (--no-numba)');
    const report = JSON.parse(readFileSync(json, 'utf8')) as BenchReport;
    expect(report.kernels.map((k) => k.name)).toEqual(['dot', 'sum_bigint']);
    for (const kernel of report.kernels) {
      expect(kernel.variants.v8.samples).toHaveLength(2);
      expect(kernel.variants.numba).toMatchObject({ missing: 'left out (--no-numba)' });
      // The C twin runs wherever a C compiler is installed, and must agree with V8 exactly.
      if (kernel.variants.c.missing === undefined) expect(kernel.variants.c).toMatchObject({ agrees: true });
      // The AssemblyScript twin runs wherever the devDependency is installed, and must agree with V8 bit for bit.
      if (kernel.variants.wasm.missing === undefined) {
        expect(kernel.variants.wasm).toMatchObject({ agrees: true, check: 'exact' });
        expect(kernel.variants.wasm.samples).toHaveLength(2);
      }
      // jit either ran and agreed exactly, or its column says why it did not run.
      const jit = kernel.variants.jit;
      if (jit.missing === undefined) expect(jit).toMatchObject({ agrees: true, check: 'exact' });
      else expect(jit.missing).toMatch(/^\w*Error: /);
    }
    expect(report.kernels[1]?.checksum).toBe('499500');
    expect(result.code).toBe(0);
    // The JSON holds everything the table shows.
    expect(bench('--report', json)).toMatchObject({ code: 0, stdout: result.stdout });
  }, 120_000);

  it('times the real-world corpus functions that compile and match V8, V8 against jit', () => {
    const json = join(scratch, 'corpus.json');
    const result = bench(
      ...['--scale', 'test', '--rounds', '1', '--filter', 'dot', '--no-c', '--no-numba', '--no-wasm'],
      ...['--no-overhead', '--no-scaling', '--json', json],
    );
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/^\| package \| function \| calls \| V8 ms \| jit ms \| jit\/V8 \|$/m);
    expect(result.stdout).toMatch(/^\| @stdlib\/blas-base-ddot \| `ddot` \| 1 \| [\d.]+ \| [\d.]+ \| [\d.]+ \|$/m);
    const report = JSON.parse(readFileSync(json, 'utf8')) as BenchReport;
    expect(report.corpus?.length).toBeGreaterThan(10);
  }, 300_000);

  it('names the known kernels when asked for an unknown one', () => {
    const result = bench('--filter', 'nope');
    expect(result.code).toBe(64);
    expect(result.stderr).toMatch(/unknown kernel\(s\) nope; kernels: axpy, black_scholes, .*sum_loop/);
  });
});
