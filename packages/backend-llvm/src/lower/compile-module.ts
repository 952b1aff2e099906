import type { Module } from '@rvsdg/ir';
import {
  NativeEngine,
  type CompiledModule,
  type CompileTimings,
  type JitFunction,
  type LoadedObject,
  type OptLevel,
} from '../engine/native-engine.js';
import { exactMathMarker } from './exact-math-ir.js';
import { asLoweringBug, lowerModule, type LoweredModule, type LowerOptions } from './lower-module.js';

export interface CompileModuleOptions extends LowerOptions {
  /** `default<On>` pipeline level; 3 when absent. */
  readonly optLevel?: OptLevel;
  /** The engine to compile with; `NativeEngine.shared()` when absent. */
  readonly engine?: NativeEngine;
  /** Allow reassociation and contraction of float arithmetic (see withFastMathFlags). */
  readonly fastmath?: boolean;
  /** Keep the machine code as an object file (`object`) that `loadCompiledObject` accepts in another process. */
  readonly keepObject?: boolean;
  /**
   * Tiered compilation: `recompileAsync` switches these functions to the
   * recompiled code as soon as it is linked, without the event loop (see
   * the engine's `AsyncCompileOptions.replaces`).
   */
  readonly tiered?: boolean;
}

/**
 * `reassoc contract` on every float add, subtract, multiply and divide:
 * enough for LLVM to vectorize reductions and fuse multiply-adds, while
 * NaN, infinities and signed zeros keep their meaning (no `nnan`, `ninf`,
 * `nsz`), so fast math changes only rounding.
 */
export function withFastMathFlags(irText: string): string {
  // The exact math functions linked after the kernels keep their roundings.
  const [kernels, ...exactMath] = irText.split(exactMathMarker);
  const flagged = (kernels as string).replace(/= (fadd|fsub|fmul|fdiv) (float|double|<)/g, '= $1 reassoc contract $2');
  return [flagged, ...exactMath].join(exactMathMarker);
}

export interface CompiledRvsdgModule {
  /** One JS function per exported RVSDG function, by export name. */
  readonly functions: Readonly<Record<string, JitFunction>>;
  /** The LLVM IR the lowering produced. */
  readonly irBefore: string;
  /** The LLVM IR after optimization. */
  readonly irAfter: string;
  /** The N-API wrapper of each export. */
  readonly wrappers: LoweredModule['wrappers'];
  /** The machine code as an object file, with `keepObject`. */
  readonly object: Uint8Array | undefined;
  /** Milliseconds spent lowering, then in each engine stage. */
  readonly timings: CompileTimings & { readonly lowerMs: number };
  /** Assembly of the optimized module for the host CPU. */
  assembly(): string;
  /** Frees the machine code (see CompiledModule.dispose in the engine). */
  dispose(): void;
  /**
   * Compiles the same LLVM IR again at `optLevel` on a background thread
   * (tiered compilation: a quick tier runs while the optimized one compiles).
   * With `tiered`, this module's functions call the recompiled ones from the
   * moment their code is linked, before the promise settles.
   */
  recompileAsync(optLevel: OptLevel): Promise<CompiledModule>;
  /** Whether the functions now run the code of a `recompileAsync` (see `tiered`). */
  readonly redirected: boolean;
}

/** Lowers a typed module to LLVM IR and compiles it in process: its exported functions become callable JS functions. */
export function compileModule(module: Module, options: CompileModuleOptions = {}): CompiledRvsdgModule {
  const start = performance.now();
  // The engine verifies the text while compiling it, so the lowering need not have it parsed first.
  const lowered = lowerModule(module, { ...options, verify: false });
  const lowerMs = performance.now() - start;
  const engine = options.engine ?? NativeEngine.shared();
  const irText = options.fastmath ? withFastMathFlags(lowered.irText) : lowered.irText;
  let compiled: CompiledModule;
  try {
    compiled = engine.compile(irText, {
      optLevel: options.optLevel ?? 3,
      wrappers: lowered.wrappers,
      ...(options.moduleName ? { moduleName: options.moduleName } : {}),
      ...(options.keepObject ? { keepObject: true } : {}),
      ...(options.tiered ? { tiered: true } : {}),
    });
  } catch (error) {
    throw asLoweringBug(error, irText);
  }
  return {
    functions: compiled.functions,
    irBefore: compiled.irBefore,
    irAfter: compiled.irAfter,
    wrappers: lowered.wrappers,
    object: compiled.object,
    timings: { ...compiled.timings, lowerMs },
    assembly: () => compiled.assembly(),
    dispose: () => compiled.dispose(),
    recompileAsync: (optLevel) =>
      engine.compileAsync(irText, {
        optLevel,
        wrappers: lowered.wrappers,
        ...(options.moduleName ? { moduleName: options.moduleName } : {}),
        ...(options.keepObject ? { keepObject: true } : {}),
        ...(options.tiered ? { replaces: compiled } : {}),
      }),
    get redirected() {
      return compiled.redirected;
    },
  };
}

/**
 * The functions of a module compiled with `keepObject`, from its object
 * file and wrappers, without compiling (see NativeEngine.loadObject).
 */
export function loadCompiledObject(
  object: Uint8Array,
  wrappers: LoweredModule['wrappers'],
  engine: NativeEngine = NativeEngine.shared(),
): LoadedObject {
  return engine.loadObject(object, wrappers);
}
