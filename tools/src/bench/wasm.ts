import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, renameSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { benchDir, type Output } from './kernels.js';

/** The AssemblyScript compiler (the `assemblyscript` devDependency of tools), or why there is none. */
export type AssemblyScript = { readonly ascPath: string; readonly version: string } | { readonly missing: string };

/** `asc --optimize -O3 --runtime stub`: speed over size, and a bump allocator that never frees (the kernels allocate nothing). */
export const ascFlags = ['--optimize', '-O3', '--runtime', 'stub'];

export function describeAssemblyScript(asc: AssemblyScript): string {
  return 'missing' in asc ? asc.missing : `AssemblyScript ${asc.version}`;
}

/** Finds tools' own `assemblyscript` package (in tools/node_modules or a workspace root's above): its bin/asc.js, run with this Node. */
export function findAssemblyScript(from = dirname(benchDir)): AssemblyScript {
  for (let dir = from; ; dir = dirname(dir)) {
    const root = join(dir, 'node_modules', 'assemblyscript');
    const ascPath = join(root, 'bin', 'asc.js');
    if (existsSync(ascPath)) {
      const { version } = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { version: string };
      return { ascPath, version };
    }
    if (dirname(dir) === dir) return { missing: 'no AssemblyScript compiler (npm install -D assemblyscript -w tools)' };
  }
}

const sourceDir = join(benchDir, 'assemblyscript');

/**
 * Compiles tools/bench/assemblyscript/<kernel>.ts once per source, shared
 * harness and compiler version (cached in the temp directory); returns the
 * module's bytes and the compile time.
 */
export function compileWasmTwin(
  asc: { ascPath: string; version: string },
  kernel: string,
): { bytes: Buffer; compileMs: number } {
  const source = join(sourceDir, `${kernel}.ts`);
  if (!existsSync(source)) throw new Error(`no AssemblyScript twin ${source}`);
  const hash = createHash('sha256')
    .update(readFileSync(source))
    .update(readFileSync(join(sourceDir, 'harness.ts')))
    .update(asc.version + ascFlags.join(' '));
  const dir = join(tmpdir(), 'rvsdg-bench-wasm');
  mkdirSync(dir, { recursive: true });
  const path = join(dir, `${kernel}-${hash.digest('hex').slice(0, 16)}.wasm`);
  const start = performance.now();
  if (!existsSync(path)) {
    // Written beside and renamed, so a compile cut short never leaves a truncated module in the cache.
    const partial = `${path}.${process.pid}.partial`;
    const result = spawnSync(process.execPath, [asc.ascPath, source, '-o', partial, ...ascFlags], {
      encoding: 'utf8',
      cwd: sourceDir,
    });
    if (result.status !== 0) {
      const detail =
        result.error?.message ?? (result.stderr || result.stdout).trim().split('\n').slice(0, 6).join(' / ');
      throw new Error(`asc failed on ${kernel}.ts: ${detail}`);
    }
    renameSync(partial, path);
  }
  return { bytes: readFileSync(path), compileMs: performance.now() - start };
}

type AnyTypedArray = Exclude<Output, number | bigint>;
type WasmValue = number | bigint;

// The WebAssembly global as far as the runner uses it (the compile target's libs do not declare it).
interface WebAssemblyApi {
  instantiate(bytes: Uint8Array, imports: object): Promise<{ instance: { exports: object } }>;
}
const webAssembly = (globalThis as unknown as { WebAssembly: WebAssemblyApi }).WebAssembly;

interface TwinExports {
  readonly memory: { readonly buffer: ArrayBuffer };
  alloc(bytes: number): number;
  reset(): void;
  readonly [name: string]: unknown;
}

/**
 * An AssemblyScript twin instantiated in this process. Its kernel export
 * takes each TypedArray argument as (address, length) in linear memory;
 * `call` copies the arguments in, times the export's call alone, and copies
 * the arrays back into the JavaScript arguments, so `kernel.output` reads the
 * result the same way as for V8.
 */
export class WasmTwin {
  private constructor(
    private readonly exports: TwinExports,
    private readonly entry: (...args: WasmValue[]) => unknown,
    readonly instantiateMs: number,
  ) {}

  static async instantiate(bytes: Buffer, kernel: string): Promise<WasmTwin> {
    const start = performance.now();
    const { instance } = await webAssembly.instantiate(bytes, {
      env: {
        // The stub runtime's only import: what an assertion or an out-of-memory allocation calls.
        abort: (_message: number, _file: number, line: number, column: number) => {
          throw new Error(`${kernel}.wasm aborted at ${kernel}.ts:${line}:${column}`);
        },
      },
    });
    const exports = instance.exports as unknown as TwinExports;
    const entry = exports[kernel];
    if (typeof entry !== 'function') throw new Error(`${kernel}.wasm exports no function '${kernel}'`);
    if (typeof exports.alloc !== 'function' || typeof exports.reset !== 'function') {
      throw new Error(`${kernel}.wasm does not export alloc and reset (export them from './harness')`);
    }
    return new WasmTwin(exports, entry as (...args: WasmValue[]) => unknown, performance.now() - start);
  }

  /** Copies `args` into linear memory, times one call, copies the arrays back; returns the time and the result. */
  call(args: readonly unknown[]): { ms: number; result: unknown } {
    this.exports.reset();
    const wasmArgs: WasmValue[] = [];
    const arrays: { array: AnyTypedArray; address: number }[] = [];
    for (const arg of args) {
      if (ArrayBuffer.isView(arg) && !(arg instanceof DataView)) {
        const array = arg as AnyTypedArray;
        const address = this.exports.alloc(array.byteLength);
        arrays.push({ array, address });
        wasmArgs.push(address, array.length);
      } else if (typeof arg === 'number' || typeof arg === 'bigint') {
        wasmArgs.push(arg);
      } else {
        throw new Error(`cannot pass ${typeof arg} to WebAssembly`);
      }
    }
    // Allocation may grow the memory, which detaches earlier views: take the buffer after the last one.
    let memory = new Uint8Array(this.exports.memory.buffer);
    for (const { array, address } of arrays) {
      memory.set(new Uint8Array(array.buffer, array.byteOffset, array.byteLength), address);
    }
    const start = performance.now();
    const result = this.entry(...wasmArgs);
    const ms = performance.now() - start;
    memory = new Uint8Array(this.exports.memory.buffer);
    for (const { array, address } of arrays) {
      new Uint8Array(array.buffer, array.byteOffset, array.byteLength).set(
        memory.subarray(address, address + array.byteLength),
      );
    }
    return { ms, result };
  }
}
