import { jit } from '@rvsdg/runtime';
import {
  checksum,
  compareTwin,
  relativeDifference,
  sameOutput,
  usesLibm,
  libmTolerance,
  type Kernel,
  type Output,
  type Scale,
} from './kernels.js';
import { median } from './stats.js';
import { cTwin, compileCTwin, numbaTwin, type CCompiler, type NumbaPython, type Twin } from './twins.js';
import { compileWasmTwin, WasmTwin, type AssemblyScript } from './wasm.js';

export type VariantId = 'v8' | 'jit' | 'jitFastmath' | 'c' | 'numba' | 'wasm';
export const variantIds: readonly VariantId[] = ['v8', 'jit', 'jitFastmath', 'c', 'numba', 'wasm'];

/** Relative difference allowed between the V8 checksum and the `fastmath` one (reassociated sums round differently). */
export const fastmathTolerance = 1e-6;
export interface VariantResult {
  /** Median steady-state time of one call, in ms; absent when the variant did not run. */
  readonly medianMs?: number;
  readonly samples: readonly number[];
  /** The first call: compile and run (jit: fresh `jit()` each time, median of several; Numba: its first call). */
  readonly firstCallMs?: number;
  /** Why there is no time: a missing tool or an error, as the table shows it. */
  readonly missing?: string;
  /** How the result compares with V8's: `exact`, `within 3e-15`, or what differs. */
  readonly check?: string;
  /** False when the result differs from V8's beyond what is allowed. */
  readonly agrees?: boolean;
  readonly extra?: Readonly<Record<string, number | string>>;
}

export interface KernelResult {
  readonly name: string;
  readonly size: string;
  readonly sizes: readonly number[];
  readonly checksum: string;
  readonly variants: Readonly<Record<VariantId, VariantResult>>;
}

export interface MeasureOptions {
  readonly scale: Scale;
  readonly rounds: number;
  readonly firstCalls: number;
  readonly compiler: CCompiler;
  readonly numba: NumbaPython;
  readonly assemblyScript: AssemblyScript;
  readonly log: (line: string) => void;
}

