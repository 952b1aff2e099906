import { Function } from './function.js';
import type { Module } from './module.js';
import { FunctionType, IntegerType, PointerType, StructType, Type } from './types.js';

/**
 * LLVM intrinsics by name. `Intrinsic.getDeclaration(module, id, types)`
 * declares (once) the variant for the overload `types`, e.g.
 * `getDeclaration(m, Intrinsic.fabs, [double])` is
 * `declare double @llvm.fabs.f64(double)`. LLVM adds each intrinsic's
 * attributes itself when it parses the declaration.
 */
interface Signature {
  /** How many overload types the name carries (the `types` argument). */
  readonly overloads: number;
  readonly type: (types: readonly Type[]) => FunctionType;
}

const i1 = (): Type => IntegerType.get(undefined, 1);
const i32 = (): Type => IntegerType.get(undefined, 32);
const ptr = (): Type => Type.getInt8PtrTy();
const voidTy = (): Type => Type.getVoidTy();
const at = (types: readonly Type[], i: number): Type => types[i] as Type;

const unary: Signature = { overloads: 1, type: (t) => FunctionType.get(at(t, 0), [at(t, 0)]) };
const binary: Signature = { overloads: 1, type: (t) => FunctionType.get(at(t, 0), [at(t, 0), at(t, 0)]) };
const ternary: Signature = { overloads: 1, type: (t) => FunctionType.get(at(t, 0), [at(t, 0), at(t, 0), at(t, 0)]) };
const withOverflow: Signature = {
  overloads: 1,
  type: (t) => FunctionType.get(StructType.get(undefined, [at(t, 0), i1()]), [at(t, 0), at(t, 0)]),
};
/** fptosi.sat and fptoui.sat: overloads [result, operand]. */
const saturating: Signature = { overloads: 2, type: (t) => FunctionType.get(at(t, 0), [at(t, 1)]) };
const unaryWithFlag: Signature = { overloads: 1, type: (t) => FunctionType.get(at(t, 0), [at(t, 0), i1()]) };
const fixed = (type: () => FunctionType): Signature => ({ overloads: 0, type });

const signatures: Record<string, Signature> = {
  'llvm.fabs': unary,
  'llvm.sqrt': unary,
  'llvm.floor': unary,
  'llvm.ceil': unary,
  'llvm.trunc': unary,
  'llvm.round': unary,
  'llvm.roundeven': unary,
  'llvm.rint': unary,
  'llvm.nearbyint': unary,
  'llvm.canonicalize': unary,
  'llvm.ctpop': unary,
  'llvm.bswap': unary,
  'llvm.bitreverse': unary,
  'llvm.copysign': binary,
  'llvm.minnum': binary,
  'llvm.maxnum': binary,
  'llvm.minimum': binary,
  'llvm.maximum': binary,
  'llvm.pow': binary,
  'llvm.smax': binary,
  'llvm.smin': binary,
  'llvm.umax': binary,
  'llvm.umin': binary,
  'llvm.expect': binary,
  'llvm.fma': ternary,
  'llvm.fmuladd': ternary,
  'llvm.fshl': ternary,
  'llvm.fshr': ternary,
  'llvm.abs': unaryWithFlag,
  'llvm.ctlz': unaryWithFlag,
  'llvm.cttz': unaryWithFlag,
  'llvm.sadd.with.overflow': withOverflow,
  'llvm.uadd.with.overflow': withOverflow,
  'llvm.ssub.with.overflow': withOverflow,
  'llvm.usub.with.overflow': withOverflow,
  'llvm.smul.with.overflow': withOverflow,
  'llvm.umul.with.overflow': withOverflow,
  'llvm.fptosi.sat': saturating,
  'llvm.fptoui.sat': saturating,
  'llvm.frameaddress': { overloads: 1, type: (t) => FunctionType.get(at(t, 0), [i32()]) },
  'llvm.stacksave': fixed(() => FunctionType.get(ptr(), [])),
  'llvm.stackrestore': fixed(() => FunctionType.get(voidTy(), [ptr()])),
  'llvm.assume': fixed(() => FunctionType.get(voidTy(), [i1()])),
  'llvm.trap': fixed(() => FunctionType.get(voidTy(), [])),
  'llvm.debugtrap': fixed(() => FunctionType.get(voidTy(), [])),
  'llvm.memcpy': { overloads: 3, type: (t) => FunctionType.get(voidTy(), [at(t, 0), at(t, 1), at(t, 2), i1()]) },
  'llvm.memmove': { overloads: 3, type: (t) => FunctionType.get(voidTy(), [at(t, 0), at(t, 1), at(t, 2), i1()]) },
  'llvm.memset': {
    overloads: 2,
    type: (t) => FunctionType.get(voidTy(), [at(t, 0), IntegerType.get(undefined, 8), at(t, 1), i1()]),
  },
};

