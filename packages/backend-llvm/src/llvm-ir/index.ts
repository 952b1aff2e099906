/**
 * A small LLVM IR builder that writes IR text, shaped like LLVM's C++ API
 * (which the llvm-bindings package mirrored, and the lowerings were first
 * written against): `Module`, `Function.Create`, `BasicBlock.Create`, an
 * `IRBuilder` with the `Create*` methods, constants and intrinsics. Import
 * it as a namespace: `import { llvm } from '@rvsdg/backend-llvm'`. It has
 * no native state, so it works the same in every thread; the native engine
 * parses and verifies the text.
 */
export {
  LLVMContext,
  Type,
  IntegerType,
  PointerType,
  StructType,
  ArrayType,
  FunctionType,
  type TypeKind,
} from './types.js';
export {
  Value,
  Argument,
  Instruction,
  AllocaInst,
  PHINode,
  SwitchInst,
  Constant,
  ConstantInt,
  ConstantFP,
  ConstantPointerNull,
  UndefValue,
  PoisonValue,
  GlobalValue,
  GlobalVariable,
  InlineAsm,
  floatLiteral,
  type Linkage,
} from './values.js';
export { Function, BasicBlock } from './function.js';
export { Module } from './module.js';
export { IRBuilder, type ICmpPredicate, type FCmpPredicate } from './ir-builder.js';
export { Intrinsic, type IntrinsicID } from './intrinsics.js';
