import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { jit } from './index.js';

/*
 * Native stack overflow and failed allocations used to end the process
 * (SIGSEGV, SIGABRT), so each case runs in a child process: a regression
 * kills the child, not the test runner. The children load the built
 * package (npm run build).
 */

const runtimeUrl = new URL('../dist/index.js', import.meta.url).href;

interface ChildResult {
  readonly status: number | null;
  readonly signal: NodeJS.Signals | null;
  readonly stderr: string;
  /** The lines the child printed, each parsed as JSON. */
  readonly lines: unknown[];
}

/** Runs `body` as an ES module with `jit` imported, optionally under `ulimit -v` (KiB) and with more environment. */
function runChild(body: string, virtualMemoryKiB?: number, env?: Record<string, string>): ChildResult {
  const source = `import { jit } from ${JSON.stringify(runtimeUrl)};\n${body}`;
  const node = [process.execPath, '--input-type=module', '-e', source];
  const options = { encoding: 'utf8', timeout: 120_000, env: { ...process.env, ...env } } as const;
  const child =
    virtualMemoryKiB === undefined
      ? spawnSync(node[0] as string, node.slice(1), options)
      : spawnSync('sh', ['-c', `ulimit -v ${virtualMemoryKiB} && exec "$@"`, 'sh', ...node], options);
  const lines = child.stdout
    .split('\n')
    .filter((line) => line !== '')
    .map((line) => JSON.parse(line) as unknown);
  return { status: child.status, signal: child.signal, stderr: child.stderr, lines };
}

/** Child-side helper: what a call gives, as JSON (a value, or the error's class and message). */
const outcome = `
function outcome(call) {
  try {
    const value = call();
    return { value: typeof value === 'bigint' ? String(value) : value };
  } catch (error) {
    return { error: error.constructor.name, message: error.message };
  }
}`;

/** A recursive function with `live` values computed before the recursive call and used after it. */
function deepSource(live: number): string {
  const defs: string[] = [];
  const uses: string[] = [];
  for (let i = 0; i < live; i++) {
    defs.push(`const a${i} = x * ${1 + i / 1000} + n;`);
    uses.push(`a${i}`);
  }
  return `function deep(n, x) { if (n <= 0) return x; ${defs.join(' ')} const r = deep(n - 1, x + 1); return r + ${uses.join(' + ')}; }`;
}

const overflow = { error: 'RangeError', message: 'Maximum call stack size exceeded' };

describe('native stack overflow', () => {
  // Each case: [live values, depth]; the old guard counted 10,000 calls whatever their frames.
  const deepCases = `[[200, 9000], [200, 1000000], [2, 1000000]]`;
  const checks = `
    const fat = jit(${deepSource(200)});
    const thin = jit(${deepSource(2)});
    const results = ${deepCases}.map(([live, depth]) => outcome(() => (live === 200 ? fat : thin)(depth, 1)));
    // Still usable afterwards, and ordinary recursion is not refused.
    results.push(outcome(() => fat(50, 1)), outcome(() => thin(5000, 1)));
    const plain = ${deepSource(2)};
    results.push({ value: plain(5000, 1) });
    return results;`;

  it('raises RangeError on the main thread and the process goes on', () => {
    const child = runChild(`${outcome}\nconsole.log(JSON.stringify((() => {${checks}})()));\nconsole.log('"alive"');`);
    expect(child.signal).toBe(null);
    expect(child.stderr).toBe('');
    const [results, alive] = child.lines as [{ value?: number }[], string];
    expect(results.slice(0, 3)).toEqual([overflow, overflow, overflow]);
    const reference = new Function(`return ${deepSource(200)}`)() as (n: number, x: number) => number;
    expect(results[3]).toEqual({ value: reference(50, 1) });
    expect(results[4]).toEqual(results[5]);
    expect(alive).toBe('alive');
  });

  it('raises RangeError in a worker thread (a smaller stack) and the worker goes on', () => {
    const worker = `
      Promise.all([import('node:worker_threads'), import(${JSON.stringify(runtimeUrl)})]).then(([{ parentPort }, { jit }]) => {
        ${outcome}
        parentPort.postMessage((() => {${checks}})());
      });`;
    const child = runChild(`
      import { Worker } from 'node:worker_threads';
      const w = new Worker(${JSON.stringify(worker)}, { eval: true });
      w.on('message', (results) => console.log(JSON.stringify(results)));
      w.on('error', (error) => console.log(JSON.stringify({ workerError: String(error) })));
      w.on('exit', (code) => console.log(JSON.stringify({ exit: code })));`);
    expect(child.signal).toBe(null);
    expect(child.stderr).toBe('');
    const [results, exit] = child.lines as [{ value?: number }[], unknown];
    expect(results.slice(0, 3)).toEqual([overflow, overflow, overflow]);
    expect(results[4]).toEqual(results[5]);
    expect(exit).toEqual({ exit: 0 });
  });
});

