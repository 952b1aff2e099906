import {
  argOrigin,
  bool,
  ctrl,
  f64,
  i64,
  isInteger,
  mapRegions,
  nodesById,
  nextNodeId,
  outOrigin,
  type GammaNode,
  type Node,
  type Origin,
  type Region,
  type SimpleNode,
  type ThetaNode,
  type Type,
} from '@rvsdg/ir';
import { lowerable } from '../conditions/lowerable.js';
import { noJsOps } from '../conditions/no-js-ops.js';
import { typed } from '../conditions/typed.js';
import { verified } from '../conditions/verified.js';
import { definePass } from '../manager/pass.js';
import { cloneRegion, freeze, makeConst, makeRegion, makeSimple, Substitution, withInputs } from '../util/build.js';
import { IdAllocator, originKey } from '../util/ir.js';
import { isInvariant } from './simplify-theta.js';
import { tripCount } from './unroll.js';

const exactLimit = 2 ** 53;
/** Bound on the integer loop variables at the start of an iteration of the integer loop. */
const loopBound = 2 ** 50;

/** An f64 value known to be an integer: its i64 form (in the new region) and a bound on its magnitude. */
interface Exact {
  readonly int: Origin;
  readonly bound: number;
  /** Computed by integer additions or subtractions (values that are only converted are `narrow-loop-vars`' job). */
  readonly arith?: boolean;
}

const comparisons = new Set(['arith.eq', 'arith.ne', 'arith.lt', 'arith.le', 'arith.gt', 'arith.ge']);

const orderings = new Set(['arith.lt', 'arith.le', 'arith.gt', 'arith.ge']);
const mirrored: Record<string, string> = {
  'arith.lt': 'arith.gt',
  'arith.le': 'arith.ge',
  'arith.gt': 'arith.lt',
  'arith.ge': 'arith.le',
};

/**
 * `i op y` for an integer i (|i| <= 2^53) and any double y, in integers:
 * i < y is i < ceil(y), i <= y is i <= floor(y) (and so on), with ceil and
 * floor converted saturating, which keeps the infinities right, and NaN
 * comparing false. Everything but the last comparison depends on y only, so
 * it leaves the loop when y is invariant.
 */
function compareWithFloat(w: RegionWriter, op: string, i: Origin, y: Origin, swapped: boolean): Origin {
  const o = swapped ? (mirrored[op] as string) : op;
  const round = o === 'arith.lt' || o === 'arith.ge' ? 'math.ceil' : 'math.floor';
  const yi = w.op('arith.convert', [w.op(round, [y], f64)], i64, { type: i64 });
  const ordered = w.op('arith.eq', [y, y], bool);
  return w.op('arith.and', [ordered, w.op(o, [i, yi], bool)], bool);
}

/** Builds a region's nodes in order, tracking types of the new region's values. */
class RegionWriter {
  readonly nodes: Node[] = [];
  readonly types = new Map<string, Type>();
  constructor(
    readonly args: readonly Type[],
    readonly ids: IdAllocator,
  ) {}
  typeOf(o: Origin): Type | undefined {
    return o.kind === 'arg' ? this.args[o.index] : this.types.get(originKey(o));
  }
  push(node: Node): void {
    this.nodes.push(node);
    node.outputs.forEach((t, i) => this.types.set(`${node.id}.${i}`, t));
  }
  op(op: string, inputs: Origin[], type: Type, attrs: SimpleNode['attrs'] = {}): Origin {
    const node = makeSimple(this.ids.next(), op, inputs, [type], attrs);
    this.push(node);
    return outOrigin(node.id, 0);
  }
  constant(value: number | bigint | boolean, type: Type): Origin {
    const node = makeConst(this.ids.next(), value, type);
    this.push(node);
    return outOrigin(node.id, 0);
  }
}

/**
 * Copies `region` into `w` (whose values for the region's arguments are
 * `args`), computing in i64 every f64 value that is provably an exact
 * integer: given `exactArgs`, constants, conversions of integers, sums
 * and differences staying within 2^53, through gammas. Uses of those values
 * by conversions, wraps and comparisons use the integer. Returns the copied
 * results and which of them are exact.
 */
