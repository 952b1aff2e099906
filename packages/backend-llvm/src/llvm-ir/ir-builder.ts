import { BasicBlock, Function } from './function.js';
import type { Module } from './module.js';
import {
  ArrayType,
  escapeBytes,
  FunctionType,
  IntegerType,
  PointerType,
  StructType,
  Type,
  utf8Length,
  type LLVMContext,
} from './types.js';
import {
  AllocaInst,
  Constant,
  ConstantFP,
  ConstantInt,
  GlobalVariable,
  Instruction,
  PHINode,
  SwitchInst,
  Value,
} from './values.js';

export type ICmpPredicate = 'eq' | 'ne' | 'ugt' | 'uge' | 'ult' | 'ule' | 'sgt' | 'sge' | 'slt' | 'sle';
export type FCmpPredicate =
  | 'false'
  | 'oeq'
  | 'ogt'
  | 'oge'
  | 'olt'
  | 'ole'
  | 'one'
  | 'ord'
  | 'ueq'
  | 'ugt'
  | 'uge'
  | 'ult'
  | 'ule'
  | 'une'
  | 'uno'
  | 'true';
type CastOp =
  | 'trunc'
  | 'zext'
  | 'sext'
  | 'fptrunc'
  | 'fpext'
  | 'fptoui'
  | 'fptosi'
  | 'uitofp'
  | 'sitofp'
  | 'ptrtoint'
  | 'inttoptr'
  | 'bitcast';

const i1 = IntegerType.get(undefined, 1);
const i32 = IntegerType.get(undefined, 32);
const i64 = IntegerType.get(undefined, 64);

/** The type `indices` reach inside aggregate `type` (extractvalue, insertvalue). */
function memberType(type: Type, indices: readonly number[]): Type {
  let t = type;
  for (const i of indices) {
    if (t instanceof StructType) t = t.getElementType(i);
    else if (t instanceof ArrayType) t = t.elementType;
    else throw new TypeError(`cannot index into ${t.text} (indices ${indices.join(', ')} of ${type.text})`);
  }
  return t;
}

/** The type a GEP over `type` with `indices` reaches (the first index steps over the pointer). */
function indexedType(type: Type, indices: readonly Value[]): Type {
  let t = type;
  for (let k = 1; k < indices.length; k++) {
    if (t instanceof StructType) {
      const field = Number((indices[k] as Value).ref);
      if (!Number.isInteger(field)) throw new TypeError(`a GEP into struct ${t.text} needs a constant field index`);
      t = t.getElementType(field);
    } else if (t instanceof ArrayType) {
      t = t.elementType;
    } else {
      throw new TypeError(`a GEP cannot index into ${t.text}`);
    }
  }
  return t;
}

/**
 * Appends instructions, as text, at the end of a basic block: the C++
 * IRBuilder's `Create*` methods with the same arguments. Each returns the
 * result as a `Value` whose operand text is a fresh local name; nothing is
 * folded or checked here (the native engine verifies the module).
 */
export class IRBuilder {
  #block: BasicBlock | undefined;
  #fn: Function | undefined;

  constructor(_context?: LLVMContext) {}

  // ---- position --------------------------------------------------------------

  /** Code goes at the end of `block` from now on. */
  SetInsertPoint(block: BasicBlock): void {
    if (!(block instanceof BasicBlock)) {
      throw new TypeError('SetInsertPoint takes a BasicBlock: code is only ever appended at the end of a block');
    }
    this.#block = block;
    this.#fn = block.parent;
  }

  GetInsertBlock(): BasicBlock | undefined {
    return this.#block;
  }

  #at(): BasicBlock {
    if (!this.#block) throw new Error('the IRBuilder has no insertion point: call SetInsertPoint(block) first');
    return this.#block;
  }

