export {
  NativeEngine,
  type CodegenOptions,
  type AsyncCompileOptions,
  type CompileOptions,
  type CompileTimings,
  type CompiledModule,
  type EngineStats,
  type HostInfo,
  type JitFunction,
  type LoadedObject,
  type OptLevel,
  type WrapperSpec,
} from './engine/native-engine.js';
export { buildNodeAddon, moduleInitSource, type AddonBuildOptions, type AddonBuildResult } from './engine/aot.js';
export * from './lower/index.js';
export * as llvm from './llvm-ir/index.js';
