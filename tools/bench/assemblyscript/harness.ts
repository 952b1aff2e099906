/**
 * What every AssemblyScript twin shares. The bench runner
 * (tools/src/bench/wasm.ts) keeps a kernel's arrays in the module's linear
 * memory, as a program using WebAssembly arranges its data: before each call
 * it calls `reset`, reserves each TypedArray argument with `alloc` and copies
 * it in (untimed), then times the call of the kernel's export, then copies
 * the arrays back out (untimed). A TypedArray argument arrives as two
 * parameters, the address of its first element and its length; a number
 * arrives as it is (f64, or i32 where the twin declares one), a BigInt as i64.
 * Twins return numbers as f64 or i32, so JavaScript reads them as V8's
 * function returns them.
 */

/** Reserves `bytes` of linear memory, 16-byte aligned (the stub runtime's bump allocator). */
export function alloc(bytes: usize): usize {
  return heap.alloc(bytes);
}

/** Forgets every allocation, so the next call's arrays start at the same addresses. */
export function reset(): void {
  heap.reset();
}

/**
 * A store into a Uint8ClampedArray: NaN and below 0 give 0, 255 and above
 * give 255, the rest round half to even (f64.nearest).
 */
export function clampToU8(value: f64): u8 {
  return value > 0 ? (value < 255 ? <u8>nearest(value) : 255) : 0;
}
