import type { Module } from '@rvsdg/ir';
import {
  compileModule,
  defaultLowerings,
  uncheckedArrayLowerings,
  v8MathLowerings,
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
  /** Value-changing float optimizations allowed (e.g. libm instead of V8's Math algorithms). */
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
  /** The same code compiled again at `optLevel` on a background thread. */
  recompile(optLevel: OptLevel): Promise<NativeCode>;
  /** Milliseconds per stage. */
  readonly timings: Readonly<Record<string, number>>;
}

// Exact semantics compute Math functions natively as V8 does (bit-identical to JS); fastmath may use libm.
const registries = new Map<string, LoweringRegistry>([
  ['exact/checked', v8MathLowerings],
  ['fast/checked', defaultLowerings],
  ['exact/unchecked', v8MathLowerings.extend(uncheckedArrayLowerings)],
  ['fast/unchecked', defaultLowerings.extend(uncheckedArrayLowerings)],
]);

/** The LLVM backend: lowering to LLVM IR text, then the native engine (ORC LLJIT in this process). */
export const llvmBackend: Backend = {
  name: 'llvm',
  compile(module, entry, options) {
    const key = `${options.fastmath ? 'fast' : 'exact'}/${options.boundscheck ? 'checked' : 'unchecked'}`;
    const compiled = compileModule(module, {
      lowerings: registries.get(key) as LoweringRegistry,
      moduleName: entry,
      optLevel: options.optLevel,
      fastmath: options.fastmath,
    });
    const fn = compiled.functions[entry];
    if (!fn) {
      compiled.dispose();
      throw new Error(
        `the compiled module has no function '${entry}' (it exports ${Object.keys(compiled.functions).join(', ')})`,
      );
    }
    const { irBefore, irAfter, timings } = compiled;
    return {
      fn,
      irBefore,
      irAfter,
      timings: { ...timings },
      assembly: () => compiled.assembly(),
      dispose: () => compiled.dispose(),
      recompile: async (level) => {
        const again = await compiled.recompileAsync(level);
        const optimizedFn = again.functions[entry];
        if (!optimizedFn) {
          again.dispose();
          throw new Error(`the recompiled module has no function '${entry}'`);
        }
        return {
          fn: optimizedFn,
          irBefore,
          irAfter: again.irAfter,
          timings: { ...again.timings },
          assembly: () => again.assembly(),
          dispose: () => again.dispose(),
          recompile: () => Promise.reject(new Error('a recompiled module is not recompiled again')),
        };
      },
    };
  },
};
