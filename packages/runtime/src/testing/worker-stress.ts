/**
 * Stress scenario for jit() in worker threads: run as a script
 * (`node dist/testing/worker-stress.js [--workers N] [--rounds R]`), it
 *
 * 1. compiles and calls kernels in the main thread,
 * 2. starts N workers that each compile and call the kernels R times while
 *    the main thread keeps compiling and calling, and terminates one extra
 *    worker while it compiles,
 * 3. once they have exited, compiles fresh kernels in the main thread,
 * 4. starts a second wave of workers, which the main thread does not wait
 *    for before exiting its own round,
 *
 * and checks every result against V8 running the same function. It prints
 * one JSON line (`StressReport`) and exits with status 0 only when every
 * thread compiled and agreed; a crash at exit shows in the exit status.
 */
import { isMainThread, parentPort, Worker, workerData } from 'node:worker_threads';
import { fileURLToPath } from 'node:url';
import { jit } from '../index.js';

export interface ThreadReport {
  readonly thread: string;
  readonly compiles: number;
  readonly calls: number;
  /** Calls whose result or error differed from V8's, described. */
  readonly mismatches: readonly string[];
  /** Failures outside the calls: a compile that threw, a worker that died. */
  readonly errors: readonly string[];
}

export interface StressReport {
  readonly threads: readonly ThreadReport[];
}

interface Kernel {
  readonly name: string;
  /** The source of the kernel, made distinct per thread and round so every compile is a new one. */
  readonly source: (k: number) => string;
  readonly args: (random: () => number) => unknown[];
}

const kernels: readonly Kernel[] = [
  {
    name: 'sum',
    source: (k) => `(xs) => { let s = ${k}; for (let i = 0; i < xs.length; i++) s += xs[i] * 0.5; return s; }`,
    args: (random) => [Float64Array.from({ length: 2000 + Math.floor(random() * 2000) }, () => random() * 100 - 50)],
  },
  {
    name: 'int',
    source: (k) =>
      `(a, b) => { let h = ${k} | 0; for (let i = 0; i < 64; i++) h = Math.imul(h ^ (a + i), 16777619) + (b >>> 3); return h; }`,
    args: (random) => [Math.floor(random() * 1e6), Math.floor(random() * 1e9)],
  },
  {
    name: 'bigint',
    // Out of 64 bits, V8 gives a wider BigInt and jit a RangeError: both are checked.
    source: (k) => `(a, b) => a * b + ${k}n`,
    args: (random) => [BigInt(Math.floor(random() * 2 ** 40)), BigInt(Math.floor(random() * 2 ** 30))],
  },
  {
    name: 'math',
    // sin and exp run the engine's native port of V8's algorithms (exact mode), in each thread at once.
    source: (k) => `(x) => Math.sqrt(x) + Math.floor(x * ${k + 1}.25) - Math.max(x, ${k}) + Math.sin(x) * Math.exp(-x)`,
    args: (random) => [random() * 1000],
  },
  {
    name: 'alloc',
    source: (k) =>
      `(n) => { const out = new Float64Array(n); for (let i = 0; i < n; i++) out[i] = i * ${k} + 0.5; return out; }`,
    args: (random) => [Math.floor(random() * 100)],
  },
  {
    name: 'branches',
    source: (k) =>
      `(a, b) => { let r = 0; for (let i = 0; i < 100; i++) { if ((i & 3) === ${k % 4}) r += a; else if (i > b) r -= 1; else r *= 1.5; } return r; }`,
    args: (random) => [random() * 10, Math.floor(random() * 100)],
  },
];

function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function describe(value: unknown): string {
  if (typeof value === 'bigint') return `${value}n`;
  if (ArrayBuffer.isView(value)) {
    const elements = Array.from(value as Float64Array);
    return `${value.constructor.name}(${elements.length})[${elements.slice(0, 4).join(',')}${elements.length > 4 ? ',...' : ''}]`;
  }
  if (value instanceof Error) return `${value.name}: ${value.message}`;
  return Object.is(value, -0) ? '-0' : String(value);
}

function same(a: unknown, b: unknown): boolean {
  if (ArrayBuffer.isView(a) && ArrayBuffer.isView(b)) {
    const x = a as Float64Array;
    const y = b as Float64Array;
    return x.constructor === y.constructor && x.length === y.length && x.every((v, i) => Object.is(v, y[i]));
  }
  return Object.is(a, b);
}

type Outcome = { value: unknown } | { error: Error };

function run(f: (...args: unknown[]) => unknown, args: unknown[]): Outcome {
  try {
    return { value: f(...args) };
  } catch (error) {
    return { error: error as Error };
  }
}

const i64Min = -(2n ** 63n);
const i64Max = 2n ** 63n - 1n;

/** jit's contract: V8's value, or (for a BigInt result outside 64 bits) a RangeError. */
function agrees(native: Outcome, v8: Outcome): boolean {
  if ('error' in v8) return 'error' in native && native.error.constructor === v8.error.constructor;
  if (typeof v8.value === 'bigint' && (v8.value < i64Min || v8.value > i64Max)) {
    return 'error' in native && native.error instanceof RangeError;
  }
  return 'value' in native && same(native.value, v8.value);
}

