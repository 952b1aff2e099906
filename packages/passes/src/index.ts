export {
  defineCondition,
  summarizeProblems,
  type Condition,
  type ConditionContext,
  type ConditionOptions,
} from './manager/condition.js';
export {
  definePass,
  passesEnsuring,
  type Pass,
  type PassDefinition,
  type PassOptions,
  type OptionValue,
} from './manager/pass.js';
export {
  AnalysisCache,
  Statistics,
  createPassContext,
  defineAnalysis,
  type Analysis,
  type AnalysisContext,
  type ContextParts,
  type PassContext,
  type PassDiagnostic,
  type Severity,
} from './manager/context.js';
export {
  PassRegistry,
  PipelineSyntaxError,
  flattenPipeline,
  parsePipeline,
  pipeline,
  printPipeline,
  type AnyPass,
  type Pipeline,
  type PipelineItem,
} from './manager/pipeline.js';
export {
  ConditionFailedError,
  PassCrashedError,
  PassRefusedError,
  UndeclaredOpsError,
  PipelineError,
  OutputConditionError,
  checkingByDefault,
  checkingRequested,
  planPipeline,
  runPipeline,
  type PassRecord,
  type CheckMode,
  type PipelineResult,
  type RunOptions,
} from './manager/pass-manager.js';
export {
  diffAfterPasses,
  printAfterPasses,
  reportStatistics,
  timePasses,
  type Instrumentation,
  type PassEvent,
  type PrintOptions,
  type TimingReport,
} from './manager/instrumentation.js';
export { diffModules } from './manager/diff.js';
export { verified } from './conditions/verified.js';
export { typed } from './conditions/typed.js';
export { noJsOps } from './conditions/no-js-ops.js';
export { noDeadNodes } from './conditions/no-dead-nodes.js';
export { lowerable } from './conditions/lowerable.js';
export { fold, type FoldOptions } from './passes/fold.js';
export { dne } from './passes/dne.js';
export { cne } from './passes/cne.js';
export { inline, type InlineOptions } from './passes/inline.js';
export { hoistInvariants } from './passes/hoist-invariants.js';
export { simplifyGamma } from './passes/simplify-gamma.js';
export { simplifyTheta } from './passes/simplify-theta.js';
export { unroll, tripCount, type UnrollOptions } from './passes/unroll.js';
export { standardPasses, simplify, optimize } from './passes/standard.js';
// Helpers for writing passes: rebuilding nodes and regions without mutation, fresh ids, origin substitution.
export {
  Substitution,
  cloneNodes,
  cloneRegion,
  makeConst,
  makeRegion,
  makeSimple,
  withInputs,
  withRegions,
} from './util/build.js';
export { IdAllocator, countNodesIn, isPinned, isPureSimple, opKey, originKey, useCounts } from './util/ir.js';
export { appendArguments, keepArguments } from './util/args.js';
export { constantValue, knownValue } from './util/constants.js';
export {
  definePatternPass,
  sameConstant,
  type Pattern,
  type PatternPassDefinition,
  type Rewriter,
} from './patterns/pattern-pass.js';
export {
  inferTypes,
  inferTypesFor,
  inferModuleTypes,
  parseTypeList,
  type InferTypesOptions,
  type InferTypesPassOptions,
} from './passes/infer-types.js';
export { InferenceError } from './passes/infer-types-error.js';
export { typeOfJsValue } from './passes/infer-types-lattice.js';
export { defaultPipeline, type DefaultPipelineOptions } from './pipelines/default-pipeline.js';
export { integerRepresentation, representable, paramBound } from './passes/integer-representation.js';
export { dropBoundsChecks } from './passes/drop-bounds-checks.js';
export { dropOverflowChecks, bigintParamBound } from './passes/drop-overflow-checks.js';
export { versionLoopNests } from './passes/version-loop-nests.js';
export { ranges, analyzeRanges, type RangeFacts } from './analysis/ranges.js';
export { isExactInteger, type Interval } from './analysis/interval.js';
