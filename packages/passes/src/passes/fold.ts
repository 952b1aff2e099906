import {
  argOrigin,
  f64,
  isScalar,
  nextNodeId,
  outOrigin,
  sameOrigin,
  valueHasType,
  withRootRegion,
  type Node,
  type OpRegistry,
  type Origin,
  type Region,
  type SimpleNode,
  type Type,
  type IRValue,
} from '@rvsdg/ir';
import { lowerable } from '../conditions/lowerable.js';
import { noJsOps } from '../conditions/no-js-ops.js';
import { typed } from '../conditions/typed.js';
import { verified } from '../conditions/verified.js';
import type { PassContext } from '../manager/context.js';
import { definePass } from '../manager/pass.js';
import { makeConst, makeRegion, makeSimple, Substitution, withInputs, withRegions } from '../util/build.js';
import { IdAllocator, isPureSimple, useCounts } from '../util/ir.js';

interface Known {
  readonly value: IRValue;
  readonly type: Type;
}

type Rewrite =
  | { readonly kind: 'origin'; readonly origin: Origin }
  | { readonly kind: 'const'; readonly value: IRValue }
  | {
      readonly kind: 'node';
      readonly op: string;
      readonly operands: readonly (Origin | Known)[];
      readonly attrs: SimpleNode['attrs'];
    };

/** The range of an integer type of at most 32 bits: every value converts to f64 and back exactly. */
function exactRange(type: Type | undefined): readonly [number, number] | undefined {
  if (type === undefined || type.kind !== 'int' || type.bits > 32) return undefined;
  return type.signed ? [-(2 ** (type.bits - 1)), 2 ** (type.bits - 1) - 1] : [0, 2 ** type.bits - 1];
}
function intRange(type: Type): readonly [bigint, bigint] | undefined {
  if (type.kind !== 'int') return undefined;
  const bits = BigInt(type.bits);
  return type.signed ? [-(1n << (bits - 1n)), (1n << (bits - 1n)) - 1n] : [0n, (1n << bits) - 1n];
}
/** Every value of integer type `inner` is a value of integer type `outer`. */
function intContains(outer: Type, inner: Type): boolean {
  const o = intRange(outer);
  const i = intRange(inner);
  return o !== undefined && i !== undefined && o[0] <= i[0] && i[1] <= o[1];
}

const comparisons = new Set(['arith.eq', 'arith.ne', 'arith.lt', 'arith.le', 'arith.gt', 'arith.ge']);

/**
 * Round trips of exact integers through floats: an integer of at most 32
 * bits converts to a float exactly, so converting back (to a type holding
 * it), wrapping it (ToInt32 of an integer is its value modulo 2^32) or
 * comparing it gives what the integer operation gives.
 */
function intRoundTrip(
  node: SimpleNode,
  inputs: readonly Origin[],
  producerOf: (o: Origin) => Node | undefined,
  typeOf: (o: Origin) => Type | undefined,
  known: (o: Origin) => Known | undefined,
): Rewrite | undefined {
  const type = node.outputs[0] as Type;
  // x when `o` is convert(x) from an integer type to a float type, with x's type.
  const fromInt = (o: Origin | undefined): { x: Origin; type: Type } | undefined => {
    if (o === undefined) return undefined;
    const p = producerOf(o);
    // Only f64 holds every integer of at most 32 bits exactly.
    if (p?.kind !== 'simple' || p.op !== 'arith.convert' || typeOf(o) !== f64) return undefined;
    const x = p.inputs[0] as Origin;
    const t = typeOf(x);
    return t?.kind === 'int' ? { x, type: t } : undefined;
  };
  const convertTo = (x: Origin, from: Type, to: Type): Rewrite =>
    from === to
      ? { kind: 'origin', origin: x }
      : { kind: 'node', op: 'arith.convert', operands: [x], attrs: { type: to } };
  const [a, b] = inputs;
  const src = fromInt(a);
  if (node.op === 'arith.convert' && src) {
    // convert_T(convert_f64(x)) with T an integer type holding x's type.
    if (type.kind === 'int' && exactRange(src.type) && intContains(type, src.type))
      return convertTo(src.x, src.type, type);
  }
  if (node.op === 'arith.convert' && type.kind === 'float' && a !== undefined) {
    // convert_F(convert_T(y: S)) with T holding S: the middle step changes nothing.
    const p = producerOf(a);
    const mid = typeOf(a);
    if (p?.kind === 'simple' && p.op === 'arith.convert' && mid?.kind === 'int') {
      const y = p.inputs[0] as Origin;
      const yt = typeOf(y);
      if (yt?.kind === 'int' && intContains(mid, yt))
        return { kind: 'node', op: 'arith.convert', operands: [y], attrs: { type } };
    }
  }
  if (node.op === 'arith.wrap' && src && exactRange(src.type) && type.kind === 'int') {
    return convertTo(src.x, src.type, type);
  }
  if (comparisons.has(node.op) && src && exactRange(src.type)) {
    const other = fromInt(b);
    if (other && sameOrigin(other.x, src.x)) {
      return { kind: 'const', value: node.op === 'arith.eq' || node.op === 'arith.le' || node.op === 'arith.ge' };
    }
    if (other && other.type === src.type) {
      return { kind: 'node', op: node.op, operands: [src.x, other.x], attrs: node.attrs };
    }
    const kb = b === undefined ? undefined : known(b);
    const range = exactRange(src.type) as readonly [number, number];
    if (
      kb &&
      typeof kb.value === 'number' &&
      Number.isInteger(kb.value) &&
      kb.value >= range[0] &&
      kb.value <= range[1]
    ) {
      // `+ 0` turns -0 into 0: they compare equal as floats, and -0 is not an integer constant.
      return {
        kind: 'node',
        op: node.op,
        operands: [src.x, { value: kb.value + 0, type: src.type }],
        attrs: node.attrs,
      };
    }
  }
  return undefined;
}