class Tally {
  compiles = 0;
  calls = 0;
  readonly mismatches: string[] = [];
  readonly errors: string[] = [];
  constructor(readonly thread: string) {}

  /** Compiles every kernel once for `k` and calls each a few times, checking against V8. */
  round(k: number, random: () => number): void {
    for (const kernel of kernels) {
      const source = kernel.source(k);
      const plain = new Function(`return ${source}`)() as (...args: unknown[]) => unknown;
      let compiled: (...args: unknown[]) => unknown;
      try {
        compiled = jit(plain, { cache: false });
        for (let call = 0; call < 3; call++) {
          const args = kernel.args(random);
          const native = run(compiled, args);
          if (call === 0) this.compiles++;
          this.calls++;
          const v8 = run(plain, args);
          if (!agrees(native, v8)) {
            const got = 'error' in native ? native.error : native.value;
            const want = 'error' in v8 ? v8.error : v8.value;
            this.mismatches.push(
              `${this.thread} ${kernel.name}(${args.map(describe).join(', ')}): got ${describe(got)}, V8 ${describe(want)}`,
            );
          }
        }
      } catch (error) {
        this.errors.push(`${this.thread} ${kernel.name} k=${k}: ${describe(error)}`);
      }
    }
  }

  report(): ThreadReport {
    const { thread, compiles, calls, mismatches, errors } = this;
    return { thread, compiles, calls, mismatches: mismatches.slice(0, 20), errors: errors.slice(0, 20) };
  }
}

interface WorkerData {
  readonly id: number;
  readonly rounds: number;
  /** Keep compiling until terminated (for the worker that is terminated mid-compile). */
  readonly forever: boolean;
}

function workerMain(data: WorkerData): void {
  const tally = new Tally(`worker ${data.id}`);
  const random = mulberry32(data.id * 7919 + 1);
  for (let r = 0; r < data.rounds || data.forever; r++) {
    tally.round(data.id * 1000 + r, random);
    if (data.forever && r === 0) parentPort?.postMessage('started');
  }
  parentPort?.postMessage(tally.report());
}

function startWorker(data: WorkerData): { done: Promise<ThreadReport>; worker: Worker } {
  const worker = new Worker(fileURLToPath(import.meta.url), { workerData: data });
  const done = new Promise<ThreadReport>((resolve) => {
    let report: ThreadReport | undefined;
    const failed = (message: string): ThreadReport => ({
      thread: `worker ${data.id}`,
      compiles: 0,
      calls: 0,
      mismatches: [],
      errors: [message],
    });
    worker.on('message', (m: unknown) => {
      if (m !== 'started') report = m as ThreadReport;
    });
    worker.on('error', (error) => (report = failed(`worker ${data.id} died: ${describe(error)}`)));
    worker.on('exit', (code) => {
      if (report) resolve(report);
      else resolve(failed(`worker ${data.id} exited with code ${code} and no report`));
    });
  });
  return { done, worker };
}

const yieldToEvents = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

async function mainThread(workers: number, rounds: number): Promise<StressReport> {
  const reports: ThreadReport[] = [];
  const before = new Tally('main before workers');
  before.round(1, mulberry32(1));
  reports.push(before.report());

  // Wave 1: workers compile while the main thread does too; one extra worker is terminated mid-compile.
  const wave = Array.from({ length: workers }, (_, i) => startWorker({ id: i + 1, rounds, forever: false }));
  const doomed = startWorker({ id: 99, rounds: 0, forever: true });
  await new Promise<void>((resolve) => doomed.worker.once('message', () => resolve()));
  const terminated = doomed.worker.terminate();
  const during = new Tally('main during workers');
  const random = mulberry32(2);
  for (let r = 0; r < rounds; r++) {
    during.round(100 + r, random);
    await yieldToEvents();
  }
  reports.push(during.report());
  reports.push(...(await Promise.all(wave.map((w) => w.done))));
  await terminated;

  // After every worker has exited, the main thread compiles fresh code.
  const after = new Tally('main after workers');
  after.round(200, mulberry32(3));
  reports.push(after.report());

  // Wave 2: new workers after the first ones are gone.
  const second = Array.from({ length: Math.max(1, workers >> 1) }, (_, i) =>
    startWorker({ id: 51 + i, rounds: 1, forever: false }),
  );
  const alongside = new Tally('main during second wave');
  alongside.round(300, mulberry32(4));
  reports.push(alongside.report());
  reports.push(...(await Promise.all(second.map((w) => w.done))));
  return { threads: reports };
}

function option(name: string, fallback: number): number {
  const i = process.argv.indexOf(name);
  const value = i >= 0 ? Number(process.argv[i + 1]) : fallback;
  if (!Number.isInteger(value) || value < 1) throw new RangeError(`${name} must be a positive integer`);
  return value;
}

if (!isMainThread) {
  workerMain(workerData as WorkerData);
} else if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const report = await mainThread(option('--workers', 4), option('--rounds', 2));
  process.stdout.write(`${JSON.stringify(report)}\n`);
  const ok = report.threads.every((t) => t.mismatches.length === 0 && t.errors.length === 0 && t.compiles > 0);
  process.exitCode = ok ? 0 : 1;
}
