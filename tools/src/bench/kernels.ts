import { readdirSync } from 'node:fs';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { join } from 'node:path';

/** Where the kernels, their C twins and their Numba twins live (tools/bench), from src/bench or dist/bench. */
export const benchDir = fileURLToPath(new URL('../../bench/', import.meta.url));

export type Scale = 'full' | 'quick' | 'test';

type AnyTypedArray =
  | Int8Array
  | Uint8Array
  | Uint8ClampedArray
  | Int16Array
  | Uint16Array
  | Int32Array
  | Uint32Array
  | Float32Array
  | Float64Array
  | BigInt64Array
  | BigUint64Array;

/** What a kernel computes, as compared between variants: a number, a BigInt or a whole TypedArray. */
export type Output = number | bigint | AnyTypedArray;

/** One kernel module of tools/bench/kernels (see the README there for the shape). */
export interface Kernel {
  readonly name: string;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  readonly fn: (...args: any[]) => unknown;
  /** The size as the benchmark table states it. */
  readonly size: string;
  /** Size parameters per scale; the C and Numba twins get them as command-line arguments. */
  readonly sizes: Readonly<Record<Scale, readonly number[]>>;
  /** Fresh arguments for one call. */
  inputs(...sizes: number[]): unknown[];
  /** The value to compare, from the call's result and its arguments (for kernels writing into an array). */
  output(result: unknown, args: unknown[]): Output;
  /** Free identifiers of `fn` other than itself, for `jit`'s scope. */
  readonly scope?: Readonly<Record<string, unknown>>;
}

/** Loads every kernel (or those named in `filter`), in file-name order; unknown names are an error listing the known ones. */
export async function loadKernels(filter: readonly string[] = []): Promise<Kernel[]> {
  const dir = join(benchDir, 'kernels');
  const files = readdirSync(dir)
    .filter((f) => f.endsWith('.js'))
    .sort();
  const names = files.map((f) => f.slice(0, -3));
  const unknown = filter.filter((name) => !names.includes(name));
  if (unknown.length > 0) {
    throw new Error(`unknown kernel(s) ${unknown.join(', ')}; kernels: ${names.join(', ')}`);
  }
  const kernels: Kernel[] = [];
  for (const file of files) {
    const name = file.slice(0, -3);
    if (filter.length > 0 && !filter.includes(name)) continue;
    const module = (await import(pathToFileURL(join(dir, file)).href)) as { default: Kernel };
    if (module.default.name !== name) throw new Error(`${file}: kernel name '${module.default.name}' is not '${name}'`);
    kernels.push(module.default);
  }
  return kernels;
}

/**
 * The checksum the C and Numba twins print: the value itself, or the
 * sequential sum of an array's elements in double precision (the twins sum
 * in the same order, so equal arrays give identical sums).
 */
export function checksum(output: Output): number | bigint {
  if (typeof output === 'number' || typeof output === 'bigint') return output;
  let sum = 0;
  for (let i = 0; i < output.length; i++) sum += Number(output[i]);
  return sum;
}

/** Reads a checksum printed by a twin back: BigInt when the V8 result is one, else a double (exactly, as printed with 17 digits). */
export function parseChecksum(text: string, like: number | bigint): number | bigint {
  if (typeof like === 'bigint') return BigInt(text.replace(/\.0$/, ''));
  if (/^-?inf(inity)?$/i.test(text)) return text.startsWith('-') ? -Infinity : Infinity;
  if (/^-?nan$/i.test(text)) return NaN;
  return Number(text);
}

/** Bit-for-bit equality: same number (NaN equals NaN, -0 differs from 0), same BigInt, same array contents. */
export function sameOutput(a: Output, b: Output): boolean {
  if (typeof a === 'number' || typeof a === 'bigint' || typeof b === 'number' || typeof b === 'bigint') {
    return Object.is(a, b);
  }
  if (a.constructor !== b.constructor || a.length !== b.length) return false;
  return (
    Buffer.compare(
      Buffer.from(a.buffer, a.byteOffset, a.byteLength),
      Buffer.from(b.buffer, b.byteOffset, b.byteLength),
    ) === 0
  );
}

/** |a - b| <= tolerance * max(|a|, |b|), for checksums. */
export function relativeDifference(a: number | bigint, b: number | bigint): number {
  if (typeof a === 'bigint' || typeof b === 'bigint') return a === b ? 0 : Infinity;
  if (Object.is(a, b)) return 0;
  const scale = Math.max(Math.abs(a), Math.abs(b));
  return scale === 0 ? 0 : Math.abs(a - b) / scale;
}

/**
 * Relative difference allowed between V8 and a C, Numba or AssemblyScript twin
 * on kernels that call exp or log: V8 has its own implementations (from
 * fdlibm), which may differ from the C library's or AssemblyScript's own Math
 * (ported from musl) in the last bit. Every other twin must agree exactly.
 */
export const libmTolerance = 1e-12;

/** Whether the kernel calls a Math function whose result a C library may round differently from V8. */
export function usesLibm(kernel: Kernel): boolean {
  return /Math\.(exp|log|pow|sin|cos|tan|atan|cbrt|expm1|log1p)\b/.test(kernel.fn.toString());
}

/** Compares a checksum a twin printed with V8's. */
export function compareTwin(
  kernel: Kernel,
  text: string,
  reference: number | bigint,
): { agrees: boolean; check: string } {
  const value = parseChecksum(text, reference);
  const difference = relativeDifference(value, reference);
  if (difference === 0) return { agrees: true, check: 'exact' };
  if (usesLibm(kernel) && difference <= libmTolerance) {
    return { agrees: true, check: `checksum within ${difference.toExponential(0)} (libm, tolerance ${libmTolerance})` };
  }
  return { agrees: false, check: `differs from V8: checksum ${text} vs ${String(reference)}` };
}