const commutative = new Set(['arith.add', 'arith.mul', 'arith.and', 'arith.or', 'arith.xor']);

function isZero(k: Known | undefined): boolean {
  return k !== undefined && (k.value === 0 || k.value === 0n) && !Object.is(k.value, -0);
}
function isOne(k: Known | undefined): boolean {
  return k !== undefined && (k.value === 1 || k.value === 1n);
}
function isAllOnes(k: Known | undefined, type: Type): boolean {
  if (k === undefined || type.kind !== 'int') return false;
  if (type.signed) return k.value === -1 || k.value === -1n;
  return BigInt(k.value as number | bigint) === (1n << BigInt(type.bits)) - 1n;
}
function zeroOf(type: Type): IRValue {
  return type.kind === 'int' && type.bits === 64 ? 0n : 0;
}

/**
 * Value-preserving algebraic identities. Float rules are only those exact
 * for every input including NaN, infinities and -0 (x*1, x/1, x+(-0), x-0);
 * anything that needs `fastmath` is absent.
 */
function simplify(
  node: SimpleNode,
  inputs: readonly Origin[],
  known: (o: Origin) => Known | undefined,
  operandType: Type | undefined,
): Rewrite | undefined {
  const type = node.outputs[0];
  if (node.outputs.length !== 1 || type === undefined || !isScalar(type)) return undefined;
  const [x, y] = inputs;
  if (x === undefined) return undefined;
  const same = y !== undefined && sameOrigin(x, y);
  const origin = (o: Origin): Rewrite => ({ kind: 'origin', origin: o });
  const constant = (value: IRValue): Rewrite => ({ kind: 'const', value });

  if (node.op === 'arith.select') {
    const [c, a, b] = inputs;
    if (a === undefined || b === undefined || c === undefined) return undefined;
    const kc = known(c);
    if (kc !== undefined) return origin(kc.value ? a : b);
    return sameOrigin(a, b) ? origin(a) : undefined;
  }
  if (node.op === 'arith.convert') {
    return node.attrs['type'] === type && operandType === type ? origin(x) : undefined;
  }
  if (node.op === 'arith.neg' || node.op === 'arith.not') {
    return undefined;
  }
  if (y === undefined) return undefined;
  const check = (a: Origin, b: Origin): Rewrite | undefined => {
    const kb = known(b);
    if (type.kind === 'int') {
      switch (node.op) {
        case 'arith.add':
        case 'arith.or':
        case 'arith.xor':
          if (isZero(kb)) return origin(a);
          if (node.op === 'arith.or' && isAllOnes(kb, type)) return origin(b);
          break;
        case 'arith.sub':
          if (b === y && isZero(kb)) return origin(a);
          break;
        case 'arith.shl':
        case 'arith.shr':
          // Shift amounts are taken modulo the bit width, so a multiple of it shifts by nothing.
          if (b === y && kb !== undefined && BigInt(kb.value as number | bigint) % BigInt(type.bits) === 0n)
            return origin(a);
          break;
        case 'arith.mul':
          if (isOne(kb)) return origin(a);
          if (isZero(kb)) return constant(zeroOf(type));
          break;
        case 'arith.div':
          if (b === y && isOne(kb)) return origin(a);
          break;
        case 'arith.and':
          if (isAllOnes(kb, type)) return origin(a);
          if (isZero(kb)) return constant(zeroOf(type));
          break;
      }
    } else if (type.kind === 'float') {
      switch (node.op) {
        case 'arith.mul':
          if (isOne(kb)) return origin(a);
          break;
        case 'arith.div':
          if (b === y && isOne(kb)) return origin(a);
          break;
        case 'arith.add':
          if (kb !== undefined && Object.is(kb.value, -0)) return origin(a);
          break;
        case 'arith.sub':
          if (b === y && kb !== undefined && Object.is(kb.value, 0)) return origin(a);
          break;
      }
    } else if (type.kind === 'bool' && kb !== undefined) {
      switch (node.op) {
        case 'arith.and':
          return kb.value === true ? origin(a) : constant(false);
        case 'arith.or':
          return kb.value === false ? origin(a) : constant(true);
        case 'arith.xor':
          if (kb.value === false) return origin(a);
          break;
      }
    }
    return undefined;
  };
  const found = check(x, y) ?? (commutative.has(node.op) ? check(y, x) : undefined);
  if (found) return found;
  if (same && (type.kind === 'int' || type.kind === 'bool')) {
    switch (node.op) {
      case 'arith.and':
      case 'arith.or':
        return origin(x);
      case 'arith.xor':
        return constant(type.kind === 'bool' ? false : zeroOf(type));
      case 'arith.sub':
        return type.kind === 'int' ? constant(zeroOf(type)) : undefined;
    }
  }
  return undefined;
}

