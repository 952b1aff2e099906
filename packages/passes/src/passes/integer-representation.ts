import {
  argOrigin,
  bool,
  f64,
  i32,
  i64,
  isInteger,
  nextNodeId,
  outOrigin,
  type GammaNode,
  type LambdaNode,
  type Node,
  type Origin,
  type Region,
  type SimpleNode,
  type ThetaNode,
  type Type,
  printModule,
} from '@rvsdg/ir';
import { exactLimit, mayBeZero, ofType, type Interval } from '../analysis/interval.js';
import { analyzeRanges, ranges, type RangeFacts } from '../analysis/ranges.js';
import { lowerable } from '../conditions/lowerable.js';
import { noJsOps } from '../conditions/no-js-ops.js';
import { typed } from '../conditions/typed.js';
import { verified } from '../conditions/verified.js';
import { definePass } from '../manager/pass.js';
import {
  freeze,
  makeConst,
  makeRegion,
  makeSimple,
  Substitution,
  versionedLambda,
  withLambdas,
} from '../util/build.js';
import { containsTheta, IdAllocator, originKey } from '../util/ir.js';

/**
 * Bound on the f64 parameters the integer version of a function assumes:
 * products of two such values and a counter stay below 2^53.
 */
export const paramBound = 2 ** 26;

/**
 * The bounds a version may assume, tried in order: ±2^26 keeps products of
 * two parameters exact, ±2^17 products of three (`z * n * n + y * n + x`
 * in a 3-D grid). A function gets the version with the most integer values.
 */
const paramBounds = [paramBound, 2 ** 17];

/**
 * Holds only integers strictly inside ±2^53, never NaN or -0: an i64 holds
 * it, and f64 arithmetic whose result is such a value was exact (a rounded
 * result below 2^53 in magnitude comes from an exact one below it too).
 */
export function representable(r: Interval | undefined): boolean {
  return !!r && r.int && !r.nan && !r.negZero && r.lo > -exactLimit && r.hi < exactLimit;
}

const comparisons = new Set(['arith.eq', 'arith.ne', 'arith.lt', 'arith.le', 'arith.gt', 'arith.ge']);
const sameOperandTruth: Record<string, boolean> = {
  'arith.eq': true,
  'arith.le': true,
  'arith.ge': true,
  'arith.ne': false,
  'arith.lt': false,
  'arith.gt': false,
};

/**
 * For an integer x and a double y: x < y is x < ceil(y), x <= y is
 * x <= floor(y), and so on; by comparison, for x on the left and on the right.
 */
const integerBounds: Record<string, readonly [string, string] | undefined> = {
  'arith.lt': ['math.ceil', 'math.floor'],
  'arith.le': ['math.floor', 'math.ceil'],
  'arith.gt': ['math.floor', 'math.ceil'],
  'arith.ge': ['math.ceil', 'math.floor'],
};

class Writer {
  readonly nodes: Node[] = [];
  constructor(readonly ids: IdAllocator) {}
  push(node: Node): void {
    this.nodes.push(node);
  }
  op(op: string, inputs: readonly Origin[], type: Type, attrs: SimpleNode['attrs'] = {}): Origin {
    const node = makeSimple(this.ids.next(), op, inputs, [type], attrs);
    this.nodes.push(node);
    return outOrigin(node.id, 0);
  }
  constant(value: number | bigint | boolean, type: Type): Origin {
    const node = makeConst(this.ids.next(), value, type);
    this.nodes.push(node);
    return outOrigin(node.id, 0);
  }
  convert(x: Origin, type: Type): Origin {
    return this.op('arith.convert', [x], type, { type });
  }
}

interface Rewritten {
  readonly results: Origin[];
  /** The i64 form of each result, when it has one. */
  readonly ints: (Origin | undefined)[];
}

/**
 * Rewrites one region: every f64 value the analysis proves representable
 * and that is computed from integers (constants, conversions of integers,
 * sums, differences, products, remainders, min/max/abs, integral
 * roundings, loop and branch variables) gets an i64 twin; conversions to
 * integers, wraps and comparisons of values with twins use the twins.
 * The f64 nodes stay for their other uses (dead ones go with DNE).
 */
class Rewriter {
  intValues = 0;
  constructor(
    readonly facts: RangeFacts,
    readonly ids: IdAllocator,
  ) {}