  #local(name: string): string {
    const fn = this.#fn;
    if (!fn) throw new Error('the IRBuilder has no insertion point: call SetInsertPoint(block) first');
    return `%${fn.uniqueLocal(name)}`;
  }

  /** Appends `%r = <text>` and returns %r as a value of `type`. */
  #emit(type: Type, text: string, name: string): Instruction {
    const block = this.#at();
    const ref = this.#local(name);
    block.append(`  ${ref} = ${text}`);
    return new Instruction(type, ref);
  }

  #terminate(text: string): void {
    this.#at().append(`  ${text}`, true);
  }

  // ---- types and constants -------------------------------------------------------

  getVoidTy(): Type {
    return Type.getVoidTy();
  }
  getInt1Ty(): IntegerType {
    return i1;
  }
  getInt8Ty(): IntegerType {
    return IntegerType.get(undefined, 8);
  }
  getInt16Ty(): IntegerType {
    return IntegerType.get(undefined, 16);
  }
  getInt32Ty(): IntegerType {
    return i32;
  }
  getInt64Ty(): IntegerType {
    return i64;
  }
  getIntNTy(bits: number): IntegerType {
    return IntegerType.get(undefined, bits);
  }
  getFloatTy(): Type {
    return Type.getFloatTy();
  }
  getDoubleTy(): Type {
    return Type.getDoubleTy();
  }
  /** `i8*`, the untyped pointer. */
  getInt8PtrTy(): PointerType {
    return Type.getInt8PtrTy();
  }
  getTrue(): ConstantInt {
    return ConstantInt.getTrue();
  }
  getFalse(): ConstantInt {
    return ConstantInt.getFalse();
  }
  getInt1(value: boolean): ConstantInt {
    return value ? ConstantInt.getTrue() : ConstantInt.getFalse();
  }
  getInt8(value: number): ConstantInt {
    return ConstantInt.get(this.getInt8Ty(), value);
  }
  getInt16(value: number): ConstantInt {
    return ConstantInt.get(this.getInt16Ty(), value);
  }
  getInt32(value: number): ConstantInt {
    return ConstantInt.get(i32, value);
  }
  getInt64(value: number | bigint): ConstantInt {
    return ConstantInt.get(i64, value);
  }

  // ---- integer and float arithmetic -----------------------------------------------

  #binary(op: string, x: Value, y: Value, name: string): Instruction {
    return this.#emit(x.type, `${op} ${x.type.text} ${x.ref}, ${y.ref}`, name);
  }

  CreateAdd(x: Value, y: Value, name = ''): Instruction {
    return this.#binary('add', x, y, name);
  }
  CreateNSWAdd(x: Value, y: Value, name = ''): Instruction {
    return this.#binary('add nsw', x, y, name);
  }
  CreateNUWAdd(x: Value, y: Value, name = ''): Instruction {
    return this.#binary('add nuw', x, y, name);
  }
  CreateSub(x: Value, y: Value, name = ''): Instruction {
    return this.#binary('sub', x, y, name);
  }
  CreateNSWSub(x: Value, y: Value, name = ''): Instruction {
    return this.#binary('sub nsw', x, y, name);
  }
  CreateMul(x: Value, y: Value, name = ''): Instruction {
    return this.#binary('mul', x, y, name);
  }
  CreateNSWMul(x: Value, y: Value, name = ''): Instruction {
    return this.#binary('mul nsw', x, y, name);
  }
  CreateSDiv(x: Value, y: Value, name = ''): Instruction {
    return this.#binary('sdiv', x, y, name);
  }
  CreateUDiv(x: Value, y: Value, name = ''): Instruction {
    return this.#binary('udiv', x, y, name);
  }
  CreateSRem(x: Value, y: Value, name = ''): Instruction {
    return this.#binary('srem', x, y, name);
  }
  CreateURem(x: Value, y: Value, name = ''): Instruction {
    return this.#binary('urem', x, y, name);
  }
  CreateShl(x: Value, y: Value, name = ''): Instruction {
    return this.#binary('shl', x, y, name);
  }
  CreateLShr(x: Value, y: Value, name = ''): Instruction {
    return this.#binary('lshr', x, y, name);
  }
  CreateAShr(x: Value, y: Value, name = ''): Instruction {
    return this.#binary('ashr', x, y, name);
  }
  CreateAnd(x: Value, y: Value, name = ''): Instruction {
    return this.#binary('and', x, y, name);
  }
  CreateOr(x: Value, y: Value, name = ''): Instruction {
    return this.#binary('or', x, y, name);
  }
  CreateXor(x: Value, y: Value, name = ''): Instruction {
    return this.#binary('xor', x, y, name);
  }
  CreateFAdd(x: Value, y: Value, name = ''): Instruction {
    return this.#binary('fadd', x, y, name);
  }
  CreateFSub(x: Value, y: Value, name = ''): Instruction {
    return this.#binary('fsub', x, y, name);
  }
  CreateFMul(x: Value, y: Value, name = ''): Instruction {
    return this.#binary('fmul', x, y, name);
  }
  CreateFDiv(x: Value, y: Value, name = ''): Instruction {
    return this.#binary('fdiv', x, y, name);
  }
  CreateFRem(x: Value, y: Value, name = ''): Instruction {
    return this.#binary('frem', x, y, name);
  }
  CreateFNeg(x: Value, name = ''): Instruction {
    return this.#emit(x.type, `fneg ${x.type.text} ${x.ref}`, name);
  }
  /** `0 - x` */
  CreateNeg(x: Value, name = ''): Instruction {
    return this.#emit(x.type, `sub ${x.type.text} 0, ${x.ref}`, name);
  }
  /** `x ^ -1` (true for i1) */
  CreateNot(x: Value, name = ''): Instruction {
    return this.#emit(x.type, `xor ${x.type.text} ${x.ref}, ${x.type === i1 ? 'true' : '-1'}`, name);
  }

  // ---- comparisons ---------------------------------------------------------------

  CreateICmp(predicate: ICmpPredicate, x: Value, y: Value, name = ''): Instruction {
    return this.#emit(i1, `icmp ${predicate} ${x.type.text} ${x.ref}, ${y.ref}`, name);
  }
  CreateFCmp(predicate: FCmpPredicate, x: Value, y: Value, name = ''): Instruction {
    return this.#emit(i1, `fcmp ${predicate} ${x.type.text} ${x.ref}, ${y.ref}`, name);
  }
  CreateICmpEQ(x: Value, y: Value, name = ''): Instruction {
    return this.CreateICmp('eq', x, y, name);
  }
  CreateICmpNE(x: Value, y: Value, name = ''): Instruction {
    return this.CreateICmp('ne', x, y, name);
  }
  CreateICmpSLT(x: Value, y: Value, name = ''): Instruction {
    return this.CreateICmp('slt', x, y, name);
  }
  CreateICmpSLE(x: Value, y: Value, name = ''): Instruction {
    return this.CreateICmp('sle', x, y, name);
  }
  CreateICmpSGT(x: Value, y: Value, name = ''): Instruction {
    return this.CreateICmp('sgt', x, y, name);
  }
  CreateICmpSGE(x: Value, y: Value, name = ''): Instruction {
    return this.CreateICmp('sge', x, y, name);
  }
  CreateICmpULT(x: Value, y: Value, name = ''): Instruction {
    return this.CreateICmp('ult', x, y, name);
  }
  CreateICmpULE(x: Value, y: Value, name = ''): Instruction {
    return this.CreateICmp('ule', x, y, name);
  }
  CreateICmpUGT(x: Value, y: Value, name = ''): Instruction {
    return this.CreateICmp('ugt', x, y, name);
  }
  CreateICmpUGE(x: Value, y: Value, name = ''): Instruction {
    return this.CreateICmp('uge', x, y, name);
  }
  CreateFCmpOEQ(x: Value, y: Value, name = ''): Instruction {
    return this.CreateFCmp('oeq', x, y, name);
  }
  CreateFCmpONE(x: Value, y: Value, name = ''): Instruction {
    return this.CreateFCmp('one', x, y, name);
  }
  CreateFCmpOLT(x: Value, y: Value, name = ''): Instruction {
    return this.CreateFCmp('olt', x, y, name);
  }
  CreateFCmpOLE(x: Value, y: Value, name = ''): Instruction {
    return this.CreateFCmp('ole', x, y, name);
  }
  CreateFCmpOGT(x: Value, y: Value, name = ''): Instruction {
    return this.CreateFCmp('ogt', x, y, name);
  }
  CreateFCmpOGE(x: Value, y: Value, name = ''): Instruction {
    return this.CreateFCmp('oge', x, y, name);
  }
  CreateFCmpORD(x: Value, y: Value, name = ''): Instruction {
    return this.CreateFCmp('ord', x, y, name);
  }
  CreateFCmpUNO(x: Value, y: Value, name = ''): Instruction {
    return this.CreateFCmp('uno', x, y, name);
  }
  CreateFCmpUEQ(x: Value, y: Value, name = ''): Instruction {
    return this.CreateFCmp('ueq', x, y, name);
  }
  CreateFCmpUNE(x: Value, y: Value, name = ''): Instruction {
    return this.CreateFCmp('une', x, y, name);
  }
  CreateFCmpULT(x: Value, y: Value, name = ''): Instruction {
    return this.CreateFCmp('ult', x, y, name);
  }
  CreateFCmpULE(x: Value, y: Value, name = ''): Instruction {
    return this.CreateFCmp('ule', x, y, name);
  }
  CreateFCmpUGT(x: Value, y: Value, name = ''): Instruction {
    return this.CreateFCmp('ugt', x, y, name);
  }
  CreateFCmpUGE(x: Value, y: Value, name = ''): Instruction {
    return this.CreateFCmp('uge', x, y, name);
  }
  /** `ptr == null` */
  CreateIsNull(x: Value, name = ''): Instruction {
    return this.#emit(i1, `icmp eq ${x.type.text} ${x.ref}, ${Constant.getNullValue(x.type).ref}`, name);
  }
  CreateIsNotNull(x: Value, name = ''): Instruction {
    return this.#emit(i1, `icmp ne ${x.type.text} ${x.ref}, ${Constant.getNullValue(x.type).ref}`, name);
  }

  // ---- conversions ---------------------------------------------------------------

  /** Like the C++ builder, a cast to the type `x` already has is `x` itself. */
  #cast(op: CastOp, x: Value, to: Type, name: string): Value {
    if (x.type === to || x.type.text === to.text) return x;
    return this.#emit(to, `${op} ${x.type.text} ${x.ref} to ${to.text}`, name);
  }

  CreateTrunc(x: Value, to: Type, name = ''): Value {
    return this.#cast('trunc', x, to, name);
  }
  CreateZExt(x: Value, to: Type, name = ''): Value {
    return this.#cast('zext', x, to, name);
  }
  CreateSExt(x: Value, to: Type, name = ''): Value {
    return this.#cast('sext', x, to, name);
  }
  CreateFPTrunc(x: Value, to: Type, name = ''): Value {
    return this.#cast('fptrunc', x, to, name);
  }
  CreateFPExt(x: Value, to: Type, name = ''): Value {
    return this.#cast('fpext', x, to, name);
  }
  CreateFPToSI(x: Value, to: Type, name = ''): Value {
    return this.#cast('fptosi', x, to, name);
  }
  CreateFPToUI(x: Value, to: Type, name = ''): Value {
    return this.#cast('fptoui', x, to, name);
  }
  CreateSIToFP(x: Value, to: Type, name = ''): Value {
    return this.#cast('sitofp', x, to, name);
  }
  CreateUIToFP(x: Value, to: Type, name = ''): Value {
    return this.#cast('uitofp', x, to, name);
  }
  CreatePtrToInt(x: Value, to: Type, name = ''): Value {
    return this.#cast('ptrtoint', x, to, name);
  }
  CreateIntToPtr(x: Value, to: Type, name = ''): Value {
    return this.#cast('inttoptr', x, to, name);
  }
  CreateBitCast(x: Value, to: Type, name = ''): Value {
    return this.#cast('bitcast', x, to, name);
  }
  CreatePointerCast(x: Value, to: Type, name = ''): Value {
    return this.CreateBitCast(x, to, name);
  }
  CreateZExtOrTrunc(x: Value, to: Type, name = ''): Value {
    const from = x.type.getPrimitiveSizeInBits();
    const bits = to.getPrimitiveSizeInBits();
    if (from === bits) return x;
    return from < bits ? this.CreateZExt(x, to, name) : this.CreateTrunc(x, to, name);
  }
  CreateSExtOrTrunc(x: Value, to: Type, name = ''): Value {
    const from = x.type.getPrimitiveSizeInBits();
    const bits = to.getPrimitiveSizeInBits();
    if (from === bits) return x;
    return from < bits ? this.CreateSExt(x, to, name) : this.CreateTrunc(x, to, name);
  }

  // ---- memory --------------------------------------------------------------------

  CreateAlloca(type: Type, arraySize?: Value | null, name = ''): AllocaInst {
    const block = this.#at();
    const ref = this.#local(name);
    block.append(`  ${ref} = alloca ${type.text}${arraySize ? `, ${arraySize.type.text} ${arraySize.ref}` : ''}`);
    return new AllocaInst(ref, type);
  }

  /**
   * An alloca at the start of `fn`'s entry block, wherever the builder is:
   * allocas there are static, so code in loops does not grow the stack.
   */
  CreateEntryAlloca(fn: Function, type: Type, name = ''): AllocaInst {
    const ref = `%${fn.uniqueLocal(name)}`;
    fn.getEntryBlock().prepend(`  ${ref} = alloca ${type.text}`);
    return new AllocaInst(ref, type);
  }

  CreateLoad(type: Type, pointer: Value, name = ''): Instruction {
    return this.#emit(type, `load ${type.text}, ${pointer.type.text} ${pointer.ref}`, name);
  }

  CreateStore(value: Value, pointer: Value): void {
    this.#at().append(`  store ${value.type.text} ${value.ref}, ${pointer.type.text} ${pointer.ref}`);
  }

  #gep(inbounds: string, type: Type, pointer: Value, indices: readonly Value[], name: string): Instruction {
    const list = indices.map((i) => `, ${i.type.text} ${i.ref}`).join('');
    const result = PointerType.getUnqual(indexedType(type, indices));
    return this.#emit(
      result,
      `getelementptr ${inbounds}${type.text}, ${pointer.type.text} ${pointer.ref}${list}`,
      name,
    );
  }

  CreateGEP(type: Type, pointer: Value, indices: readonly Value[], name = ''): Instruction {
    return this.#gep('', type, pointer, indices, name);
  }

  CreateInBoundsGEP(type: Type, pointer: Value, indices: readonly Value[], name = ''): Instruction {
    return this.#gep('inbounds ', type, pointer, indices, name);
  }

  /** A GEP to field `index` of struct `type` at `pointer`. */
  CreateStructGEP(type: Type, pointer: Value, index: number, name = ''): Instruction {
    return this.CreateInBoundsGEP(type, pointer, [ConstantInt.get(i32, 0), ConstantInt.get(i32, index)], name);
  }

  // ---- aggregates and select ---------------------------------------------------------

  CreateExtractValue(aggregate: Value, indices: readonly number[], name = ''): Instruction {
    const type = memberType(aggregate.type, indices);
    return this.#emit(type, `extractvalue ${aggregate.type.text} ${aggregate.ref}, ${indices.join(', ')}`, name);
  }

  CreateInsertValue(aggregate: Value, value: Value, indices: readonly number[], name = ''): Instruction {
    const text = `insertvalue ${aggregate.type.text} ${aggregate.ref}, ${value.type.text} ${value.ref}, ${indices.join(', ')}`;
    return this.#emit(aggregate.type, text, name);
  }

  CreateSelect(condition: Value, x: Value, y: Value, name = ''): Instruction {
    const text = `select ${condition.type.text} ${condition.ref}, ${x.type.text} ${x.ref}, ${y.type.text} ${y.ref}`;
    return this.#emit(x.type, text, name);
  }

  // ---- calls ---------------------------------------------------------------------

  #noTail = false;

  /**
   * Marks the next call `notail`: LLVM may neither make it a tail call nor
   * turn the recursion it belongs to into a loop.
   */
  NoTail(): this {
    this.#noTail = true;
    return this;
  }

  /**
   * `CreateCall(fn, args)` calls a function of the module;
   * `CreateCall(type, callee, args)` calls through a pointer of function
   * type `type`. A void call returns a value nothing may use.
   */
  CreateCall(callee: Function, args: readonly Value[], name?: string): Value;
  CreateCall(type: FunctionType, callee: Value, args: readonly Value[], name?: string): Value;
  CreateCall(
    first: Function | FunctionType,
    second: readonly Value[] | Value,
    third?: readonly Value[] | string,
    fourth?: string,
  ): Value {
    let type: FunctionType;
    let callee: Value;
    let args: readonly Value[];
    let name: string;
    if (first instanceof FunctionType) {
      type = first;
      callee = second as Value;
      args = third as readonly Value[];
      name = fourth ?? '';
    } else {
      type = first.functionType;
      callee = first;
      args = second as readonly Value[];
      name = (third as string | undefined) ?? '';
    }
    const list = args.map((a) => `${a.type.text} ${a.ref}`).join(', ');
    // A varargs callee is called with its full type; others with the return type only.
    const shown = type.varArgs ? type.text : type.returnType.text;
    const marker = this.#noTail ? 'notail ' : '';
    this.#noTail = false;
    const text = `${marker}call ${shown} ${callee.ref}(${list})`;
    if (type.returnType.isVoidTy()) {
      this.#at().append(`  ${text}`);
      return new Value(type.returnType, 'void');
    }
    return this.#emit(type.returnType, text, name);
  }

  // ---- control flow -------------------------------------------------------------------

  CreateBr(dest: BasicBlock): void {
    this.#terminate(`br label ${dest.ref}`);
  }

  CreateCondBr(condition: Value, ifTrue: BasicBlock, ifFalse: BasicBlock): void {
    this.#terminate(`br i1 ${condition.ref}, label ${ifTrue.ref}, label ${ifFalse.ref}`);
  }

  /** A switch on `value`; add its cases with `addCase` (the case count is a hint, as in the C++ API). */
  CreateSwitch(value: Value, defaultDest: BasicBlock, _numCases = 0): SwitchInst {
    const sw = new SwitchInst(value, defaultDest);
    this.#at().append(sw, true);
    return sw;
  }

  CreateRet(value: Value): void {
    this.#terminate(`ret ${value.type.text} ${value.ref}`);
  }

  CreateRetVoid(): void {
    this.#terminate('ret void');
  }

  CreateUnreachable(): void {
    this.#terminate('unreachable');
  }

  /** A phi of `type`; add the incoming values with `addIncoming` (also later, as for a loop's latch). */
  CreatePHI(type: Type, _numIncoming = 0, name = ''): PHINode {
    const phi = new PHINode(type, this.#local(name));
    this.#at().append(phi);
    return phi;
  }

  // ---- globals ----------------------------------------------------------------------

  /** A private constant holding `text` in UTF-8 and a NUL: the global (a pointer to the array). */
  CreateGlobalString(text: string, name = '', _addressSpace = 0, module?: Module): GlobalVariable {
    if (!module) throw new Error('CreateGlobalString needs the module the string goes into');
    const type = ArrayType.get(IntegerType.get(undefined, 8), utf8Length(text) + 1);
    const global = new GlobalVariable(
      module,
      type,
      true,
      'private',
      new Constant(type, `c"${escapeBytes(text, true)}"`),
      name,
    );
    global.setUnnamedAddr();
    global.setAlignment(1);
    return global;
  }

  /** The same string constant, as an `i8*` to its first byte (a constant expression). */
  CreateGlobalStringPtr(text: string, name = '', addressSpace = 0, module?: Module): Constant {
    const global = this.CreateGlobalString(text, name, addressSpace, module);
    const array = global.valueType.text;
    const ref = `getelementptr inbounds (${array}, ${global.type.text} ${global.ref}, i64 0, i64 0)`;
    return new Constant(Type.getInt8PtrTy(), ref);
  }

  /** A double or float constant (convenience: `ConstantFP.get`). */
  getDouble(value: number): ConstantFP {
    return ConstantFP.get(Type.getDoubleTy(), value);
  }
}
