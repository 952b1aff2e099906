export type { BlockId, VarName, Instruction, Terminator, Block, Cfg } from './cfg/cfg.js';
export { FUNCTION_REF_OP, COPY_OP, SYNTHETIC_PREFIX, isSynthetic } from './cfg/cfg.js';
export { CfgError, validateCfg, assertValidCfg, type ValidateOptions } from './cfg/validate.js';
export { interpretCfg, type CfgRun, type TraceEvent, type InterpretCfgOptions } from './cfg/interpret-cfg.js';
export { restructureCfg } from './cfg/restructure.js';
export {
  isStructured,
  parseStructure,
  type StructuredItem,
  type StructuredSeq,
  type StructureResult,
} from './cfg/structure.js';
export { liveness, type Liveness } from './cfg/liveness.js';
export { cfgToModule, type CfgToModuleOptions } from './cfg/cfg-to-rvsdg.js';
export {
  fromFunction,
  fromSource,
  type CompiledJs,
  type FromFunctionOptions,
  type FromSourceOptions,
  type ScopedFunction,
  type PropertyGuard,
  type ScopeLookup,
} from './js/from-function.js';
export { jsDialect, jsRegistry } from './js/js-dialect.js';
export { CompileError } from './js/compile-error.js';
export {
  lowerFunction,
  emptyReturnMessages,
  MEM_VAR,
  RETURN_VAR,
  type FreeBinding,
  type LowerOptions,
} from './js/js-to-cfg.js';
export { parseFunction, parseFunctions, type ParsedFunction } from './js/parse-function.js';
export { childNodes } from './js/ast.js';
export { mathFunctions, numberFunctions, typedArrayKinds } from './js/js-dialect.js';