  region(region: Region, w: Writer, args: readonly Origin[], argInts: ReadonlyMap<number, Origin>): Rewritten {
    const subst = new Substitution();
    args.forEach((o, i) => subst.set(argOrigin(i), o));
    const ints = new Map<string, Origin>();
    argInts.forEach((o, i) => ints.set(`a${i}`, o));
    const producers = new Map<number, Node>();
    const typeOf = (o: Origin): Type | undefined =>
      o.kind === 'arg' ? region.arguments[o.index] : producers.get(o.node)?.outputs[o.index];
    const factOf = (o: Origin): Interval | undefined => this.facts.of(region, o);
    const intOf = (o: Origin): Origin | undefined => ints.get(originKey(o));

    for (const original of region.nodes) {
      producers.set(original.id, original);
      const inputs = subst.applyAll(original.inputs);
      if (original.kind === 'simple') {
        const out = outOrigin(original.id, 0);
        const replaced = this.simple(original, inputs, w, typeOf, factOf, intOf);
        if (replaced) {
          subst.set(out, replaced);
          continue;
        }
        if (original.outputs.length === 1 && original.outputs[0] === f64 && representable(factOf(out))) {
          const int = this.intForm(original, inputs, w, typeOf, factOf, intOf);
          if (int) {
            ints.set(originKey(out), int);
            // Constants and conversions come for free: arithmetic in integers is what pays for a version.
            if (original.op !== 'const' && original.op !== 'arith.convert') {
              this.intValues++;
              // Where a double is needed, it is the conversion of the twin: the f64 arithmetic goes. A twin
              // within i32 converts through i32, so LLVM can narrow the integer arithmetic feeding it (twice
              // the vector lanes: blur's sums of bytes).
              const r = factOf(out) as Interval;
              const narrow = r.lo >= -(2 ** 31) && r.hi < 2 ** 31 ? w.convert(int, i32) : int;
              subst.set(out, w.convert(narrow, f64));
              continue;
            }
          }
        }
        w.push(inputs.every((o, i) => o === original.inputs[i]) ? original : freeze({ ...original, inputs }));
        continue;
      }
      if (original.kind === 'theta') {
        this.theta(original, inputs, w, intOf, subst, ints);
        continue;
      }
      if (original.kind === 'gamma') {
        this.gamma(original, inputs, w, intOf, subst, ints);
        continue;
      }
      // Functions and globals: their own regions, from unknown parameters.
      const regions = original.regions.map((r) => this.whole(r));
      w.push(freeze({ ...original, inputs, regions: freeze(regions) }) as unknown as Node);
    }
    return {
      results: subst.applyAll(region.results),
      ints: region.results.map((o) => intOf(o)),
    };
  }

  /** A region rewritten on its own arguments. */
  whole(region: Region): Region {
    const w = new Writer(this.ids);
    const { results } = this.region(
      region,
      w,
      region.arguments.map((_, i) => argOrigin(i)),
      new Map(),
    );
    return makeRegion(region.arguments, w.nodes, results);
  }

  /** A use that reads the i64 twins instead (the replacement), or undefined. */
  private simple(
    node: SimpleNode,
    inputs: readonly Origin[],
    w: Writer,
    typeOf: (o: Origin) => Type | undefined,
    factOf: (o: Origin) => Interval | undefined,
    intOf: (o: Origin) => Origin | undefined,
  ): Origin | undefined {
    const [a, b] = node.inputs.map(intOf);
    const type = node.outputs[0];
    if (!type || node.outputs.length !== 1) return undefined;
    if ((node.op === 'arith.convert' || node.op === 'arith.wrap') && a && isInteger(type)) {
      // Truncation of an integer is itself; in the type's range (proved here or by the producer, `inrange`), saturation and wrapping change nothing.
      const r = factOf(node.inputs[0] as Origin);
      const full = ofType(type) as Interval;
      const inRange = node.attrs['inrange'] === true || (r !== undefined && r.lo >= full.lo && r.hi <= full.hi);
      if (node.op === 'arith.convert' && !inRange) return undefined;
      return type === i64 ? a : w.convert(a, type);
    }
    if (comparisons.has(node.op) && a && b && typeOf(node.inputs[0] as Origin) === f64) {
      if (a === b) return w.constant(sameOperandTruth[node.op] as boolean, bool);
      return w.op(node.op, [a, b], bool);
    }
    // An integer against a double that is never NaN and comes from outside the region (a loop bound such as
    // `length / 7`): against its integer ceiling or floor, so the loop guard, and with it the nest's entry
    // test, is in integers. A double computed here, against a constant, stays one comparison of doubles.
    const integerSide = a && !b ? 0 : b && !a ? 1 : undefined;
    const rounded = integerSide === undefined ? undefined : integerBounds[node.op]?.[integerSide];
    const other = node.inputs[1 - (integerSide ?? 0)] as Origin;
    const otherFact = rounded ? factOf(other) : undefined;
    if (
      integerSide !== undefined &&
      rounded &&
      other.kind === 'arg' &&
      typeOf(other) === f64 &&
      otherFact &&
      !otherFact.nan
    ) {
      const bound = w.convert(w.op(rounded, [inputs[1 - integerSide] as Origin], f64), i64);
      const operands = integerSide === 0 ? [a as Origin, bound] : [bound, b as Origin];
      return w.op(node.op, operands, bool);
    }
    return undefined;
  }