function copyExact(
  region: Region,
  w: RegionWriter,
  args: readonly Origin[],
  exactArgs: ReadonlyMap<number, Exact>,
): { results: Origin[]; exact: (Exact | undefined)[] } {
  const subst = new Substitution();
  region.arguments.forEach((_, i) => subst.set(argOrigin(i), args[i] as Origin));
  const exact = new Map<string, Exact>();
  exactArgs.forEach((e, i) => exact.set(`a${i}`, e));
  const exactOf = (o: Origin): Exact | undefined => exact.get(originKey(o));
  // i64 values (in the new region) known to be within a bound, so converting them to f64 is exact.
  const intBounds = new Map<string, number>();
  exact.forEach((e) => intBounds.set(originKey(e.int), e.bound));

  for (const node of region.nodes) {
    const inputs = subst.applyAll(node.inputs);
    if (node.kind === 'simple') {
      const out = outOrigin(node.id, 0);
      const [a, b] = node.inputs.map(exactOf);
      const type = node.outputs[0];
      const replace = (o: Origin): void => subst.set(out, o);
      if (node.op === 'const' && type === f64) {
        const v = node.attrs['value'];
        if (typeof v === 'number' && Number.isInteger(v) && !Object.is(v, -0) && Math.abs(v) <= exactLimit) {
          exact.set(originKey(out), { int: w.constant(BigInt(v), i64), bound: Math.abs(v) });
        }
      } else if (node.op === 'arith.convert' && type === f64) {
        const x = inputs[0] as Origin;
        const xt = w.typeOf(x);
        const known = intBounds.get(originKey(x));
        if (xt && isInteger(xt) && xt.bits <= 32) {
          exact.set(originKey(out), { int: w.op('arith.convert', [x], i64, { type: i64 }), bound: 2 ** 32 });
        } else if (xt === i64 && known !== undefined) {
          exact.set(originKey(out), { int: x, bound: known });
        }
      } else if (node.op === 'arith.convert' && a && type === i64) {
        replace(a.int);
        continue;
      } else if (node.op === 'arith.wrap' && a && type && isInteger(type)) {
        replace(type === i64 ? a.int : w.op('arith.convert', [a.int], type, { type }));
        continue;
      } else if ((node.op === 'arith.add' || node.op === 'arith.sub') && a && b && a.bound + b.bound <= exactLimit) {
        const int = w.op(node.op, [a.int, b.int], i64);
        const e = { int, bound: a.bound + b.bound, arith: true };
        intBounds.set(originKey(int), e.bound);
        exact.set(originKey(out), e);
      } else if (comparisons.has(node.op) && a && b) {
        replace(w.op(node.op, [a.int, b.int], bool));
        continue;
      } else if (orderings.has(node.op) && (a || b) && w.typeOf(inputs[a ? 1 : 0] as Origin) === f64) {
        replace(compareWithFloat(w, node.op, a ? (a as Exact).int : (b as Exact).int, inputs[a ? 1 : 0] as Origin, !a));
        continue;
      }
      const copy = freeze({ ...node, id: w.ids.next(), inputs: freeze(inputs) });
      w.push(copy);
      subst.set(out, outOrigin(copy.id, 0));
      node.outputs.forEach((_, i) => subst.set(outOrigin(node.id, i), outOrigin(copy.id, i)));
      continue;
    }
    if (node.kind === 'gamma') {
      // Exact entry values come in as extra i64 entry variables; exits exact in every branch leave as extra i64 exits.
      const entries = node.inputs.slice(1);
      const exactEntries: [number, Exact][] = [];
      entries.forEach((o, i) => {
        const e = exactOf(o);
        if (e) exactEntries.push([i, e]);
      });
      const argTypes = [...(node.regions[0] as Region).arguments, ...exactEntries.map(() => i64)];
      const copies = node.regions.map((r) => {
        const inner = new RegionWriter(argTypes, w.ids);
        const innerExact = new Map<number, Exact>();
        exactEntries.forEach(([i, e], k) => innerExact.set(i, { int: argOrigin(entries.length + k), bound: e.bound }));
        const copied = copyExact(
          r,
          inner,
          r.arguments.map((_, i) => argOrigin(i)),
          innerExact,
        );
        return { inner, ...copied };
      });
      const exits: [number, number, boolean][] = [];
      node.outputs.forEach((t, i) => {
        if (t !== f64) return;
        const bounds = copies.map((c) => c.exact[i]?.bound);
        if (bounds.every((x) => x !== undefined))
          exits.push([i, Math.max(...(bounds as number[])), copies.some((c) => c.exact[i]?.arith === true)]);
      });
      const regions = copies.map((c) =>
        makeRegion(c.inner.args, c.inner.nodes, [...c.results, ...exits.map(([i]) => (c.exact[i] as Exact).int)]),
      );
      const copy: GammaNode = freeze({
        ...node,
        id: w.ids.next(),
        inputs: freeze([...inputs, ...exactEntries.map(([, e]) => e.int)]),
        regions: freeze(regions),
        outputs: freeze([...node.outputs, ...exits.map(() => i64)]),
      });
      w.push(copy);
      node.outputs.forEach((_, i) => subst.set(outOrigin(node.id, i), outOrigin(copy.id, i)));
      exits.forEach(([i, bound, arith], k) => {
        const int = outOrigin(copy.id, node.outputs.length + k);
        intBounds.set(originKey(int), bound);
        exact.set(`${node.id}.${i}`, { int, bound, arith });
      });
      continue;
    }
    const copy = freshCopy(node, inputs, w.ids);
    w.push(copy);
    node.outputs.forEach((_, i) => subst.set(outOrigin(node.id, i), outOrigin(copy.id, i)));
  }
  return { results: subst.applyAll(region.results), exact: region.results.map(exactOf) };
}