describe('the stack guard unwinds', () => {
  it('so a recursive function that raises nothing else keeps no error checks after its calls', () => {
    function fib(n: number): number {
      return n < 2 ? n : fib(n - 1) + fib(n - 2);
    }
    const compiled = jit(fib);
    expect(compiled(20)).toBe(fib(20));
    const ir = compiled.inspect().optimizedLLVMIR;
    const body = ir.slice(ir.indexOf('define internal'), ir.indexOf('\n}', ir.indexOf('define internal')));
    expect(body).toContain('@longjmp');
    // No access to the slot's error kind (field 0): the guard does not store it, no call site reads it.
    expect(body).not.toMatch(/getelementptr inbounds %rvsdg\.ctx, %rvsdg\.ctx\* %\d+, i64 0, i32 0$/m);
  });
});

describe('TypedArray allocation that fails', () => {
  const alloc = `const alloc = jit(function (n) { const a = new Float64Array(n); a[n - 1] = 2; return a[n - 1] + a.length; });`;
  const compare = (lengths: string) => `
    ${outcome}
    ${alloc}
    for (const n of ${lengths}) {
      console.log(JSON.stringify([outcome(() => alloc(n)), outcome(() => { const a = new Float64Array(n); a[n - 1] = 2; return a[n - 1] + a.length; })]));
    }
    console.log('"alive"');`;

  it('raises what V8 raises (RangeError) when memory runs out, and the process goes on', () => {
    // 2 GiB does not fit under a 2.5 GiB address-space limit with node loaded; 8 MiB does.
    const child = runChild(compare('[2 ** 28, 2 ** 20, 2 ** 32, 2 ** 32 + 1, 10]'), 2_500_000);
    expect(child.signal).toBe(null);
    expect(child.stderr).toBe('');
    const pairs = child.lines.slice(0, -1) as [unknown, unknown][];
    for (const [jitted, v8] of pairs) expect(jitted).toEqual(v8);
    expect(pairs.map(([jitted]) => jitted)).toEqual([
      { error: 'RangeError', message: 'Array buffer allocation failed' },
      { value: 2 ** 20 + 2 },
      { error: 'RangeError', message: 'Array buffer allocation failed' },
      { error: 'RangeError', message: 'Invalid typed array length: 4294967297' },
      { value: 12 },
    ]);
    expect(child.lines.at(-1)).toBe('alive');
  });

  it('raises RangeError, not an abort, when a small buffer (at most 1 MiB) cannot be allocated', () => {
    // Exhausting the address space with small buffers ends V8 itself (its garbage collector cannot commit memory),
    // so the failure is made precise instead: an LD_PRELOAD shim fails malloc and calloc for one size. V8's
    // constructor collects garbage, retries, throws; napi_create_arraybuffer (the old path) ended the process.
    const dir = mkdtempSync(join(tmpdir(), 'rvsdg-alloc-'));
    const shim = join(dir, 'fail-alloc.so');
    writeFileSync(
      join(dir, 'fail-alloc.c'),
      `#include <stddef.h>
      extern void *__libc_calloc(size_t, size_t);
      extern void *__libc_malloc(size_t);
      enum { failing = 131000 * 8 };
      void *calloc(size_t n, size_t size) { return n * size == failing ? NULL : __libc_calloc(n, size); }
      void *malloc(size_t size) { return size == failing ? NULL : __libc_malloc(size); }`,
    );
    try {
      execFileSync(process.env['CC'] ?? 'cc', ['-shared', '-fPIC', '-o', shim, join(dir, 'fail-alloc.c')]);
      const child = runChild(
        `${outcome}
        const alloc = jit(function (n) { const a = new Float64Array(n); a[0] = 1; return a.length; });
        for (const n of [131000, 131001]) console.log(JSON.stringify([outcome(() => alloc(n)), outcome(() => new Float64Array(n).length)]));
        console.log('"alive"');`,
        undefined,
        { LD_PRELOAD: shim },
      );
      expect(child.signal).toBe(null);
      expect(child.stderr).toBe('');
      expect(child.lines).toEqual([
        [
          { error: 'RangeError', message: 'Array buffer allocation failed' },
          { error: 'RangeError', message: 'Array buffer allocation failed' },
        ],
        [{ value: 131001 }, { value: 131001 }],
        'alive',
      ]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('matches V8 for 2 ** 32 doubles (32 GiB) without a memory limit', () => {
    const child = runChild(compare('[2 ** 32]'));
    expect(child.signal).toBe(null);
    const [jitted, v8] = child.lines[0] as [unknown, unknown];
    expect(jitted).toEqual(v8);
  });

  it('lets large buffers be collected during a synchronous loop', () => {
    // 64 arrays of 32 MiB are 2 GiB of address space: more than the limit unless garbage is freed as it goes.
    const child = runChild(
      `${alloc}\nlet s = 0;\nfor (let i = 0; i < 64; i++) s += alloc(2 ** 22);\nconsole.log(s);`,
      1_500_000,
    );
    expect(child.signal).toBe(null);
    expect(child.stderr).toBe('');
    expect(child.lines).toEqual([64 * (2 ** 22 + 2)]);
  });
});
