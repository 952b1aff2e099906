import { spawn, spawnSync, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { benchDir } from './kernels.js';

/** A C compiler found on this machine, or why there is none. */
export type CCompiler = { readonly command: string; readonly version: string } | { readonly missing: string };

/** `clang-14 (Debian clang version 14.0.6)`, or why there is no compiler. */
export function describeCompiler(compiler: CCompiler): string {
  return 'missing' in compiler ? compiler.missing : `${compiler.command} (${compiler.version})`;
}

/** clang-14, then clang, then gcc, as the benchmark brief asks. */
export function findCCompiler(candidates = ['clang-14', 'clang', 'gcc']): CCompiler {
  for (const command of candidates) {
    const result = spawnSync(command, ['--version'], { encoding: 'utf8' });
    if (result.status === 0) return { command, version: (result.stdout.split('\n')[0] ?? command).trim() };
  }
  return { missing: `no C compiler (${candidates.join(', ')} not found)` };
}

/**
 * The flags every C twin is compiled with. `-ffp-contract=off` keeps the
 * compiler from fusing a*b+c into one rounding (gcc does by default), which
 * JavaScript never does: the twin must compute the same doubles.
 */
export const cFlags = ['-O3', '-march=native', '-ffp-contract=off', '-w'];

/** Compiles tools/bench/c/<kernel>.c once per source and compiler (cached in the temp directory); returns the binary and the compile time. */
export function compileCTwin(compiler: string, kernel: string): { path: string; compileMs: number } {
  const source = join(benchDir, 'c', `${kernel}.c`);
  if (!existsSync(source)) throw new Error(`no C twin ${source}`);
  const hash = createHash('sha256')
    .update(readFileSync(source))
    .update(readFileSync(join(benchDir, 'c', 'harness.h')))
    .update(compiler + cFlags.join(' '))
    .digest('hex')
    .slice(0, 16);
  const dir = join(tmpdir(), 'rvsdg-bench-c');
  mkdirSync(dir, { recursive: true });
  const path = join(dir, `${kernel}-${hash}`);
  const start = performance.now();
  if (!existsSync(path)) {
    const result = spawnSync(compiler, [...cFlags, '-o', path, source, '-lm'], { encoding: 'utf8' });
    if (result.status !== 0) {
      throw new Error(`${compiler} failed on ${kernel}.c: ${result.error?.message ?? result.stderr.trim()}`);
    }
  }
  return { path, compileMs: performance.now() - start };
}

/** A Python interpreter with Numba, or why there is none. Debian's python3-numba installs into /usr/bin/python3. */
export type NumbaPython = { readonly command: string; readonly version: string } | { readonly missing: string };

export function findNumba(candidates = ['/usr/bin/python3', 'python3']): NumbaPython {
  let sawPython = false;
  for (const command of candidates) {
    const result = spawnSync(command, ['-c', 'import numba; print(numba.__version__)'], { encoding: 'utf8' });
    if (result.error) continue;
    sawPython = true;
    if (result.status === 0) return { command, version: `numba ${result.stdout.trim()}` };
  }
  return { missing: sawPython ? 'no numba (apt-get install python3-numba)' : 'no python3' };
}

export interface TwinAnswer {
  readonly ms: number;
  readonly checksum: string;
  readonly import_ms?: number;
}

/**
 * A C or Numba twin running as a child process that answers one "run" per
 * line (see tools/bench/c/harness.h), so its measurements can be
 * interleaved with the in-process ones.
 */
export class Twin {
  readonly #child: ChildProcessWithoutNullStreams;
  readonly #waiting: { resolve: (answer: TwinAnswer) => void; reject: (error: Error) => void }[] = [];
  #stderr = '';
  #exited: Error | undefined;

  constructor(
    readonly label: string,
    command: string,
    args: readonly string[],
  ) {
    this.#child = spawn(command, args, { stdio: ['pipe', 'pipe', 'pipe'] });
    this.#child.stderr.setEncoding('utf8').on('data', (chunk: string) => {
      this.#stderr = (this.#stderr + chunk).slice(-4000);
    });
    const lines = createInterface({ input: this.#child.stdout });
    lines.on('line', (line) => {
      const waiter = this.#waiting.shift();
      if (!waiter) return;
      try {
        waiter.resolve(JSON.parse(line) as TwinAnswer);
      } catch {
        waiter.reject(new Error(`${label}: unexpected output ${JSON.stringify(line.slice(0, 200))}`));
      }
    });
    const fail = (error: Error): void => {
      this.#exited = error;
      for (const waiter of this.#waiting.splice(0)) waiter.reject(error);
    };
    this.#child.on('error', (error) => fail(new Error(`${label}: ${error.message}`)));
    this.#child.on('exit', (code, signal) => {
      const detail = this.#stderr.trim().split('\n').slice(-3).join(' / ');
      fail(new Error(`${label} exited (${signal ?? `status ${code}`})${detail ? `: ${detail}` : ''}`));
    });
    // A twin that dies makes writes fail with EPIPE; the exit handler reports it.
    this.#child.stdin.on('error', () => undefined);
  }

  /** One timed call of the kernel on fresh inputs. */
  run(timeoutMs = 300_000): Promise<TwinAnswer> {
    if (this.#exited) return Promise.reject(this.#exited);
    return new Promise<TwinAnswer>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`${this.label}: no answer within ${timeoutMs} ms`)), timeoutMs);
      this.#waiting.push({
        resolve: (answer) => {
          clearTimeout(timer);
          resolve(answer);
        },
        reject: (error) => {
          clearTimeout(timer);
          reject(error);
        },
      });
      this.#child.stdin.write('run\n');
    });
  }

  close(): void {
    this.#child.stdin.end();
    this.#child.kill();
  }
}

export function cTwin(binary: string, kernel: string, sizes: readonly number[]): Twin {
  return new Twin(`C ${kernel}`, binary, sizes.map(String));
}

export function numbaTwin(python: string, kernel: string, sizes: readonly number[]): Twin {
  return new Twin(`Numba ${kernel}`, python, [join(benchDir, 'numba', `${kernel}.py`), ...sizes.map(String)]);
}