/** A copy of a node with a fresh id (nested regions too) reading `inputs`. */
function freshCopy(node: Node, inputs: readonly Origin[], ids: IdAllocator): Node {
  const id = ids.next();
  return freeze({
    ...node,
    id,
    inputs: freeze([...inputs]),
    regions: freeze(node.regions.map((r) => cloneRegion(r, ids))),
  }) as Node;
}

/** The theta copied into `w` on the given inputs; returns its outputs. */
function copyTheta(theta: ThetaNode, inputs: readonly Origin[], w: RegionWriter): Origin[] {
  const copy = freshCopy(theta, inputs, w.ids);
  w.push(copy);
  return theta.outputs.map((_, i) => outOrigin(copy.id, i));
}

function containsTheta(region: Region): boolean {
  return region.nodes.some((n) => n.kind === 'theta' || n.regions.some(containsTheta));
}

/** The loop variables that can run in i64 (the largest such set), or an empty list. */
function integerVars(theta: ThetaNode, ids: IdAllocator): number[] {
  let set = theta.outputs.map((t, i) => i).filter((i) => theta.outputs[i] === f64 && !isInvariant(theta, i));
  for (;;) {
    if (set.length === 0) return set;
    const body = theta.regions[0];
    const args = body.arguments.map((t, i) => (set.includes(i) ? i64 : t));
    const w = new RegionWriter(args, ids);
    const exactArgs = new Map<number, Exact>(set.map((i) => [i, { int: argOrigin(i), bound: loopBound }]));
    const views = body.arguments.map((_, i) =>
      set.includes(i) ? w.op('arith.convert', [argOrigin(i)], f64, { type: f64 }) : argOrigin(i),
    );
    const { exact } = copyExact(body, w, views, exactArgs);
    const next = set.filter((i) => exact[i + 1]?.arith === true);
    if (next.length === set.length) return set;
    set = next;
  }
}