/** `CompileError: unsupported ... (line 3)`: the error's name and the first line of its message. */
export function describeError(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  const first = error.message.split('\n')[0] ?? '';
  return `${error.name}: ${first}`;
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Fn = (...args: any[]) => unknown;

interface InProcess {
  readonly kind: 'in-process';
  fn: Fn;
}
interface External {
  readonly kind: 'external';
  readonly twin: Twin;
}
interface Wasm {
  readonly kind: 'wasm';
  readonly twin: WasmTwin;
}

class Variant {
  samples: number[] = [];
  firstCalls: number[] = [];
  missing: string | undefined;
  check: string | undefined;
  agrees: boolean | undefined;
  extra: Record<string, number | string> = {};
  runner: InProcess | External | Wasm | undefined;

  constructor(readonly id: VariantId) {}

  fail(reason: string): void {
    this.missing = reason;
    if (this.runner?.kind === 'external') this.runner.twin.close();
    this.runner = undefined;
  }

  result(): VariantResult {
    const base = { samples: this.samples, ...(Object.keys(this.extra).length > 0 ? { extra: this.extra } : {}) };
    if (this.missing !== undefined) return { ...base, missing: this.missing };
    return {
      ...base,
      medianMs: median(this.samples),
      ...(this.firstCalls.length > 0 ? { firstCallMs: median(this.firstCalls) } : {}),
      ...(this.check !== undefined ? { check: this.check } : {}),
      ...(this.agrees !== undefined ? { agrees: this.agrees } : {}),
    };
  }
}

/** A copy of `fn` that V8 has never run: its first call includes parsing and running cold. */
function freshCopy(fn: Fn): Fn {
  return new Function(`return (${fn.toString()});`)() as Fn;
}

// With --expose-gc, collect the previous call's inputs before timing, so that no collection lands inside a call.
const collectGarbage = (globalThis as { gc?: () => void }).gc;

function callOnce(kernel: Kernel, fn: Fn, sizes: readonly number[]): { ms: number; output: Output } {
  const args = kernel.inputs(...sizes);
  collectGarbage?.();
  const start = performance.now();
  const result = fn(...args);
  const ms = performance.now() - start;
  return { ms, output: kernel.output(result, args) };
}

/**
 * Runs one kernel every way: first calls, then warm-up, then `rounds` rounds in
 * which each variant runs once, in an order that rotates from round to round
 * so slow drifts of the machine spread evenly over the variants.
 */
export async function measureKernel(kernel: Kernel, options: MeasureOptions): Promise<KernelResult> {
  const sizes = kernel.sizes[options.scale];
  const variants = new Map<VariantId, Variant>(variantIds.map((id) => [id, new Variant(id)]));
  const v = (id: VariantId) => variants.get(id) as Variant;

  // V8 first: its result is the reference every other variant is compared with.
  const v8 = v('v8');
  let reference: Output | undefined;
  for (let i = 0; i < options.firstCalls; i++) {
    const { ms, output } = callOnce(kernel, freshCopy(kernel.fn), sizes);
    v8.firstCalls.push(ms);
    reference ??= output;
  }
  if (reference === undefined) reference = callOnce(kernel, kernel.fn, sizes).output;
  const ref = reference;
  const refChecksum = checksum(ref);
  v8.runner = { kind: 'in-process', fn: kernel.fn };
  v8.check = 'reference';

  const checkInProcess = (variant: Variant, output: Output): void => {
    if (variant.id === 'v8') {
      if (!sameOutput(output, ref)) variant.fail('V8 itself gave different results on identical inputs');
      return;
    }
    if (sameOutput(output, ref)) {
      if (variant.check === undefined) variant.check = 'exact';
      variant.agrees ??= true;
      return;
    }
    const difference = relativeDifference(checksum(output), refChecksum);
    if (variant.id === 'jitFastmath' && difference <= fastmathTolerance) {
      const note = `checksum within ${difference.toExponential(0)} (tolerance ${fastmathTolerance})`;
      if (variant.check === undefined || variant.check === 'exact') variant.check = note;
      variant.agrees ??= true;
      return;
    }
    variant.check = `differs from V8: checksum ${String(checksum(output))} vs ${String(refChecksum)}`;
    variant.agrees = false;
  };

  // The AssemblyScript twin gives whole arrays: they must equal V8's, except where its own Math may round differently.
  const checkWasm = (variant: Variant, output: Output): void => {
    if (sameOutput(output, ref)) {
      if (variant.check === undefined) variant.check = 'exact';
      variant.agrees ??= true;
      return;
    }
    const difference = relativeDifference(checksum(output), refChecksum);
    if (usesLibm(kernel) && difference <= libmTolerance) {
      const within = difference === 0 ? 'checksum equal' : `checksum within ${difference.toExponential(0)}`;
      const note = `last bits differ (AssemblyScript's own Math); ${within}, tolerance ${libmTolerance}`;
      if (variant.check === undefined || variant.check === 'exact') variant.check = note;
      variant.agrees ??= true;
      return;
    }
    variant.check = `differs from V8: checksum ${String(checksum(output))} vs ${String(refChecksum)}`;
    variant.agrees = false;
  };

  const checkExternal = (variant: Variant, text: string): void => {
    const { agrees, check } = compareTwin(kernel, text, refChecksum);
    if (!agrees) {
      variant.check = check;
      variant.agrees = false;
    } else if (variant.agrees !== false) {
      if (variant.check === undefined || variant.check === 'exact') variant.check = check;
      variant.agrees = true;
    }
  };

  for (const id of ['jit', 'jitFastmath'] as const) {
    const variant = v(id);
    try {
      let compiled: Fn | undefined;
      for (let i = 0; i < options.firstCalls; i++) {
        const fresh = jit(kernel.fn, {
          ...(kernel.scope ? { scope: kernel.scope } : {}),
          cache: false,
          fastmath: id === 'jitFastmath',
        });
        const { ms, output } = callOnce(kernel, fresh as Fn, sizes);
        variant.firstCalls.push(ms);
        checkInProcess(variant, output);
        // The optimized tier compiles in the background once the call was long: let it finish before the next
        // first call, which it would otherwise slow down (without tiers, all compiling happens inside the call).
        await fresh.whenOptimized();
        compiled = fresh as Fn;
      }
      variant.runner = { kind: 'in-process', fn: compiled as Fn };
    } catch (error) {
      variant.fail(describeError(error));
    }
  }

  const c = v('c');
  if ('missing' in options.compiler) c.fail(options.compiler.missing);
  else {
    try {
      const { path, compileMs } = compileCTwin(options.compiler.command, kernel.name);
      c.extra['compileMs'] = compileMs;
      c.runner = { kind: 'external', twin: cTwin(path, kernel.name, sizes) };
    } catch (error) {
      c.fail(describeError(error));
    }
  }
  const numba = v('numba');
  if ('missing' in options.numba) numba.fail(options.numba.missing);
  else numba.runner = { kind: 'external', twin: numbaTwin(options.numba.command, kernel.name, sizes) };
  const wasm = v('wasm');
  if ('missing' in options.assemblyScript) wasm.fail(options.assemblyScript.missing);
  else {
    try {
      const { bytes, compileMs } = compileWasmTwin(options.assemblyScript, kernel.name);
      const twin = await WasmTwin.instantiate(bytes, kernel.name);
      wasm.extra['compileMs'] = compileMs;
      wasm.extra['instantiateMs'] = twin.instantiateMs;
      wasm.runner = { kind: 'wasm', twin };
    } catch (error) {
      wasm.fail(describeError(error));
    }
  }

  const measure = async (variant: Variant, record: 'first' | 'warm' | 'sample'): Promise<void> => {
    const runner = variant.runner;
    if (!runner) return;
    try {
      let ms: number;
      if (runner.kind === 'in-process') {
        const call = callOnce(kernel, runner.fn, sizes);
        ms = call.ms;
        checkInProcess(variant, call.output);
      } else if (runner.kind === 'wasm') {
        const args = kernel.inputs(...sizes);
        collectGarbage?.();
        const call = runner.twin.call(args);
        ms = call.ms;
        checkWasm(variant, kernel.output(call.result, args));
      } else {
        const answer = await runner.twin.run();
        ms = answer.ms;
        if (answer.import_ms !== undefined) variant.extra['importMs'] = answer.import_ms;
        checkExternal(variant, answer.checksum);
      }
      if (record === 'first') variant.firstCalls.push(ms);
      if (record === 'sample') variant.samples.push(ms);
    } catch (error) {
      variant.fail(describeError(error));
    }
  };

  // The twins' first call: Numba compiles during it; C and AssemblyScript were compiled ahead (V8 still tiers the wasm up).
  for (const id of ['c', 'numba', 'wasm'] as const) await measure(v(id), 'first');
  for (let warm = 0; warm < 2; warm++) for (const variant of variants.values()) await measure(variant, 'warm');
  // Steady state is the optimized tier's: wait for tiered compilation to install it.
  for (const variant of variants.values()) {
    const fn = variant.runner?.kind === 'in-process' ? variant.runner.fn : undefined;
    if (fn && 'whenOptimized' in fn) await (fn as { whenOptimized(): Promise<void> }).whenOptimized();
  }
  const order = [...variants.values()];
  for (let round = 0; round < options.rounds; round++) {
    for (let k = 0; k < order.length; k++) await measure(order[(round + k) % order.length] as Variant, 'sample');
    options.log(`  ${kernel.name}: round ${round + 1}/${options.rounds}`);
  }
  for (const variant of variants.values()) if (variant.runner?.kind === 'external') variant.runner.twin.close();

  const results = Object.fromEntries(variantIds.map((id) => [id, v(id).result()])) as Record<VariantId, VariantResult>;
  return { name: kernel.name, size: kernel.size, sizes, checksum: String(refChecksum), variants: results };
}
