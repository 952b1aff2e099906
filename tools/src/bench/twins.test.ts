import { describe, expect, it } from 'vitest';
import { checksum, compareTwin, loadKernels, parseChecksum, sameOutput } from './kernels.js';
import { cTwin, compileCTwin, findCCompiler } from './twins.js';

const kernels = await loadKernels();
const compiler = findCCompiler(['clang-14', 'clang', 'gcc', 'cc']);

describe('benchmark kernels and their C twins', () => {
  it('every kernel has a C twin and a Numba twin, and V8 computes the same on fresh inputs twice', async () => {
    const { existsSync } = await import('node:fs');
    const { join } = await import('node:path');
    const { benchDir } = await import('./kernels.js');
    expect(kernels.map((k) => k.name)).toEqual(
      expect.arrayContaining(['sum_loop', 'dot', 'axpy', 'mandelbrot', 'jacobi', 'fib', 'fnv1a', 'pairwise']),
    );
    expect(kernels).toHaveLength(21);
    for (const kernel of kernels) {
      expect(existsSync(join(benchDir, 'c', `${kernel.name}.c`)), kernel.name).toBe(true);
      expect(existsSync(join(benchDir, 'numba', `${kernel.name}.py`)), kernel.name).toBe(true);
      const sizes = kernel.sizes.test;
      const first = kernel.inputs(...sizes);
      const second = kernel.inputs(...sizes);
      const a = kernel.output(kernel.fn(...first), first);
      const b = kernel.output(kernel.fn(...second), second);
      expect(sameOutput(a, b), kernel.name).toBe(true);
    }
  });

  it.each(kernels.map((k) => [k.name, k] as const))(
    '%s: the C twin prints the checksum of the V8 result',
    async (_name, kernel) => {
      if ('missing' in compiler) throw new Error(compiler.missing);
      const sizes = kernel.sizes.test;
      const args = kernel.inputs(...sizes);
      const reference = checksum(kernel.output(kernel.fn(...args), args));
      const { path } = compileCTwin(compiler.command, kernel.name);
      const twin = cTwin(path, kernel.name, sizes);
      try {
        const first = await twin.run(60_000);
        const second = await twin.run(60_000);
        expect(first.ms).toBeGreaterThanOrEqual(0);
        expect(compareTwin(kernel, first.checksum, reference)).toMatchObject({ agrees: true });
        expect(second.checksum).toBe(first.checksum);
      } finally {
        twin.close();
      }
    },
    60_000,
  );

  it('reads checksums back exactly, and tells differing results apart', () => {
    const dot = kernels.find((k) => k.name === 'dot');
    if (!dot) throw new Error('no dot kernel');
    expect(parseChecksum('0.10000000000000001', 0)).toBe(0.1);
    expect(parseChecksum('49999995000000', 0n)).toBe(49999995000000n);
    expect(parseChecksum('-inf', 0)).toBe(-Infinity);
    expect(compareTwin(dot, '1.0000000000000002', 1)).toMatchObject({ agrees: false });
    expect(compareTwin(dot, '1', 1)).toEqual({ agrees: true, check: 'exact' });
    expect(sameOutput(new Float64Array([0]), new Float64Array([-0]))).toBe(false);
    expect(sameOutput(NaN, NaN)).toBe(true);
  });
});