/**
 * Speculative integer loops. The f64 loop variables whose initial values
 * are integers and whose next values are sums and differences of such
 * variables, integer constants and converted integers (`i = i + 1`,
 * `b = b + i`) are computed in i64 in a copy of the loop, which runs while
 * every one of them stays within ±2^50 at the start of an iteration: then
 * every value the f64 loop computes from them is an integer below 2^53 in
 * magnitude, so f64 arithmetic is exact and equal to the i64 arithmetic.
 * The copy's uses of these variables as f64 read exact conversions, and
 * conversions to i64, wraps and comparisons of them become integer
 * operations (so index checks collapse). When the initial values do not
 * qualify, or a value leaves the bound while the loop wants to go on, the
 * original f64 loop runs (or continues) from the exact current values. The
 * body's effects run in the same order in both loops, so the result is
 * the same bit for bit.
 *
 * Requires: verified. Ensures: verified. Preserves: typed, no-js-ops,
 * lowerable.
 */
export const integerInduction = definePass({
  name: 'integer-induction',
  description: 'run f64 loops whose counters and sums are exact integers in i64, with an f64 fallback',
  requires: [verified],
  ensures: [verified],
  preserves: [typed, noJsOps, lowerable],
  run(module, context) {
    const ids = new IdAllocator(nextNodeId(module));
    return mapRegions(module, (region) => {
      if (!region.nodes.some((n) => n.kind === 'theta')) return region;
      const w = new RegionWriter(region.arguments, ids);
      const producers = nodesById(region);
      const subst = new Substitution();
      let changed = false;
      for (const original of region.nodes) {
        const node = withInputs(original, subst.applyAll(original.inputs));
        // Only innermost loops: each specialization copies the loop three times.
        // Loops known to run only a few times do not pay for three copies.
        if (
          node.kind !== 'theta' ||
          containsTheta(node.regions[0]) ||
          tripCount(node, producers, context.registry, 64) !== undefined
        ) {
          w.push(node);
          continue;
        }
        const set = integerVars(node, ids);
        if (set.length === 0) {
          w.push(node);
          continue;
        }
        changed = true;
        context.count('loops-specialized');
        context.count('integer-loop-vars', set.length);
        const outputs = speculate(node, set, w, ids);
        outputs.forEach((o, i) => subst.set(outOrigin(original.id, i), o));
      }
      if (!changed) return region;
      return makeRegion(region.arguments, w.nodes, subst.applyAll(region.results));
    });
  },
});

