/*
 * Dense plain Arrays of numbers, as arguments and as values read from a
 * scope (module-level tables such as simple-statistics' `standardNormalTable`
 * or @stdlib's polynomial coefficients). Native code takes them as `f64[]`:
 * each call copies the Array into a Float64Array (one copy per Array, so that
 * the same Array passed twice stays the same object), and afterwards writes
 * every element the compiled code changed back into the Array, even when
 * the call threw (V8 would have made those writes before the error). A
 * returned copy is returned as the Array itself.
 *
 * An Array is read at every call, so nothing is stale: elements the caller
 * changed since compilation are what the code sees.
 */

/** Why this Array cannot be passed as `f64[]`, or undefined for a dense Array of numbers with the plain prototype. */
export function plainArrayProblem(array: readonly unknown[]): string | undefined {
  if (Object.getPrototypeOf(array) !== Array.prototype) {
    return 'is an Array subclass or has another prototype; pass a plain Array of numbers or a Float64Array';
  }
  for (let i = 0; i < array.length; i++) {
    const value = array[i];
    if (typeof value === 'number') continue;
    if (!(i in array)) return `is an Array with a hole at index ${i}; jitted code takes dense Arrays of numbers`;
    return `is an Array holding ${value === null ? 'null' : typeof value} at index ${i}; jitted code takes Arrays of numbers only (use a TypedArray for other element types)`;
  }
  return undefined;
}

/** True for a value the frontend may take from a scope as an `f64[]` read at every call. */
export function isNumberArray(value: unknown): value is number[] {
  return Array.isArray(value) && plainArrayProblem(value) === undefined;
}

/**
 * The Float64Array each Array was last copied into, refilled on the next
 * call: native code never calls back into JavaScript, so no two calls use
 * one copy at the same time, and a buffer that native code has already
 * seen costs less to pass again than a fresh one.
 */
const reusable = new WeakMap<readonly unknown[], Float64Array>();

/**
 * The Float64Array copy of a plain Array, or undefined when an element is
 * not a number (a hole reads as undefined: the caller then asks
 * plainArrayProblem why). One loop, no iterator: this runs on every call.
 */
export function copyNumbers(array: readonly unknown[]): Float64Array | undefined {
  if (Object.getPrototypeOf(array) !== Array.prototype) return undefined;
  const n = array.length;
  let copy = reusable.get(array);
  if (copy?.length !== n) {
    // Off the V8 heap from the start (small TypedArrays live on it, and native code would have to move them).
    copy = new Float64Array(new ArrayBuffer(n * 8));
    reusable.set(array, copy);
  }
  for (let i = 0; i < n; i++) {
    const value = array[i];
    if (typeof value !== 'number') return undefined;
    copy[i] = value;
  }
  return copy;
}

/** The Float64Array copies of the plain Arrays of one call, and their write-back. */
export class ArrayCopies {
  readonly #arrays: number[][] = [];
  readonly #copies: Float64Array[] = [];

  /** The copy of `array` for this call (the same copy for the same Array), or undefined when it holds other than numbers. */
  copyOf(array: number[]): Float64Array | undefined {
    const known = this.#arrays.indexOf(array);
    if (known >= 0) return this.#copies[known];
    const copy = copyNumbers(array);
    if (copy) {
      this.#arrays.push(array);
      this.#copies.push(copy);
    }
    return copy;
  }

  get size(): number {
    return this.#arrays.length;
  }

  /** Writes the elements the native code changed back into their Arrays. */
  writeBack(): void {
    for (let k = 0; k < this.#arrays.length; k++)
      writeBack(this.#arrays[k] as number[], this.#copies[k] as Float64Array);
  }

  /** The Array a returned copy stands for, else the result itself. */
  original(result: unknown): unknown {
    const index = this.#copies.indexOf(result as Float64Array);
    return index >= 0 ? this.#arrays[index] : result;
  }
}

/** Writes the elements of `copy` that differ from `array`'s (Object.is) into `array`. */
export function writeBack(array: number[], copy: Float64Array): void {
  for (let i = 0; i < copy.length; i++) {
    const value = copy[i] as number;
    const old = array[i] as number;
    // Object.is(old, value), inlined: equal and of the same sign, or both NaN.
    if (value === old ? value !== 0 || 1 / value === 1 / old : value !== value && old !== old) continue;
    array[i] = value;
  }
}

/** The arguments with each plain Array replaced by its copy in `copies`; `refuse` makes the error for one that is not an Array of numbers. */
export function copyArrayArguments(
  args: ArrayLike<unknown>,
  copies: ArrayCopies,
  refuse: (index: number, problem: string) => Error,
): unknown[] {
  return Array.from(args, (value, i) => {
    if (!Array.isArray(value)) return value;
    const copy = copies.copyOf(value as number[]);
    if (copy) return copy;
    throw refuse(i, plainArrayProblem(value) ?? 'is not a plain Array of numbers');
  });
}
