export * from './types/type.js';
export type { Origin } from './nodes/origin.js';
export { argOrigin, outOrigin, sameOrigin, originToString } from './nodes/origin.js';
export type { Region } from './nodes/region.js';
export { nodesById, originType } from './nodes/region.js';
export type { SourceLoc } from './nodes/loc.js';
export type { SimpleNode, Attrs, AttrValue } from './nodes/simple.js';
export type { GammaNode } from './nodes/gamma.js';
export type { ThetaNode } from './nodes/theta.js';
export type { LambdaNode } from './nodes/lambda.js';
export type { DeltaNode } from './nodes/delta.js';
export type { PhiNode } from './nodes/phi.js';
export type { Node, StructuralNode, NodeKind } from './nodes/node.js';
export type { Module, Import } from './nodes/module.js';
export {
  withRegion,
  withNodes,
  withRootRegion,
  mapRegions,
  forEachNode,
  countNodes,
  nextNodeId,
} from './nodes/rewrite.js';
export type {
  OpDef,
  OpInstance,
  Dialect,
  Effect,
  ErrorName,
  EvalContext,
  AttrKind,
  OperandSpec,
  OpSample,
  OpSignature,
} from './ops/op.js';
export { OpError, dialectOf, messageWithLine, unknownOpMessage } from './ops/op.js';
export { OpRegistry } from './ops/registry.js';
export { defaultRegistry } from './ops/default-registry.js';
export { pureOp, sameTypeOperands, foldByEvaluation } from './ops/define.js';
export { builtinDialect, zeroValue } from './ops/builtin.js';
export { arithDialect, convertValue, intDiv, intRem } from './ops/arith.js';
export { mathDialect, fusedMultiplyAdd, roundHalfEven } from './ops/math.js';
export { arrayDialect, maxArrayLength } from './ops/array.js';
export type { Value as IRValue, AnyTypedArray, StateToken, FunctionValue } from './interpreter/value.js';
export { memToken, ioToken, typedArrayConstructor, isTypedArray, wrapInt, valueHasType } from './interpreter/value.js';
export { ModuleBuilder, RegionBuilder, Value, BuildError } from './builder/builder.js';
export { setFreezing, isFreezing } from './builder/freeze.js';
export * from './interpreter/interpret.js';
export * from './text/print.js';
export * from './text/parse.js';
export * from './verifier/verify.js';
export type { SccEdges } from './graph/scc.js';
export { SccFinder, stronglyConnectedComponents, stronglyConnectedComponentsOf } from './graph/scc.js';
export * from './text/dot.js';
