export { jit, isJitted, type JittedFunction, type Inspection } from './jit.js';
export {
  resolveOptions,
  disabledByEnvironment,
  type JitOptions,
  type ResolvedOptions,
  type DebugSink,
} from './options.js';
export { CompileError, JitTypeError, anyArgument } from './errors.js';
export {
  argumentKinds,
  kindOf,
  describeValue,
  parseSignature,
  printSignature,
  printParams,
  parseParamType,
  SignatureSyntaxError,
  type ArgumentKind,
  type Signature,
} from './signature.js';
export {
  llvmBackend,
  type Backend,
  type BackendOptions,
  type NativeCode,
  type CodeArtifact,
  type LoadedCode,
} from './backend.js';
export {
  clearDiskCache,
  diskCacheDirectory,
  diskCacheEnabled,
  diskCacheInfo,
  diskCacheKey,
  diskCacheMaxBytes,
  diskCacheStats,
  resetDiskCacheStats,
  type DiskCacheInfo,
  type DiskCacheStats,
  type DiskKeyInput,
} from './disk-cache.js';
export {
  compileSpecialization,
  type CompileRequest,
  type CompileResult,
  type CompileHooks,
  type PassSnapshot,
} from './compile.js';
export { specializationCache, type Specialization } from './cache.js';
export { resolveScope } from './scope.js';
export { parameterNames } from './parameters.js';