  /** The i64 twin of a representable f64 result, when its operands have twins. */
  private intForm(
    node: SimpleNode,
    inputs: readonly Origin[],
    w: Writer,
    typeOf: (o: Origin) => Type | undefined,
    factOf: (o: Origin) => Interval | undefined,
    intOf: (o: Origin) => Origin | undefined,
  ): Origin | undefined {
    const [a, b, c] = node.inputs.map(intOf);
    switch (node.op) {
      case 'const': {
        const v = node.attrs['value'];
        return typeof v === 'number' ? w.constant(BigInt(v), i64) : undefined;
      }
      case 'arith.convert': {
        const from = typeOf(node.inputs[0] as Origin);
        if (!from || !isInteger(from)) return undefined;
        return from === i64 ? inputs[0] : w.convert(inputs[0] as Origin, i64);
      }
      case 'arith.add':
      case 'arith.sub':
      case 'arith.mul':
      case 'math.min':
      case 'math.max':
        return a && b ? w.op(node.op, [a, b], i64) : undefined;
      case 'arith.rem': {
        const d = factOf(node.inputs[1] as Origin);
        return a && b && d && !mayBeZero(d) ? w.op('arith.rem', [a, b], i64) : undefined;
      }
      case 'arith.neg':
      case 'math.abs':
        return a ? w.op(node.op, [a], i64) : undefined;
      case 'math.floor':
      case 'math.ceil':
      case 'math.trunc':
      case 'math.round':
      case 'math.roundeven': {
        if (a) return a;
        // Truncation of any double in range, and floor of a non-negative one, is the saturating conversion.
        const x = factOf(node.inputs[0] as Origin);
        const truncates = node.op === 'math.trunc' || (node.op === 'math.floor' && x !== undefined && x.lo >= 0);
        return truncates && x && !x.nan ? w.convert(inputs[0] as Origin, i64) : undefined;
      }
      case 'arith.select':
        return b && c ? w.op('arith.select', [inputs[0] as Origin, b, c], i64) : undefined;
      default:
        return undefined;
    }
  }