/** Comparison of a non-float value with itself. */
function selfComparison(
  node: SimpleNode,
  inputs: readonly Origin[],
  operandType: Type | undefined,
): boolean | undefined {
  const [x, y] = inputs;
  if (!x || !y || !sameOrigin(x, y) || operandType === undefined) return undefined;
  if (operandType.kind !== 'int' && operandType.kind !== 'bool') return undefined;
  switch (node.op) {
    case 'arith.eq':
    case 'arith.le':
    case 'arith.ge':
      return true;
    case 'arith.ne':
    case 'arith.lt':
    case 'arith.gt':
      return false;
  }
  return undefined;
}

class Folder {
  constructor(
    readonly registry: OpRegistry,
    readonly ids: IdAllocator,
    readonly context: PassContext<FoldOptions>,
    readonly sink: boolean,
  ) {}

  region(region: Region, knownArgs: readonly (Known | undefined)[]): Region {
    const subst = new Substitution();
    // Known values by node id (constants have one output); constant arguments were replaced by constants.
    const known = new Map<number, Known>();
    const producers = new Map<number, Node>();
    const nodes: Node[] = [];
    let changed = false;
    const typeOf = (o: Origin): Type | undefined =>
      o.kind === 'arg' ? region.arguments[o.index] : producers.get(o.node)?.outputs[o.index];
    const knownOf = (o: Origin): Known | undefined =>
      o.kind === 'out' && o.index === 0 ? known.get(o.node) : undefined;

    // Constants entering the region become constants inside it, so folding continues across the boundary.
    const uses = knownArgs.some((k) => k !== undefined) ? useCounts(region) : undefined;
    knownArgs.forEach((k, i) => {
      if (!k || !uses?.get(`a${i}`)) return;
      const node = makeConst(this.ids.next(), k.value, k.type);
      nodes.push(node);
      known.set(node.id, k);
      producers.set(node.id, node);
      subst.set(argOrigin(i), outOrigin(node.id, 0));
      changed = true;
      this.context.count('constants-sunk');
    });

    const emitConst = (value: IRValue, type: Type): Origin => {
      const node = makeConst(this.ids.next(), value, type);
      nodes.push(node);
      known.set(node.id, { value, type });
      producers.set(node.id, node);
      return outOrigin(node.id, 0);
    };

    const producerOf = (o: Origin): Node | undefined => (o.kind === 'out' ? producers.get(o.node) : undefined);
    const emitNode = (
      op: string,
      inputs: Origin[],
      type: Type,
      attrs: SimpleNode['attrs'],
      loc: SimpleNode['loc'],
    ): Origin => {
      const made = makeSimple(this.ids.next(), op, inputs, [type], attrs);
      const node = loc ? { ...made, loc } : made;
      nodes.push(node);
      producers.set(node.id, node);
      return outOrigin(node.id, 0);
    };

    for (const node of region.nodes) {
      const inputs = subst.applyAll(node.inputs);
      let next: Node = withInputs(node, inputs);
      if (node.kind === 'simple') {
        const replaced = this.simple(node, inputs, typeOf, knownOf, emitConst, producerOf, emitNode);
        if (replaced) {
          replaced.forEach((o, i) => subst.set(outOrigin(node.id, i), o));
          changed = true;
          continue;
        }
        if (node.op === 'const' && isScalar(node.outputs[0] as Type)) {
          known.set(node.id, { value: node.attrs['value'] as IRValue, type: node.outputs[0] as Type });
        }
      } else {
        next = withRegions(next, this.regions(next, knownOf));
      }
      producers.set(node.id, next);
      if (next !== node) changed = true;
      nodes.push(next);
    }
    if (!changed) return region;
    return makeRegion(region.arguments, nodes, subst.applyAll(region.results));
  }