/** gamma(initial values qualify) -> [integer loop, then the f64 loop if it must go on] else -> [f64 loop]. */
function speculate(theta: ThetaNode, set: readonly number[], w: RegionWriter, ids: IdAllocator): Origin[] {
  const n = theta.inputs.length;
  // Initial values qualify: integral, not -0, within the bound.
  let ok: Origin | undefined;
  for (const i of set) {
    const v = theta.inputs[i] as Origin;
    const c = w.op('arith.convert', [v], i64, { type: i64 });
    const back = w.op('arith.convert', [c], f64, { type: f64 });
    const integral = w.op('arith.eq', [back, v], bool);
    const inv = w.op('arith.div', [w.constant(1, f64), v], f64);
    const positive = w.op('arith.gt', [inv, w.constant(0, f64)], bool);
    const nonzero = w.op('arith.ne', [c, w.constant(0n, i64)], bool);
    const notMinusZero = w.op('arith.or', [positive, nonzero], bool);
    const small = w.op(
      'arith.and',
      [
        w.op('arith.ge', [c, w.constant(BigInt(-loopBound), i64)], bool),
        w.op('arith.le', [c, w.constant(BigInt(loopBound), i64)], bool),
      ],
      bool,
    );
    const here = w.op('arith.and', [w.op('arith.and', [integral, notMinusZero], bool), small], bool);
    ok = ok ? w.op('arith.and', [ok, here], bool) : here;
  }
  const pred = w.op('match', [ok as Origin], ctrl(2), { alternatives: 2 });
  const types = theta.inputs.map((_, i) => theta.outputs[i] as Type);

  // Branch 0: the original loop.
  const slow = new RegionWriter(types, ids);
  const slowOut = copyTheta(
    theta,
    types.map((_, i) => argOrigin(i)),
    slow,
  );
  const slowRegion = makeRegion(types, slow.nodes, slowOut);

  // Branch 1: the integer loop, then the original loop from where it stopped if the loop must go on.
  const fast = new RegionWriter(types, ids);
  const intInputs = types.map((_, i) =>
    set.includes(i) ? fast.op('arith.convert', [argOrigin(i)], i64, { type: i64 }) : argOrigin(i),
  );
  const intTypes = [...types.map((t, i) => (set.includes(i) ? i64 : t)), bool];
  const body = theta.regions[0];
  const b = new RegionWriter(intTypes, ids);
  const views = body.arguments.map((_, i) =>
    set.includes(i) ? b.op('arith.convert', [argOrigin(i)], f64, { type: f64 }) : argOrigin(i),
  );
  const exactArgs = new Map<number, Exact>(set.map((i) => [i, { int: argOrigin(i), bound: loopBound }]));
  const { results, exact } = copyExact(body, b, views, exactArgs);
  const nexts = results.slice(1).map((r, i) => (set.includes(i) ? (exact[i + 1] as Exact).int : r));
  let inBound: Origin | undefined;
  for (const i of set) {
    const v = nexts[i] as Origin;
    const here = b.op(
      'arith.and',
      [
        b.op('arith.ge', [v, b.constant(BigInt(-loopBound), i64)], bool),
        b.op('arith.le', [v, b.constant(BigInt(loopBound), i64)], bool),
      ],
      bool,
    );
    inBound = inBound ? b.op('arith.and', [inBound, here], bool) : here;
  }
  // wanted: the original predicate as a bool; repeat: wanted and within the bound.
  const decide = freeze({
    kind: 'gamma' as const,
    id: ids.next(),
    inputs: freeze([results[0] as Origin, inBound as Origin]),
    regions: freeze([
      (() => {
        const r = new RegionWriter([bool], ids);
        const f = r.constant(false, bool);
        return makeRegion([bool], r.nodes, [f, f]);
      })(),
      (() => {
        const r = new RegionWriter([bool], ids);
        const t = r.constant(true, bool);
        return makeRegion([bool], r.nodes, [t, argOrigin(0)]);
      })(),
    ]),
    outputs: freeze([bool, bool]),
  }) as GammaNode;
  b.push(decide);
  const repeat = b.op('match', [outOrigin(decide.id, 1)], ctrl(2), { alternatives: 2 });
  const intBody = makeRegion(intTypes, b.nodes, [repeat, ...nexts, outOrigin(decide.id, 0)]);
  const intTheta: ThetaNode = freeze({
    kind: 'theta',
    id: ids.next(),
    inputs: freeze([...intInputs, fast.constant(false, bool)]),
    regions: freeze([intBody]) as ThetaNode['regions'],
    outputs: freeze(intTypes),
  });
  fast.push(intTheta);
  const current = types.map((_, i) =>
    set.includes(i)
      ? fast.op('arith.convert', [outOrigin(intTheta.id, i)], f64, { type: f64 })
      : outOrigin(intTheta.id, i),
  );
  const goOn = fast.op('match', [outOrigin(intTheta.id, n)], ctrl(2), { alternatives: 2 });
  const stop = new RegionWriter(types, ids);
  const more = new RegionWriter(types, ids);
  const moreOut = copyTheta(
    theta,
    types.map((_, i) => argOrigin(i)),
    more,
  );
  const rest: GammaNode = freeze({
    kind: 'gamma',
    id: ids.next(),
    inputs: freeze([goOn, ...current]),
    regions: freeze([
      makeRegion(
        types,
        stop.nodes,
        types.map((_, i) => argOrigin(i)),
      ),
      makeRegion(types, more.nodes, moreOut),
    ]),
    outputs: freeze(types),
  });
  fast.push(rest);
  const fastRegion = makeRegion(
    types,
    fast.nodes,
    types.map((_, i) => outOrigin(rest.id, i)),
  );

  const top: GammaNode = freeze({
    kind: 'gamma',
    id: ids.next(),
    inputs: freeze([pred, ...theta.inputs]),
    regions: freeze([slowRegion, fastRegion]),
    outputs: freeze(types),
  });
  w.push(top);
  return types.map((_, i) => outOrigin(top.id, i));
}
