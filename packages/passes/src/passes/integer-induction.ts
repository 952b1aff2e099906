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
 * the same bit for bit. When the loop test bounds the trip count and with
 * it every integer variable (see `uncheckedPlan`), a guard before the loop
 * picks a copy of the integer loop without the per-iteration checks.
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

/**
 * gamma(initial values qualify) -> [unchecked or checked integer loop] else -> [f64 loop]; the checked
 * integer loop is followed by the f64 loop if the loop must go on.
 */
function speculate(theta: ThetaNode, set: readonly number[], w: RegionWriter, ids: IdAllocator): Origin[] {
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
  const params = types.map((_, i) => argOrigin(i));

  // Branch 0: the original loop.
  const slow = new RegionWriter(types, ids);
  const slowRegion = makeRegion(types, slow.nodes, copyTheta(theta, params, slow));

  // Branch 1: when the trip count bounds every integer loop variable, the integer loop without bound checks.
  const fast = new RegionWriter(types, ids);
  const plan = uncheckedPlan(theta, set, ids);
  let fastOut: Origin[];
  if (plan) {
    const within = plan.within(fast);
    const checked = new RegionWriter(types, ids);
    const unchecked = new RegionWriter(types, ids);
    const choose: GammaNode = freeze({
      kind: 'gamma',
      id: ids.next(),
      inputs: freeze([fast.op('match', [within], ctrl(2), { alternatives: 2 }), ...params]),
      regions: freeze([
        makeRegion(types, checked.nodes, checkedLoop(theta, set, checked, ids)),
        makeRegion(types, unchecked.nodes, uncheckedLoop(theta, set, plan.bound, unchecked, ids)),
      ]),
      outputs: freeze(types),
    });
    fast.push(choose);
    fastOut = types.map((_, i) => outOrigin(choose.id, i));
  } else {
    fastOut = checkedLoop(theta, set, fast, ids);
  }
  const fastRegion = makeRegion(types, fast.nodes, fastOut);

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

/** The integer copy of the loop's body, on i64 arguments for `set` bounded by `bound`. */
function integerBody(
  theta: ThetaNode,
  set: readonly number[],
  bound: number,
  b: RegionWriter,
): { results: Origin[]; nexts: Origin[]; exact: (Exact | undefined)[] } {
  const body = theta.regions[0];
  const views = body.arguments.map((_, i) =>
    set.includes(i) ? b.op('arith.convert', [argOrigin(i)], f64, { type: f64 }) : argOrigin(i),
  );
  const exactArgs = new Map<number, Exact>(set.map((i) => [i, { int: argOrigin(i), bound }]));
  const { results, exact } = copyExact(body, b, views, exactArgs);
  // With a larger bound than `integerVars` used, some variables may not be exact; callers then discard the copy.
  const nexts = results.slice(1).map((r, i) => (set.includes(i) ? (exact[i + 1]?.int ?? r) : r));
  return { results, nexts, exact };
}

/** The integer loop without bound checks, in `fast` whose arguments are the loop's inputs; returns the f64 outputs. */
function uncheckedLoop(
  theta: ThetaNode,
  set: readonly number[],
  bound: number,
  fast: RegionWriter,
  ids: IdAllocator,
): Origin[] {
  const types = fast.args;
  const intTypes = types.map((t, i) => (set.includes(i) ? i64 : t));
  const b = new RegionWriter(intTypes, ids);
  const { results, nexts } = integerBody(theta, set, bound, b);
  const intTheta: ThetaNode = freeze({
    kind: 'theta',
    id: ids.next(),
    inputs: freeze(
      types.map((_, i) =>
        set.includes(i) ? fast.op('arith.convert', [argOrigin(i)], i64, { type: i64 }) : argOrigin(i),
      ),
    ),
    regions: freeze([makeRegion(intTypes, b.nodes, [results[0] as Origin, ...nexts])]) as ThetaNode['regions'],
    outputs: freeze(intTypes),
  });
  fast.push(intTheta);
  return types.map((_, i) =>
    set.includes(i)
      ? fast.op('arith.convert', [outOrigin(intTheta.id, i)], f64, { type: f64 })
      : outOrigin(intTheta.id, i),
  );
}

/**
 * The integer loop checking the ±2^50 bound each iteration, then the f64
 * loop from where it stopped if the loop must go on; in `fast` whose
 * arguments are the loop's inputs.
 */
function checkedLoop(theta: ThetaNode, set: readonly number[], fast: RegionWriter, ids: IdAllocator): Origin[] {
  const types = fast.args;
  const n = types.length;
  const intInputs = types.map((_, i) =>
    set.includes(i) ? fast.op('arith.convert', [argOrigin(i)], i64, { type: i64 }) : argOrigin(i),
  );
  const intTypes = [...types.map((t, i) => (set.includes(i) ? i64 : t)), bool];
  const b = new RegionWriter(intTypes, ids);
  const { results, nexts } = integerBody(theta, set, loopBound, b);
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
  return types.map((_, i) => outOrigin(rest.id, i));
}

/** c + Σ coeffs[j] * (loop variable j at the start of an iteration), on the path where the loop repeats. */
interface Linear {
  readonly coeffs: ReadonlyMap<number, number>;
  readonly k: number;
}

function combine(a: Linear, b: Linear, sign: number): Linear {
  const coeffs = new Map(a.coeffs);
  b.coeffs.forEach((c, j) => coeffs.set(j, (coeffs.get(j) ?? 0) + sign * c));
  coeffs.forEach((c, j) => {
    if (c === 0) coeffs.delete(j);
  });
  return { coeffs, k: a.k + sign * b.k };
}

/**
 * `o` (in `region`) as a linear form of the loop variables, when it is a
 * sum or difference of them and integer constants; through the gammas in
 * `taken`, which take their branch 1 whenever the loop repeats.
 */
function linearOf(
  region: Region,
  o: Origin,
  argForm: (i: number) => Linear | undefined,
  taken: ReadonlySet<number>,
): Linear | undefined {
  if (o.kind === 'arg') return argForm(o.index);
  const node = nodesById(region).get(o.node);
  if (!node) return undefined;
  if (node.kind === 'simple') {
    if (node.op === 'const' && node.outputs[0] === f64) {
      const v = node.attrs['value'];
      return typeof v === 'number' && Number.isInteger(v) && Math.abs(v) <= loopBound
        ? { coeffs: new Map(), k: v === 0 ? 0 : v }
        : undefined;
    }
    if ((node.op === 'arith.add' || node.op === 'arith.sub') && node.outputs[0] === f64) {
      const a = linearOf(region, node.inputs[0] as Origin, argForm, taken);
      const b = linearOf(region, node.inputs[1] as Origin, argForm, taken);
      return a && b ? combine(a, b, node.op === 'arith.add' ? 1 : -1) : undefined;
    }
    return undefined;
  }
  if (node.kind === 'gamma' && taken.has(node.id)) {
    const branch = node.regions[1] as Region;
    const entries = node.inputs.slice(1);
    return linearOf(
      branch,
      branch.results[o.index] as Origin,
      (i) => linearOf(region, entries[i] as Origin, argForm, taken),
      taken,
    );
  }
  return undefined;
}

/** `o` is a loop variable plus or minus small constants, so every intermediate value is exact too. */
function simpleOffset(region: Region, o: Origin): boolean {
  if (o.kind === 'arg') return true;
  const node = nodesById(region).get(o.node);
  if (node?.kind !== 'simple' || (node.op !== 'arith.add' && node.op !== 'arith.sub')) return false;
  const k = node.inputs[1] as Origin;
  const kn = k.kind === 'out' ? nodesById(region).get(k.node) : undefined;
  const v = kn?.kind === 'simple' && kn.op === 'const' ? kn.attrs['value'] : undefined;
  return typeof v === 'number' && Math.abs(v) <= 2 ** 20 && simpleOffset(region, node.inputs[0] as Origin);
}

function isFalse(region: Region, o: Origin): boolean {
  if (o.kind !== 'out') return false;
  const node = nodesById(region).get(o.node);
  return node?.kind === 'simple' && node.op === 'const' && node.attrs['value'] === false;
}

/**
 * The comparisons (at the top of the loop body) that hold whenever the
 * loop repeats, and the gammas that then take branch 1: the predicate is
 * `match(x)` with x a comparison, a conjunction, or a gamma exit that is
 * `false` in branch 0 (a while loop's guard, `&&`).
 */
function repeatFacts(body: Region): { comparisons: SimpleNode[]; taken: Set<number> } {
  const comparisons: SimpleNode[] = [];
  const taken = new Set<number>();
  // Comparisons only at the top, where they are evaluated on the loop variables; taken gammas at any depth.
  const visit = (region: Region, x: Origin): void => {
    if (x.kind !== 'out') return;
    const producers = nodesById(region);
    const node = producers.get(x.node);
    if (!node) return;
    if (node.kind === 'simple' && orderings.has(node.op)) {
      if (region === body) comparisons.push(node);
    } else if (node.kind === 'simple' && node.op === 'arith.and' && node.outputs[0] === bool)
      node.inputs.forEach((o) => visit(region, o));
    else if (node.kind === 'gamma' && node.regions.length === 2) {
      const [no, yes] = node.regions as [Region, Region];
      if (!isFalse(no, no.results[x.index] as Origin)) return;
      taken.add(node.id);
      const p = node.inputs[0] as Origin;
      const m = p.kind === 'out' ? producers.get(p.node) : undefined;
      if (m?.kind === 'simple' && m.op === 'match' && m.attrs['alternatives'] === 2)
        visit(region, m.inputs[0] as Origin);
      visit(yes, yes.results[x.index] as Origin);
    }
  };
  const pred = body.results[0] as Origin;
  const m = pred.kind === 'out' ? nodesById(body).get(pred.node) : undefined;
  if (m?.kind === 'simple' && m.op === 'match' && m.attrs['alternatives'] === 2) visit(body, m.inputs[0] as Origin);
  return { comparisons, taken };
}

/**
 * When the loop bound is a loop-invariant n compared with an induction
 * variable i (constant step c: `i < n` for c > 0, `i > n` for c < 0, either
 * way round), the loop repeats at most T - 1 <= |(n - i0 - d) / c| + 1
 * times (d: what the comparison adds to i). Induction variables then stay
 * within |j0| + T * |c_j| and accumulators (b = b + Σ k_j * j + k) within
 * |b0| + T * (|k| + Σ |k_j| * bound_j). `within` computes those bounds (in
 * f64, with a margin for its rounding; NaN and infinite n fail) and
 * whether they stay below `bound`, a bound on the loop variables for which
 * the integer body keeps every one of them exact: then the integer loop
 * needs no per-iteration check. Undefined when some loop variable is
 * neither kind or no such bound test exists.
 */
function uncheckedPlan(
  theta: ThetaNode,
  set: readonly number[],
  ids: IdAllocator,
): { bound: number; within: (w: RegionWriter) => Origin } | undefined {
  const body = theta.regions[0];
  const { comparisons, taken } = repeatFacts(body);
  if (comparisons.length === 0) return undefined;
  const identity = (i: number): Linear => ({ coeffs: new Map([[i, 1]]), k: 0 });
  const forms = new Map<number, Linear>();
  for (const v of set) {
    const form = linearOf(body, body.results[v + 1] as Origin, identity, taken);
    if (!form || form.coeffs.get(v) !== 1) return undefined;
    forms.set(v, form);
  }
  const steps = new Map<number, number>();
  forms.forEach((f, v) => {
    if (f.coeffs.size === 1) steps.set(v, f.k);
  });
  const sums = new Map<number, Linear>();
  for (const [v, f] of forms) {
    if (steps.has(v)) continue;
    for (const j of f.coeffs.keys()) if (j !== v && !steps.has(j)) return undefined;
    sums.set(v, f);
  }
  // n: an invariant f64 loop variable, or a conversion of an invariant one.
  const invariant = (o: Origin): ((w: RegionWriter) => Origin) | undefined => {
    if (o.kind === 'arg')
      return isInvariant(theta, o.index) && body.arguments[o.index] === f64 ? () => argOrigin(o.index) : undefined;
    const node = nodesById(body).get(o.node);
    const x = node?.inputs[0];
    if (node?.kind !== 'simple' || node.op !== 'arith.convert' || node.outputs[0] !== f64 || x?.kind !== 'arg')
      return undefined;
    if (!isInvariant(theta, x.index)) return undefined;
    return (w) => w.op('arith.convert', [argOrigin(x.index)], f64, { type: f64 });
  };
  let test: { i: number; d: number; step: number; n: (w: RegionWriter) => Origin } | undefined;
  for (const cmp of comparisons) {
    for (const swapped of [false, true]) {
      const op = swapped ? (mirrored[cmp.op] as string) : cmp.op;
      const lhs = cmp.inputs[swapped ? 1 : 0] as Origin;
      const rhs = cmp.inputs[swapped ? 0 : 1] as Origin;
      const form = linearOf(body, lhs, identity, taken);
      const n = invariant(rhs);
      // |d| small keeps i + d (|i| <= 2^52) exact in f64, and with it the comparison.
      if (!form || !n || form.coeffs.size !== 1 || Math.abs(form.k) > 2 ** 20 || !simpleOffset(body, lhs)) continue;
      const [[i, coeff]] = [...form.coeffs] as [[number, number]];
      const step = steps.get(i);
      if (coeff !== 1 || step === undefined) continue;
      const up = op === 'arith.lt' || op === 'arith.le';
      if ((up && step > 0) || (!up && step < 0)) test ??= { i, d: form.k, step, n };
    }
  }
  if (!test) return undefined;
  const bound = [2 ** 52, 2 ** 51, loopBound].find((b) => {
    const w = new RegionWriter(
      body.arguments.map((t, i) => (set.includes(i) ? i64 : t)),
      ids,
    );
    const { exact } = integerBody(theta, set, b, w);
    return set.every((i) => exact[i + 1]?.arith === true);
  });
  if (bound === undefined) return undefined;
  const { i, d, step, n } = test;
  return {
    bound,
    within(w) {
      const c = (x: number): Origin => w.constant(x, f64);
      const add = (x: Origin, y: Origin): Origin => w.op('arith.add', [x, y], f64);
      const mul = (x: Origin, y: Origin): Origin => w.op('arith.mul', [x, y], f64);
      const abs = (x: Origin): Origin => w.op('math.abs', [x], f64);
      const span = w.op('arith.sub', [w.op('arith.sub', [n(w), argOrigin(i)], f64), c(d)], f64);
      const trips = add(abs(w.op('arith.div', [span, c(step)], f64)), c(2));
      const bounds = new Map<number, Origin>();
      steps.forEach((s, j) => bounds.set(j, add(abs(argOrigin(j)), mul(trips, c(Math.abs(s))))));
      sums.forEach((f, v) => {
        let perTrip = c(Math.abs(f.k));
        f.coeffs.forEach((k, j) => {
          if (j !== v) perTrip = add(perTrip, mul(c(Math.abs(k)), bounds.get(j) as Origin));
        });
        bounds.set(v, add(abs(argOrigin(v)), mul(trips, perTrip)));
      });
      // A few roundings of at most 2^-53 each: a margin of 2^-20 covers them.
      const limit = c(bound * (1 - 2 ** -20));
      let ok: Origin | undefined;
      bounds.forEach((b) => {
        const here = w.op('arith.le', [b, limit], bool);
        ok = ok ? w.op('arith.and', [ok, here], bool) : here;
      });
      return ok as Origin;
    },
  };
}