/** The name of an intrinsic (`llvm.fabs`), as the C++ API's `Intrinsic::ID`. */
export type IntrinsicID = string;

/** The suffix LLVM mangles an overload type into: `i32`, `f64`, `p0i8`. */
function mangle(type: Type): string {
  switch (type.kind) {
    case 'integer':
      return type.text;
    case 'float':
      return 'f32';
    case 'double':
      return 'f64';
    case 'pointer':
      return `p0${mangle((type as PointerType).elementType)}`;
    default:
      throw new TypeError(`intrinsics are not overloaded on ${type.text} here`);
  }
}

export const Intrinsic = {
  fabs: 'llvm.fabs',
  sqrt: 'llvm.sqrt',
  floor: 'llvm.floor',
  ceil: 'llvm.ceil',
  trunc: 'llvm.trunc',
  round: 'llvm.round',
  roundeven: 'llvm.roundeven',
  rint: 'llvm.rint',
  nearbyint: 'llvm.nearbyint',
  canonicalize: 'llvm.canonicalize',
  ctpop: 'llvm.ctpop',
  ctlz: 'llvm.ctlz',
  cttz: 'llvm.cttz',
  bswap: 'llvm.bswap',
  bitreverse: 'llvm.bitreverse',
  copysign: 'llvm.copysign',
  minnum: 'llvm.minnum',
  maxnum: 'llvm.maxnum',
  minimum: 'llvm.minimum',
  maximum: 'llvm.maximum',
  pow: 'llvm.pow',
  smax: 'llvm.smax',
  smin: 'llvm.smin',
  umax: 'llvm.umax',
  umin: 'llvm.umin',
  abs: 'llvm.abs',
  expect: 'llvm.expect',
  fma: 'llvm.fma',
  fmuladd: 'llvm.fmuladd',
  fshl: 'llvm.fshl',
  fshr: 'llvm.fshr',
  sadd_with_overflow: 'llvm.sadd.with.overflow',
  uadd_with_overflow: 'llvm.uadd.with.overflow',
  ssub_with_overflow: 'llvm.ssub.with.overflow',
  usub_with_overflow: 'llvm.usub.with.overflow',
  smul_with_overflow: 'llvm.smul.with.overflow',
  umul_with_overflow: 'llvm.umul.with.overflow',
  fptosi_sat: 'llvm.fptosi.sat',
  fptoui_sat: 'llvm.fptoui.sat',
  frameaddress: 'llvm.frameaddress',
  stacksave: 'llvm.stacksave',
  stackrestore: 'llvm.stackrestore',
  assume: 'llvm.assume',
  trap: 'llvm.trap',
  debugtrap: 'llvm.debugtrap',
  memcpy: 'llvm.memcpy',
  memmove: 'llvm.memmove',
  memset: 'llvm.memset',

  /** Declares (once per module) the intrinsic `id` overloaded on `types` and returns it. */
  getDeclaration(module: Module, id: IntrinsicID, types: readonly Type[] = []): Function {
    const signature = signatures[id];
    if (!signature) throw new Error(`unknown intrinsic '${id}' (add its signature to llvm-ir/intrinsics.ts)`);
    if (types.length !== signature.overloads) {
      throw new Error(`intrinsic '${id}' takes ${signature.overloads} overload type(s), got ${types.length}`);
    }
    const name = [id, ...types.map(mangle)].join('.');
    return module.getFunction(name) ?? Function.Create(signature.type(types), 'external', name, module);
  },
} as const;
