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
    if (!(i in array)) return `is an Array with a hole at index ${i}; jitted code takes dense Arrays of numbers`;
    const value = array[i];
    if (typeof value !== 'number') {
      return `is an Array holding ${value === null ? 'null' : typeof value} at index ${i}; jitted code takes Arrays of numbers only (use a TypedArray for other element types)`;
    }
  }
  return undefined;
}

/** True for a value the frontend may take from a scope as an `f64[]` read at every call. */
export function isNumberArray(value: unknown): value is number[] {
  return Array.isArray(value) && plainArrayProblem(value) === undefined;
}

/** The Float64Array copies of the plain Arrays of one call, and their write-back. */
export class ArrayCopies {
  readonly #copies = new Map<number[], Float64Array>();

  /** The copy of `array` for this call (the same copy for the same Array). */
  copyOf(array: number[]): Float64Array {
    let copy = this.#copies.get(array);
    if (!copy) {
      copy = Float64Array.from(array);
      this.#copies.set(array, copy);
    }
    return copy;
  }

  get size(): number {
    return this.#copies.size;
  }

  /** Writes the elements the native code changed back into their Arrays. */
  writeBack(): void {
    for (const [array, copy] of this.#copies) {
      for (let i = 0; i < copy.length; i++) {
        const value = copy[i] as number;
        if (!Object.is(array[i], value)) array[i] = value;
      }
    }
  }

  /** The Array a returned copy stands for, else the result itself. */
  original(result: unknown): unknown {
    if (!ArrayBuffer.isView(result)) return result;
    for (const [array, copy] of this.#copies) if (copy === result || copy.buffer === result.buffer) return array;
    return result;
  }
}