  private theta(
    node: ThetaNode,
    inputs: readonly Origin[],
    w: Writer,
    intOf: (o: Origin) => Origin | undefined,
    subst: Substitution,
    ints: Map<string, Origin>,
  ): void {
    const body = node.regions[0];
    const at = (o: Origin): Interval | undefined => this.facts.of(body, o);
    let set = body.arguments
      .map((_, k) => k)
      .filter(
        (k) =>
          body.arguments[k] === f64 &&
          intOf(node.inputs[k] as Origin) !== undefined &&
          representable(at(argOrigin(k))) &&
          representable(at(body.results[k + 1] as Origin)),
      );
    for (;;) {
      const types = body.arguments.map((t, k) => (set.includes(k) ? i64 : t));
      const bw = new Writer(this.ids);
      const views = types.map((_, k) => (set.includes(k) ? bw.convert(argOrigin(k), f64) : argOrigin(k)));
      const argInts = new Map(set.map((k) => [k, argOrigin(k)] as const));
      const before = this.intValues;
      const { results, ints: resultInts } = this.region(body, bw, views, argInts);
      const kept = set.filter((k) => resultInts[k + 1] !== undefined);
      if (kept.length !== set.length) {
        this.intValues = before;
        set = kept;
        continue;
      }
      const region = makeRegion(types, bw.nodes, [
        results[0] as Origin,
        ...results.slice(1).map((r, k) => (set.includes(k) ? (resultInts[k + 1] as Origin) : r)),
      ]);
      const copy: ThetaNode = freeze({
        ...node,
        inputs: freeze(inputs.map((o, k) => (set.includes(k) ? (intOf(node.inputs[k] as Origin) as Origin) : o))),
        regions: freeze([region]) as ThetaNode['regions'],
        outputs: freeze(types),
      });
      w.push(copy);
      for (const k of set) {
        const out = outOrigin(node.id, k);
        ints.set(originKey(out), out);
        subst.set(out, w.convert(out, f64));
      }
      // Invariant variables (a parameter carried through) cost nothing either way.
      this.intValues += set.filter((k) => {
        const r = body.results[k + 1];
        return !(r?.kind === 'arg' && r.index === k);
      }).length;
      return;
    }
  }

  private gamma(
    node: GammaNode,
    inputs: readonly Origin[],
    w: Writer,
    intOf: (o: Origin) => Origin | undefined,
    subst: Substitution,
    ints: Map<string, Origin>,
  ): void {
    const entries = node.inputs.slice(1);
    const intEntries = entries.map((o, k) => ((node.regions[0] as Region).arguments[k] === f64 ? intOf(o) : undefined));
    const branches = node.regions.map((r) => {
      const types = r.arguments.map((t, k) => (intEntries[k] ? i64 : t));
      const bw = new Writer(this.ids);
      const views = types.map((_, k) => (intEntries[k] ? bw.convert(argOrigin(k), f64) : argOrigin(k)));
      const argInts = new Map<number, Origin>();
      intEntries.forEach((e, k) => {
        if (e) argInts.set(k, argOrigin(k));
      });
      return { types, bw, ...this.region(r, bw, views, argInts) };
    });
    const exits = node.outputs.map((t, j) => t === f64 && branches.every((b) => b.ints[j] !== undefined));
    const regions = branches.map((b) =>
      makeRegion(
        b.types,
        b.bw.nodes,
        b.results.map((r, j) => (exits[j] ? (b.ints[j] as Origin) : r)),
      ),
    );
    const copy: GammaNode = freeze({
      ...node,
      inputs: freeze([inputs[0] as Origin, ...entries.map((o, k) => intEntries[k] ?? (inputs[k + 1] as Origin))]),
      regions: freeze(regions),
      outputs: freeze(node.outputs.map((t, j) => (exits[j] ? i64 : t))),
    });
    w.push(copy);
    exits.forEach((e, j) => {
      if (!e) return;
      const out = outOrigin(node.id, j);
      ints.set(originKey(out), out);
      subst.set(out, w.convert(out, f64));
    });
  }
}

/**
 * The body of a function with loops, versioned on its f64 parameters:
 * when each is an integer within ±bound and not -0, a copy of the body
 * reads it as the conversion of an i64 (so the analysis knows its range);
 * otherwise the original body runs.
 */
function versioned(lambda: LambdaNode, ids: IdAllocator, bound: number): LambdaNode | undefined {
  const body = lambda.regions[0];
  const params = lambda.type.params.map((t, k) => k).filter((k) => body.arguments[k] === f64);
  if (params.length === 0 || !containsTheta(body)) return undefined;
  const w = new Writer(ids);
  let ok: Origin | undefined;
  const ints: Origin[] = [];
  for (const k of params) {
    const x = argOrigin(k);
    const xi = w.convert(x, i64);
    ints.push(xi);
    const integral = w.op('arith.eq', [w.convert(xi, f64), x], bool);
    const notMinusZero = w.op(
      'arith.or',
      [
        w.op('arith.ne', [xi, w.constant(0n, i64)], bool),
        w.op('arith.gt', [w.op('arith.div', [w.constant(1, f64), x], f64), w.constant(0, f64)], bool),
      ],
      bool,
    );
    const small = w.op(
      'arith.and',
      [
        w.op('arith.ge', [xi, w.constant(BigInt(-bound), i64)], bool),
        w.op('arith.le', [xi, w.constant(BigInt(bound), i64)], bool),
      ],
      bool,
    );
    const here = w.op('arith.and', [w.op('arith.and', [integral, notMinusZero], bool), small], bool);
    ok = ok ? w.op('arith.and', [ok, here], bool) : here;
  }
  return versionedLambda(
    lambda,
    ids,
    w.nodes,
    ok as Origin,
    ints.map((origin) => ({ origin, type: i64 })),
    (intArgs) => {
      // The copy reads each parameter as the conversion of its i64, so the analysis knows its range.
      const fw = new Writer(ids);
      const args = body.arguments.map((_, k) => {
        const j = params.indexOf(k);
        return j < 0 ? argOrigin(k) : fw.convert(intArgs[j] as Origin, f64);
      });
      return { nodes: fw.nodes, args };
    },
  );
}

