import llvm from 'llvm-bindings';
import type { ArrayType, Module } from '@rvsdg/ir';
import {
  NativeEngine,
  lowerModule,
  defaultLowerings,
  v8MathLowerings,
  type Lowering,
  type LoweringRegistry,
  type OptLevel,
} from '@rvsdg/backend-llvm';

/** What the runtime asks of a code generator: native code for one exported function of a typed module. */
export interface Backend {
  readonly name: string;
  compile(module: Module, entry: string, options: BackendOptions): NativeCode;
}

export interface BackendOptions {
  readonly optLevel: OptLevel;
  /** Value-changing float optimizations allowed (e.g. libm instead of V8's own Math functions). */
  readonly fastmath: boolean;
  readonly boundscheck: boolean;
}

export interface NativeCode {
  /** Takes the entry's JS-visible arguments, returns its result boxed for JS. */
  readonly fn: (...args: unknown[]) => unknown;
  /** Code in the backend's input language, before and after its optimizations. */
  readonly irBefore: string;
  readonly irAfter: string;
  assembly(): string;
  /** Frees the code now; `fn` must not be called afterwards. */
  dispose(): void;
  /** Milliseconds per stage. */
  readonly timings: Readonly<Record<string, number>>;
}

function elementPointer(ctx: Parameters<Lowering>[0], array: llvm.Value, type: ArrayType, index: llvm.Value) {
  const b = ctx.builder;
  return b.CreateInBoundsGEP(ctx.storageType(type.element), b.CreateExtractValue(array, [0]), [index]);
}

/** array.load and array.store without the index check, for `boundscheck: false`. */
const uncheckedArrayLowerings: Readonly<Record<string, Lowering>> = {
  'array.load': (ctx, _node, operands) => {
    const type = ctx.operandTypes[0] as ArrayType;
    const [array, index] = operands as llvm.Value[];
    const stored = ctx.builder.CreateLoad(
      ctx.storageType(type.element),
      elementPointer(ctx, array as llvm.Value, type, index as llvm.Value),
    );
    const value =
      type.element.kind === 'bool' ? ctx.builder.CreateICmpNE(stored, llvm.ConstantInt.get(ctx.i8, 0)) : stored;
    return [value, undefined];
  },
  'array.store': (ctx, _node, operands) => {
    const type = ctx.operandTypes[0] as ArrayType;
    const [array, index, value] = operands as llvm.Value[];
    const stored =
      type.element.kind === 'bool' ? ctx.builder.CreateZExt(value as llvm.Value, ctx.i8) : (value as llvm.Value);
    ctx.builder.CreateStore(stored, elementPointer(ctx, array as llvm.Value, type, index as llvm.Value));
    return [undefined];
  },
};

// Exact semantics call V8's own Math functions (bit-identical to JS); fastmath may use libm.
const registries = new Map<string, LoweringRegistry>([
  ['exact/checked', v8MathLowerings],
  ['fast/checked', defaultLowerings],
  ['exact/unchecked', v8MathLowerings.extend(uncheckedArrayLowerings)],
  ['fast/unchecked', defaultLowerings.extend(uncheckedArrayLowerings)],
]);

/**
 * `reassoc contract` on every float add, subtract, multiply and divide:
 * enough for LLVM to vectorize reductions and fuse multiply-adds, while
 * NaN, infinities and signed zeros keep their meaning (no `nnan`, `ninf`,
 * `nsz`), so `fastmath` changes only rounding.
 */
export function withFastMathFlags(irText: string): string {
  return irText.replace(/= (fadd|fsub|fmul|fdiv) (float|double|<)/g, '= $1 reassoc contract $2');
}

/** The LLVM backend: lowering with llvm-bindings, then the native engine (ORC LLJIT in this process). */
export const llvmBackend: Backend = {
  name: 'llvm',
  compile(module, entry, options) {
    const key = `${options.fastmath ? 'fast' : 'exact'}/${options.boundscheck ? 'checked' : 'unchecked'}`;
    const start = performance.now();
    const lowered = lowerModule(module, { lowerings: registries.get(key) as LoweringRegistry, moduleName: entry });
    const lowerMs = performance.now() - start;
    // llvm-bindings never frees a module: without this its function bodies stay in memory for good.
    lowered.release();
    const irText = options.fastmath ? withFastMathFlags(lowered.irText) : lowered.irText;
    const compiled = NativeEngine.shared().compile(irText, {
      optLevel: options.optLevel,
      wrappers: lowered.wrappers,
      moduleName: entry,
    });
    const fn = compiled.functions[entry];
    if (!fn) {
      compiled.dispose();
      throw new Error(
        `the compiled module has no function '${entry}' (it exports ${Object.keys(compiled.functions).join(', ')})`,
      );
    }
    const { irBefore, irAfter } = compiled;
    return {
      fn,
      irBefore,
      irAfter,
      timings: { lowerMs, ...compiled.timings },
      assembly: () => compiled.assembly(),
      dispose: () => compiled.dispose(),
    };
  },
};