  /** The known values entering each region of a structural node. */
  regions(node: Node, knownOf: (o: Origin) => Known | undefined): Region[] {
    if (!this.sink) return node.regions.map((r) => this.region(r, []));
    const inputsKnown = node.inputs.map(knownOf);
    switch (node.kind) {
      case 'gamma':
        return node.regions.map((r) => this.region(r, inputsKnown.slice(1)));
      case 'theta': {
        const body = node.regions[0];
        const invariant = inputsKnown.map((k, i) => {
          const result = body.results[i + 1];
          return result?.kind === 'arg' && result.index === i ? k : undefined;
        });
        return [this.region(body, invariant)];
      }
      case 'lambda':
        return [this.region(node.regions[0], [...node.type.params.map(() => undefined), ...inputsKnown])];
      case 'delta':
        return [this.region(node.regions[0], inputsKnown)];
      case 'phi':
        return [this.region(node.regions[0], [...node.outputs.map(() => undefined), ...inputsKnown])];
      case 'simple':
        return [];
    }
  }

  /** Replacement origins for the node's outputs, or undefined to keep it. */
  simple(
    node: SimpleNode,
    inputs: readonly Origin[],
    typeOf: (o: Origin) => Type | undefined,
    knownOf: (o: Origin) => Known | undefined,
    emitConst: (value: IRValue, type: Type) => Origin,
    producerOf: (o: Origin) => Node | undefined,
    emitNode: (op: string, inputs: Origin[], type: Type, attrs: SimpleNode['attrs'], loc: SimpleNode['loc']) => Origin,
  ): Origin[] | undefined {
    if (inputs.length === 0 || !isPureSimple(node, this.registry)) return undefined;
    const operandTypes = inputs.map(typeOf);
    if (operandTypes.some((t) => t === undefined || !isScalar(t))) return undefined;
    if (!node.outputs.every(isScalar)) return undefined;
    const def = this.registry.get(node.op);
    const values = inputs.map(knownOf);
    if (def?.fold && values.every((v) => v !== undefined)) {
      const folded = def.fold(
        values.map((v) => v?.value),
        { attrs: node.attrs, operandTypes: operandTypes as Type[], resultTypes: node.outputs },
      );
      if (
        folded &&
        folded.length === node.outputs.length &&
        folded.every((v, i) => valueHasType(v, node.outputs[i] as Type))
      ) {
        this.context.count('folded');
        return folded.map((v, i) => emitConst(v, node.outputs[i] as Type));
      }
    }
    const self = selfComparison(node, inputs, operandTypes[0]);
    if (self !== undefined && node.outputs.length === 1) {
      this.context.count('simplified');
      return [emitConst(self, node.outputs[0] as Type)];
    }
    const rewrite =
      simplify(node, inputs, knownOf, operandTypes[0]) ??
      intRoundTrip(node, inputs, producerOf, typeOf as (o: Origin) => Type | undefined, knownOf);
    if (!rewrite) return undefined;
    this.context.count('simplified');
    if (rewrite.kind === 'origin') return [rewrite.origin];
    if (rewrite.kind === 'const') return [emitConst(rewrite.value, node.outputs[0] as Type)];
    const operands = rewrite.operands.map((o) => ('kind' in o ? o : emitConst(o.value, o.type)));
    return [emitNode(rewrite.op, operands, node.outputs[0] as Type, rewrite.attrs, node.loc)];
  }
}

export interface FoldOptions extends Record<string, number | boolean | string> {
  readonly sinkConstants: boolean;
}

/**
 * Constant folding and algebraic simplification.
 *
 * Pure ops whose operands are all constants are replaced by constants (via
 * the op's `fold`); identities that hold for every value are applied
 * (`x+0`, `x*1`, `x-x` on integers, `x*1` and `x+(-0)` on floats,
 * `select` with a known or repeated choice, ...). Effectful ops are never
 * touched. Constants flowing into gamma, theta (invariant loop variables),
 * lambda, delta and phi regions are recreated inside them, so folding
 * continues across region boundaries.
 *
 * Requires: verified. Ensures: verified. Preserves: typed, no-js-ops,
 * lowerable. Leaves the replaced nodes dead (run `dne` after it).
 */
export const fold = definePass<FoldOptions>({
  name: 'fold',
  description: 'constant folding and value-preserving algebraic simplification',
  requires: [verified],
  ensures: [verified],
  preserves: [typed, noJsOps, lowerable],
  introduces: ['builtin', 'arith'],
  options: { sinkConstants: true },
  optionDocs: { sinkConstants: 'recreate constants inside the regions they flow into' },
  run(module, context) {
    const folder = new Folder(
      context.registry,
      new IdAllocator(nextNodeId(module)),
      context,
      context.options.sinkConstants,
    );
    return withRootRegion(module, folder.region(module.region, []));
  },
});
