import {
  argOrigin,
  bool,
  ctrl,
  i64,
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
import {
  affineAdd,
  affineConst,
  affineFactor,
  affineKey,
  affineMagnitude,
  affineMul,
  affineNeg,
  factorsOf,
  isCounter,
  type Affine,
} from '../analysis/affine.js';
import type { Interval } from '../analysis/interval.js';
import { ranges, type RangeFacts } from '../analysis/ranges.js';
import { lowerable } from '../conditions/lowerable.js';
import { noJsOps } from '../conditions/no-js-ops.js';
import { typed } from '../conditions/typed.js';
import { verified } from '../conditions/verified.js';
import { definePass } from '../manager/pass.js';
import { cloneRegion, freeze, makeConst, makeRegion, makeSimple } from '../util/build.js';
import { IdAllocator, originKey } from '../util/ir.js';

/** Values the entry test computes stay below this in magnitude (i64 arithmetic without overflow, with margin). */
const safeMagnitude = 2 ** 60;
/** Array lengths are below 2^53. */
const maxLength = 2 ** 53;

interface Counter {
  /** Its first value (in terms of atoms and outer counters). */
  readonly init: Affine;
  /** Its largest value in the body (inclusive). */
  readonly last: Affine;
}

interface Access {
  readonly array: string;
  readonly index: Affine;
}

/** The theta whose body is being scanned, and its variables that may be counters (with their first values). */
interface LoopContext {
  readonly theta: ThetaNode;
  readonly candidates: ReadonlyMap<number, Affine>;
}

/** Total, pure ops (no state, no raise) the entry test may compute ahead of the nest. */
const replayable = new Set([
  'const',
  'arith.add',
  'arith.sub',
  'arith.mul',
  'arith.div',
  'arith.neg',
  'arith.convert',
  'math.floor',
  'math.ceil',
  'math.trunc',
  'math.min',
  'math.max',
]);

const guardOps: Record<string, { strict: boolean; swap: boolean } | undefined> = {
  'arith.lt': { strict: true, swap: false },
  'arith.le': { strict: false, swap: false },
  'arith.gt': { strict: true, swap: true },
  'arith.ge': { strict: false, swap: true },
};

/**
 * Symbolic facts of one loop nest: every i64 value that is affine in the
 * nest's entry values (atoms: `v:<origin>`, `len:<array origin>`) and its
 * counters (`c:<theta>.<var>`), the counters' first and last values, and
 * the unchecked array accesses whose index is affine with every counter it
 * mentions bounded by its loop guard at that point.
 */
class NestScan {
  readonly atoms = new Map<string, Origin>();
  /** Intervals of the atoms computed by replayed nodes (the others have facts in the enclosing region). */
  readonly atomRanges = new Map<string, Interval>();
  readonly arrays = new Map<string, Origin>();
  readonly counters = new Map<string, Counter>();
  readonly accesses = new Map<number, Access>();
  /**
   * Copies, for the entry test, of the nest's pure nodes that compute only
   * from entry values (a bound `ceil(length / 7)` computed in the loop
   * body): their results become atoms too.
   */
  readonly replayed: SimpleNode[] = [];

  constructor(
    readonly facts: RangeFacts,
    readonly ids: IdAllocator,
  ) {}

  /** The nest rooted at `theta` in `region`. */
  root(region: Region, theta: ThetaNode): void {
    const vals = new Map<string, Affine>();
    const arrs = new Map<string, string>();
    const entry = new Map<string, Origin>();
    theta.inputs.forEach((o, k) => {
      entry.set(originKey(o), o);
      const t = theta.regions[0].arguments[k];
      const name = `v:${originKey(o)}`;
      if (t === i64) {
        const r = this.facts.of(region, o);
        if (r && r.int && !r.nan && Number.isFinite(r.lo) && Number.isFinite(r.hi)) {
          this.atoms.set(name, o);
          vals.set(originKey(o), affineFactor(name));
        }
      } else if (t?.kind === 'array' && t.rank === 1) {
        this.arrays.set(name, o);
        arrs.set(originKey(o), name);
      }
    });
    this.theta(region, theta, vals, arrs, entry);
  }

  private safe(region: Region, o: Origin): boolean {
    const r = this.facts.of(region, o);
    return !!r && r.int && !r.nan && r.lo > -safeMagnitude && r.hi < safeMagnitude;
  }

  private theta(
    region: Region,
    node: ThetaNode,
    vals: ReadonlyMap<string, Affine>,
    arrs: ReadonlyMap<string, string>,
    entry: ReadonlyMap<string, Origin>,
  ): void {
    void region;
    const body = node.regions[0];
    const bv = new Map<string, Affine>();
    const ba = new Map<string, string>();
    const be = new Map<string, Origin>();
    const candidates = new Map<number, Affine>();
    node.inputs.forEach((o, k) => {
      const r = body.results[k + 1];
      const invariant = r?.kind === 'arg' && r.index === k;
      const v = vals.get(originKey(o));
      const a = arrs.get(originKey(o));
      const e = entry.get(originKey(o));
      if (invariant) {
        if (v) bv.set(`a${k}`, v);
        if (a) ba.set(`a${k}`, a);
        if (e) be.set(`a${k}`, e);
      } else if (v && body.arguments[k] === i64) candidates.set(k, v);
    });
    this.region(body, bv, ba, be, { theta: node, candidates });
  }

  private region(
    region: Region,
    vals: Map<string, Affine>,
    arrs: Map<string, string>,
    entry: Map<string, Origin>,
    loop: LoopContext | undefined,
  ): void {
    const producers = new Map<number, Node>();
    const val = (o: Origin | undefined): Affine | undefined => (o ? vals.get(originKey(o)) : undefined);
    for (const node of region.nodes) {
      producers.set(node.id, node);
      if (node.kind === 'simple') {
        this.simple(region, node, vals, arrs, val);
        if (!vals.has(originKey(outOrigin(node.id, 0)))) this.replay(region, node, vals, entry);
        continue;
      }
      if (node.kind === 'gamma') {
        const guard = loop ? this.guard(region, node, producers, loop, val) : undefined;
        node.regions.forEach((r, b) => {
          const rv = new Map<string, Affine>();
          const ra = new Map<string, string>();
          const re = new Map<string, Origin>();
          node.inputs.slice(1).forEach((o, e) => {
            const v = vals.get(originKey(o));
            const a = arrs.get(originKey(o));
            const x = entry.get(originKey(o));
            if (v) rv.set(`a${e}`, v);
            if (a) ra.set(`a${e}`, a);
            if (x) re.set(`a${e}`, x);
            const c = b === 1 && o.kind === 'arg' ? guard?.get(o.index) : undefined;
            if (c) rv.set(`a${e}`, affineFactor(c));
          });
          this.region(r, rv, ra, re, undefined);
        });
        continue;
      }
      if (node.kind === 'theta') this.theta(region, node, vals, arrs, entry);
    }
  }

  /**
   * A pure node of `replayable` ops whose operands are all entry values:
   * its copy before the nest computes the same value, an entry value too;
   * an i64 one with a finite integer interval becomes an atom.
   */
  private replay(region: Region, node: SimpleNode, vals: Map<string, Affine>, entry: Map<string, Origin>): void {
    if (!replayable.has(node.op) || node.outputs.length !== 1) return;
    const inputs = node.inputs.map((o) => entry.get(originKey(o)));
    if (inputs.some((o) => !o)) return;
    const copy = makeSimple(this.ids.next(), node.op, inputs as Origin[], node.outputs, node.attrs);
    this.replayed.push(copy);
    const out = outOrigin(node.id, 0);
    const outside = outOrigin(copy.id, 0);
    entry.set(originKey(out), outside);
    // The interval is the one inside the nest, which a branch's guard may have narrowed, while the copy runs
    // before the nest whatever the guard: a value outside it can only feed the test of accesses in that branch,
    // which do not run then, so the test may be wrong for them without any access going unchecked wrongly.
    const r = this.facts.of(region, out);
    if (node.outputs[0] !== i64 || !r || !r.int || r.nan || !Number.isFinite(r.lo) || !Number.isFinite(r.hi)) return;
    const name = `v:${originKey(outside)}`;
    this.atoms.set(name, outside);
    this.atomRanges.set(name, r);
    vals.set(originKey(out), affineFactor(name));
  }

  private simple(
    region: Region,
    node: SimpleNode,
    vals: Map<string, Affine>,
    arrs: Map<string, string>,
    val: (o: Origin | undefined) => Affine | undefined,
  ): void {
    const out = outOrigin(node.id, 0);
    const [x, y] = node.inputs;
    let v: Affine | undefined;
    switch (node.op) {
      case 'const': {
        const c = node.attrs['value'];
        if (node.outputs[0] === i64 && typeof c === 'bigint') v = affineConst(c);
        break;
      }
      case 'arith.add':
      case 'arith.sub':
      case 'arith.mul': {
        const a = val(x);
        const b = val(y);
        if (!a || !b || node.outputs[0] !== i64 || !this.safe(region, out)) break;
        v = node.op === 'arith.mul' ? affineMul(a, b) : affineAdd(a, b, node.op === 'arith.add' ? 1n : -1n);
        break;
      }
      case 'arith.neg': {
        const a = val(x);
        if (a && node.outputs[0] === i64 && this.safe(region, out)) v = affineNeg(a);
        break;
      }
      case 'array.length': {
        const a = x ? arrs.get(originKey(x)) : undefined;
        if (a) v = affineFactor(`len:${a.slice(2)}`);
        break;
      }
      case 'array.load':
      case 'array.store': {
        const a = x ? arrs.get(originKey(x)) : undefined;
        const index = val(y);
        if (a && index && node.attrs['inbounds'] !== true) this.accesses.set(node.id, { array: a, index });
        break;
      }
      default:
        break;
    }
    if (v) vals.set(originKey(out), v);
  }

  /**
   * When `gamma` is the loop's guard `counter < bound` (or `<=`) with an
   * affine bound, and the counter only grows by positive constants: the
   * counters its true branch knows bounded, by the body argument they are.
   */
  private guard(
    region: Region,
    gamma: GammaNode,
    producers: ReadonlyMap<number, Node>,
    loop: LoopContext,
    val: (o: Origin | undefined) => Affine | undefined,
  ): Map<number, string> | undefined {
    const p = gamma.inputs[0] as Origin;
    const m = p.kind === 'out' ? producers.get(p.node) : undefined;
    if (m?.kind !== 'simple' || m.op !== 'match' || gamma.regions.length !== 2) return undefined;
    const c =
      (m.inputs[0] as Origin).kind === 'out' ? producers.get((m.inputs[0] as { node: number }).node) : undefined;
    const g = c?.kind === 'simple' ? guardOps[c.op] : undefined;
    if (!c || c.kind !== 'simple' || !g) return undefined;
    const [l, r] = c.inputs as [Origin, Origin];
    const [x, y] = g.swap ? [r, l] : [l, r];
    if (x.kind !== 'arg') return undefined;
    const k = x.index;
    const init = loop.candidates.get(k);
    const bound = val(y);
    if (!init || !bound || region.arguments[k] !== i64) return undefined;
    if (!this.steps(region, region.results[k + 1] as Origin, k, gamma)) return undefined;
    const last = g.strict ? affineAdd(bound, affineConst(-1n)) : bound;
    if (!last) return undefined;
    const name = `c:${loop.theta.id}.${k}`;
    this.counters.set(name, { init, last });
    return new Map([[k, name]]);
  }

  /** `o` (a loop variable's next value) is argument k plus a non-negative constant, possibly through `gamma`'s branches. */
  private steps(region: Region, o: Origin, k: number, gamma: GammaNode): boolean {
    const fromBase = (r: Region, origin: Origin, isBase: (a: Origin) => boolean): boolean => {
      if (isBase(origin)) return true;
      if (origin.kind !== 'out') return false;
      const n = r.nodes.find((node) => node.id === origin.node);
      if (n?.kind !== 'simple' || n.op !== 'arith.add') return false;
      const [a, b] = n.inputs as [Origin, Origin];
      const positive = (q: Origin): boolean => {
        const cn = q.kind === 'out' ? r.nodes.find((node) => node.id === q.node) : undefined;
        const v = cn?.kind === 'simple' && cn.op === 'const' ? cn.attrs['value'] : undefined;
        return typeof v === 'bigint' && v >= 0n;
      };
      return (isBase(a) && positive(b)) || (isBase(b) && positive(a));
    };
    const isArg = (a: Origin): boolean => a.kind === 'arg' && a.index === k;
    if (fromBase(region, o, isArg)) return true;
    if (o.kind !== 'out' || o.node !== gamma.id) return false;
    const entries = new Set(
      gamma.inputs
        .slice(1)
        .map((e, i) => (isArg(e) ? i : -1))
        .filter((i) => i >= 0),
    );
    return gamma.regions.every((r) =>
      fromBase(r, r.results[o.index] as Origin, (a) => a.kind === 'arg' && entries.has(a.index)),
    );
  }
}

/** Emits the entry test of one nest in its enclosing region. */
class TestWriter {
  readonly nodes: Node[] = [];
  private readonly lengths = new Map<string, Origin>();
  private readonly counterBounds = new Map<string, { lo: Origin; hi: Origin }>();
  private readonly magnitudes = new Map<string, number | undefined>();

  constructor(
    readonly scan: NestScan,
    readonly region: Region,
    readonly ids: IdAllocator,
  ) {}

  op(op: string, inputs: readonly Origin[], type: Type = i64, attrs: SimpleNode['attrs'] = {}): Origin {
    const node = makeSimple(this.ids.next(), op, inputs, [type], attrs);
    this.nodes.push(node);
    return outOrigin(node.id, 0);
  }

  constant(v: bigint): Origin {
    const node = makeConst(this.ids.next(), v, i64);
    this.nodes.push(node);
    return outOrigin(node.id, 0);
  }

  length(array: string): Origin {
    let o = this.lengths.get(array);
    if (!o) {
      o = this.op('array.length', [this.scan.arrays.get(array) as Origin]);
      this.lengths.set(array, o);
    }
    return o;
  }

  /** A bound on the magnitude of a factor over the iteration space. */
  magnitude(factor: string): number | undefined {
    if (this.magnitudes.has(factor)) return this.magnitudes.get(factor);
    this.magnitudes.set(factor, undefined); // cycles have no bound
    let m: number | undefined;
    if (factor.startsWith('len:')) m = maxLength;
    else if (factor.startsWith('v:')) {
      const r =
        this.scan.atomRanges.get(factor) ?? this.scan.facts.of(this.region, this.scan.atoms.get(factor) as Origin);
      m = r && Number.isFinite(r.lo) && Number.isFinite(r.hi) ? Math.max(Math.abs(r.lo), Math.abs(r.hi)) : undefined;
    } else {
      const c = this.scan.counters.get(factor);
      const a = c ? this.bound(c.init) : undefined;
      const b = c ? this.bound(c.last) : undefined;
      m = a !== undefined && b !== undefined ? Math.max(a, b) : undefined;
    }
    this.magnitudes.set(factor, m);
    return m;
  }

  /** A bound on |e| over the iteration space, when below the safe magnitude. */
  bound(e: Affine): number | undefined {
    const m = affineMagnitude(e, (f) => this.magnitude(f));
    return m !== undefined && m < safeMagnitude ? m : undefined;
  }

  private factor(name: string): Origin {
    return name.startsWith('len:') ? this.length(`v:${name.slice(4)}`) : (this.scan.atoms.get(name) as Origin);
  }

  private counter(name: string): { lo: Origin; hi: Origin } {
    let b = this.counterBounds.get(name);
    if (!b) {
      const c = this.scan.counters.get(name) as Counter;
      b = { lo: this.range(c.init).lo, hi: this.range(c.last).hi };
      this.counterBounds.set(name, b);
    }
    return b;
  }

  /** The least and greatest value of `e` over the iteration space (its bound checked first). */
  range(e: Affine): { lo: Origin; hi: Origin } {
    let lo: Origin | undefined;
    let hi: Origin | undefined;
    const plus = (acc: Origin | undefined, x: Origin): Origin => (acc ? this.op('arith.add', [acc, x]) : x);
    for (const [key, v] of e) {
      const factors = factorsOf(key);
      let coef: Origin | undefined = v === 1n && factors.some((f) => !isCounter(f)) ? undefined : this.constant(v);
      for (const f of factors.filter((f) => !isCounter(f)))
        coef = coef ? this.op('arith.mul', [coef, this.factor(f)]) : this.factor(f);
      const counter = factors.find(isCounter);
      if (!counter) {
        lo = plus(lo, coef as Origin);
        hi = plus(hi, coef as Origin);
        continue;
      }
      const cb = this.counter(counter);
      const a = coef ? this.op('arith.mul', [coef, cb.lo]) : cb.lo;
      const b = coef ? this.op('arith.mul', [coef, cb.hi]) : cb.hi;
      lo = plus(lo, this.op('math.min', [a, b]));
      hi = plus(hi, this.op('math.max', [a, b]));
    }
    const zero = lo && hi ? undefined : this.constant(0n);
    return { lo: lo ?? (zero as Origin), hi: hi ?? (zero as Origin) };
  }
}

/** The replayed copies the entry test reads, directly or through other copies, in order. */
function usedCopies(copies: readonly SimpleNode[], test: readonly Node[]): SimpleNode[] {
  const used = new Set<number>();
  const use = (n: Node): void => n.inputs.forEach((o) => o.kind === 'out' && used.add(o.node));
  test.forEach(use);
  for (let i = copies.length - 1; i >= 0; i--) {
    const c = copies[i] as SimpleNode;
    if (used.has(c.id)) use(c);
  }
  return copies.filter((c) => used.has(c.id));
}

function markInbounds(region: Region, accesses: ReadonlySet<number>): Region {
  const nodes = region.nodes.map((n): Node => {
    if (n.kind === 'simple')
      return accesses.has(n.id) ? freeze({ ...n, attrs: freeze({ ...n.attrs, inbounds: true }) }) : n;
    if (n.regions.length === 0) return n;
    return freeze({ ...n, regions: freeze(n.regions.map((r) => markInbounds(r, accesses))) }) as Node;
  });
  return makeRegion(region.arguments, nodes, region.results);
}

/**
 * The nest rooted at `theta` versioned on one entry test, or undefined
 * when no access of it can be proven that way.
 */
function versionNest(
  region: Region,
  theta: ThetaNode,
  facts: RangeFacts,
  ids: IdAllocator,
): { nodes: Node[]; accesses: number } | undefined {
  const scan = new NestScan(facts, ids);
  scan.root(region, theta);
  const w = new TestWriter(scan, region, ids);
  const proven = new Set<number>();
  const tests = new Map<string, Access>();
  for (const [id, access] of scan.accesses) {
    if (w.bound(access.index) === undefined) continue;
    proven.add(id);
    tests.set(`${access.array}:${affineKey(access.index)}`, access);
  }
  if (proven.size === 0) return undefined;
  let ok: Origin | undefined;
  const zero = w.constant(0n);
  for (const { array, index } of tests.values()) {
    const { lo, hi } = w.range(index);
    const here = w.op(
      'arith.and',
      [w.op('arith.ge', [lo, zero], bool), w.op('arith.lt', [hi, w.length(array)], bool)],
      bool,
    );
    ok = ok ? w.op('arith.and', [ok, here], bool) : here;
  }
  const pred = w.op('match', [ok as Origin], ctrl(2), { alternatives: 2 });
  const types = theta.regions[0].arguments;
  const inner = makeRegion(
    types,
    [freeze({ ...theta, inputs: freeze(types.map((_, k) => argOrigin(k))) })],
    theta.outputs.map((_, k) => outOrigin(theta.id, k)),
  );
  const slow = cloneRegion(inner, ids);
  const fast = cloneRegion(markInbounds(inner, proven), ids);
  const gamma: GammaNode = freeze({
    kind: 'gamma',
    id: theta.id,
    inputs: freeze([pred, ...theta.inputs]),
    regions: freeze([slow, fast]),
    outputs: theta.outputs,
  });
  return { nodes: [...usedCopies(scan.replayed, w.nodes), ...w.nodes, gamma], accesses: proven.size };
}

/** The shape this pass leaves: a gamma whose two branches are one theta each. */
function isVersionedNest(node: Node): boolean {
  return (
    node.kind === 'gamma' &&
    node.regions.length === 2 &&
    node.regions.every((r) => r.nodes.length === 1 && r.nodes[0]?.kind === 'theta')
  );
}

/**
 * Hoists the bounds checks of loop nests whose accesses have indices
 * affine in the loop counters (`i*n + j`, `(i-1)*n + j`, coefficients
 * loop-invariant values): one test before the nest that the least and
 * greatest value of every such index over the iteration space (counters
 * from their first value up to their guard's bound, each term at the end
 * its coefficient's sign picks, evaluated at run time) lie in
 * [0, length) of its array; a copy of the nest where those accesses are
 * `inbounds` runs when it holds, the original (checked) nest otherwise, so
 * an out-of-range access still raises the same RangeError at the same
 * iteration. At most one copy per nest, and only nests with accesses it
 * proves are versioned. i64 arithmetic only (run after
 * `integer-representation`); every value the test computes is bounded
 * below 2^60 by the range analysis, so it cannot overflow.
 *
 * Requires: verified, typed. Ensures: verified. Preserves: typed,
 * no-js-ops, lowerable.
 */
export const versionLoopNests = definePass({
  name: 'version-loop-nests',
  description: 'hoist the bounds checks of affine accesses in loop nests into one test before the nest',
  requires: [verified, typed],
  ensures: [verified],
  preserves: [typed, noJsOps, lowerable],
  introduces: ['builtin', 'arith', 'math', 'array'],
  run(module, context) {
    const facts = context.analysis(ranges, module);
    const ids = new IdAllocator(nextNodeId(module));
    let nests = 0;
    let accesses = 0;
    const visit = (region: Region): Region => {
      let changed = false;
      const nodes: Node[] = [];
      for (const node of region.nodes) {
        if (node.kind === 'theta') {
          const v = versionNest(region, node, facts, ids);
          if (v) {
            nests++;
            accesses += v.accesses;
            nodes.push(...v.nodes);
            changed = true;
            continue;
          }
        }
        // A nest versioned before (its copies are the two branches): no second copy.
        if (isVersionedNest(node)) {
          nodes.push(node);
          continue;
        }
        const regions = node.regions.map(visit);
        if (regions.some((r, i) => r !== node.regions[i])) {
          nodes.push(freeze({ ...node, regions: freeze(regions) }) as Node);
          changed = true;
        } else nodes.push(node);
      }
      return changed ? makeRegion(region.arguments, nodes, region.results) : region;
    };
    const root = visit(module.region);
    context.count('nests-versioned', nests);
    context.count('accesses-unchecked', accesses);
    return root === module.region ? module : freeze({ ...module, region: root });
  },
});
