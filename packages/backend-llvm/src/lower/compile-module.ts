import type { Module } from '@rvsdg/ir';
import { NativeEngine, type CompileTimings, type JitFunction, type OptLevel } from '../engine/native-engine.js';
import { lowerModule, type LoweredModule, type LowerOptions } from './lower-module.js';

export interface CompileModuleOptions extends LowerOptions {
  /** `default<On>` pipeline level; 3 when absent. */
  readonly optLevel?: OptLevel;
  /** The engine to compile with; `NativeEngine.shared()` when absent. */
  readonly engine?: NativeEngine;
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
  /** Milliseconds spent lowering, then in each engine stage. */
  readonly timings: CompileTimings & { readonly lowerMs: number };
  /** Assembly of the optimized module for the host CPU. */
  assembly(): string;
  /** Frees the machine code (see CompiledModule.dispose in the engine). */
  dispose(): void;
}

/** Lowers a typed module to LLVM IR and compiles it in process: its exported functions become callable JS functions. */
export function compileModule(module: Module, options: CompileModuleOptions = {}): CompiledRvsdgModule {
  const start = performance.now();
  const lowered = lowerModule(module, options);
  const lowerMs = performance.now() - start;
  // The engine works from the text, so the llvm-bindings module can go now.
  lowered.release();
  const engine = options.engine ?? NativeEngine.shared();
  const compiled = engine.compile(lowered.irText, {
    optLevel: options.optLevel ?? 3,
    wrappers: lowered.wrappers,
    ...(options.moduleName ? { moduleName: options.moduleName } : {}),
  });
  return {
    functions: compiled.functions,
    irBefore: compiled.irBefore,
    irAfter: compiled.irAfter,
    wrappers: lowered.wrappers,
    timings: { ...compiled.timings, lowerMs },
    assembly: () => compiled.assembly(),
    dispose: () => compiled.dispose(),
  };
}