/**
 * Representation selection: every f64 value the range analysis proves to
 * be an integer below 2^53 (never NaN or -0) and that is computed from
 * integers gets an i64 twin, loop and branch variables included; integer
 * conversions, wraps and comparisons read the twins, so index checks
 * collapse and index arithmetic runs in integer registers. f64 values stay
 * where a double is needed (conversions of the twins, or the original f64
 * nodes; DNE removes the unused ones). Functions with loops and f64
 * parameters are versioned: one test before the body that every f64
 * parameter is an integer within ±2^26 (or ±2^17, where products of three
 * parameters need it) and not -0, a copy of the body
 * where that is known, and the original body otherwise; the copy is kept
 * only when it has more integer values than the rewrite of the original.
 *
 * Requires: verified, typed. Ensures: verified. Preserves: typed,
 * no-js-ops, lowerable.
 */
export const integerRepresentation = definePass({
  name: 'integer-representation',
  description: 'hold exact integer f64 values in i64 where the range analysis proves it exact',
  requires: [verified, typed],
  ensures: [verified],
  preserves: [typed, noJsOps, lowerable],
  introduces: ['builtin', 'arith', 'math'],
  run(module, context) {
    const ids = new IdAllocator(nextNodeId(module));
    // Plain rewrite of everything.
    const plainFacts = context.analysis(ranges, module);
    const plain = new Rewriter(plainFacts, ids);
    const plainCounts = new Map<number, number>();
    const plainLambdas = new Map<number, Node>();
    for (const node of module.region.nodes) {
      const before = plain.intValues;
      const regions = node.regions.map((r) => plain.whole(r));
      plainLambdas.set(node.id, freeze({ ...node, regions: freeze(regions) }) as Node);
      plainCounts.set(node.id, plain.intValues - before);
    }
    // Versioned functions, for each bound; a function keeps the version with the most integer values, where the
    // integer copy adds integer values beyond what the original (slow) branch has alone.
    const chosen = new Map(plainLambdas);
    const best = new Map<number, number>();
    for (const bound of paramBounds) {
      const versions = new Map<number, Node>();
      for (const node of module.region.nodes) {
        if (node.kind !== 'lambda') continue;
        const v = versioned(node, ids, bound);
        if (v) versions.set(node.id, v);
      }
      if (versions.size === 0) break;
      const versionedModule = withLambdas(module, versions);
      const rewriter = new Rewriter(analyzeRanges(versionedModule), ids);
      for (const node of versionedModule.region.nodes) {
        if (!versions.has(node.id)) continue;
        const before = rewriter.intValues;
        const regions = node.regions.map((r) => rewriter.whole(r));
        const count = rewriter.intValues - before;
        if (count > Math.max(2 * (plainCounts.get(node.id) ?? 0), best.get(node.id) ?? 0)) {
          chosen.set(node.id, freeze({ ...node, regions: freeze(regions) }) as Node);
          best.set(node.id, count);
        }
      }
    }
    // Nothing to hold in integers: the input is the output (the manager takes identity as "unchanged").
    if (best.size === 0 && plain.intValues === 0) return module;
    context.count('functions-versioned', best.size);
    const result = withLambdas(module, chosen);
    context.count('integer-values', plain.intValues);
    // A twin the rewrite counted may go unused, leaving every region as it was; the manager takes identity
    // as "unchanged", so a rewrite that prints the same is the input.
    return printModule(result) === printModule(module) ? module : result;
  },
});
