import type { Module } from '@rvsdg/ir';
import { fileStamp } from './disk-cache.js';
import {
  compileModule,
  defaultLowerings,
  loadCompiledObject,
  NativeEngine,
  uncheckedArrayLowerings,
  v8MathLowerings,
  type LoweringRegistry,
  type OptLevel,
  type WrapperSymbol,
} from '@rvsdg/backend-llvm';

/** What the runtime asks of a code generator: native code for one exported function of a typed module. */
export interface Backend {
  readonly name: string;
  compile(module: Module, entry: string, options: BackendOptions): NativeCode;
  /**
   * What the machine code depends on besides the module and the options:
   * target triple, CPU name and features, the code generator's own build.
   * Part of the on-disk cache key.
   */
  target?(): string;
  /** The entry's function from the `artifact` of an earlier compile, maybe in another process, without compiling. */
  load?(artifact: CodeArtifact): LoadedCode;
}

/** Machine code a later process can `load`: bytes, and what the backend needs to find the entry in them. */
export interface CodeArtifact {
  readonly bytes: Uint8Array;
  readonly meta: string;
}

export interface LoadedCode {
  readonly fn: (...args: unknown[]) => unknown;
  /** Frees the code now; `fn` must not be called afterwards. */
  dispose(): void;
}

export interface BackendOptions {
  readonly optLevel: OptLevel;
  /** Value-changing float optimizations allowed (e.g. libm instead of V8's Math algorithms). */
  readonly fastmath: boolean;
  readonly boundscheck: boolean;
  /** Also return the machine code as a loadable `artifact` (for the on-disk cache). */
  readonly keepArtifact?: boolean;
  /**
   * A quick tier: `recompile` switches `fn` itself to the recompiled code as
   * soon as that is ready, without the event loop (see `redirected`).
   */
  readonly tiered?: boolean;
}

export interface NativeCode {
  /**
   * Takes the entry's JS-visible arguments, each TypedArray followed by its
   * ArrayBuffer (read with the intrinsic getter; see `unpackArguments`).
   * Returns the result boxed for JS.
   */
  readonly fn: (...args: unknown[]) => unknown;
  /** Code in the backend's input language, before and after its optimizations. */
  readonly irBefore: string;
  readonly irAfter: string;
  assembly(): string;
  /** Frees the code now; `fn` must not be called afterwards. */
  dispose(): void;
  /** The same code compiled again at `optLevel` on a background thread. */
  recompile(optLevel: OptLevel): Promise<NativeCode>;
  /** With `tiered`: whether `fn` runs the code of `recompile` now (which may be before its promise settles). */
  redirected?(): boolean;
  /** Milliseconds per stage. */
  readonly timings: Readonly<Record<string, number>>;
  /** With `keepArtifact`, when the backend supports `load`. */
  readonly artifact?: CodeArtifact;
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
      arrayArguments: 'unpacked',
      keepObject: options.keepArtifact === true,
      tiered: options.tiered === true,
    });
    const fn = compiled.functions[entry];
    if (!fn) {
      compiled.dispose();
      throw new Error(
        `the compiled module has no function '${entry}' (it exports ${Object.keys(compiled.functions).join(', ')})`,
      );
    }
    const { irBefore, irAfter, timings, object } = compiled;
    return {
      fn,
      irBefore,
      irAfter,
      timings: { ...timings },
      assembly: () => compiled.assembly(),
      dispose: () => compiled.dispose(),
      redirected: () => compiled.redirected,
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
          ...(again.object
            ? { artifact: { bytes: again.object, meta: JSON.stringify({ entry, wrappers: compiled.wrappers }) } }
            : {}),
        };
      },
      ...(object ? { artifact: { bytes: object, meta: JSON.stringify({ entry, wrappers: compiled.wrappers }) } } : {}),
    };
  },
  target() {
    const { triple, cpu, features } = NativeEngine.shared().host;
    return `${triple} ${cpu} ${features} engine ${fileStamp(NativeEngine.addonPath)}`;
  },
  load(artifact) {
    const { entry, wrappers } = JSON.parse(artifact.meta) as { entry: string; wrappers: WrapperSymbol[] };
    if (!Array.isArray(wrappers) || !wrappers.some((w) => w.name === entry)) {
      throw new Error(`the cached object has no function '${entry}'`);
    }
    const loaded = loadCompiledObject(artifact.bytes, wrappers);
    const fn = loaded.functions[entry] as (...args: unknown[]) => unknown;
    return { fn, dispose: () => loaded.dispose() };
  },
};
