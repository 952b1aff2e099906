import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { checksum, libmTolerance, loadKernels, relativeDifference, sameOutput, usesLibm } from './kernels.js';
import { compileWasmTwin, findAssemblyScript, WasmTwin } from './wasm.js';

const kernels = await loadKernels();
const asc = findAssemblyScript();

describe('AssemblyScript twins', () => {
  it('finds the assemblyscript devDependency, and says how to install it where there is none', () => {
    expect(asc).toMatchObject({ version: expect.stringMatching(/^\d+\.\d+\.\d+/) });
    const empty = mkdtempSync(join(tmpdir(), 'rvsdg-no-asc-'));
    try {
      expect(findAssemblyScript(empty)).toEqual({
        missing: 'no AssemblyScript compiler (npm install -D assemblyscript -w tools)',
      });
    } finally {
      rmSync(empty, { recursive: true, force: true });
    }
  });

  it.each(kernels.map((k) => [k.name, k] as const))(
    '%s: the wasm twin computes what V8 computes, twice on fresh inputs',
    async (_name, kernel) => {
      if ('missing' in asc) throw new Error(asc.missing);
      const sizes = kernel.sizes.test;
      const expected = (() => {
        const args = kernel.inputs(...sizes);
        return kernel.output(kernel.fn(...args), args);
      })();
      const twin = await WasmTwin.instantiate(compileWasmTwin(asc, kernel.name).bytes, kernel.name);
      for (let call = 0; call < 2; call++) {
        const args = kernel.inputs(...sizes);
        const { ms, result } = twin.call(args);
        expect(ms).toBeGreaterThanOrEqual(0);
        const output = kernel.output(result, args);
        if (usesLibm(kernel)) {
          // AssemblyScript's own exp and log may round differently from V8's in the last bit.
          expect(relativeDifference(checksum(output), checksum(expected))).toBeLessThanOrEqual(libmTolerance);
        } else {
          expect(sameOutput(output, expected), `${kernel.name}: ${String(checksum(output))}`).toBe(true);
        }
      }
    },
    120_000,
  );

  it('reports a twin that does not export the kernel', async () => {
    if ('missing' in asc) throw new Error(asc.missing);
    const { bytes } = compileWasmTwin(asc, 'dot');
    await expect(WasmTwin.instantiate(bytes, 'fib')).rejects.toThrow("exports no function 'fib'");
  });
});
