import {
  isFloat,
  isInteger,
  nodesById,
  type GammaNode,
  type Module,
  type Node,
  type Origin,
  type Region,
  type SimpleNode,
  type ThetaNode,
  type Type,
} from '@rvsdg/ir';
import { defineAnalysis } from '../manager/context.js';
import { originKey } from '../util/ir.js';
import {
  abs,
  add,
  constant,
  div,
  exactLimit,
  fitInteger,
  interval,
  join,
  meet,
  minMax,
  mul,
  neg,
  ofType,
  rem,
  rounding,
  square,
  same,
  sub,
  top,
  widen,
  type Interval,
} from './interval.js';

/** Intervals of the numeric values of a module, by region and value. */
export interface RangeFacts {
  /** The interval of value `o` of `region` (a region of the analysed module), or undefined for non-numeric values. */
  of(region: Region, o: Origin): Interval | undefined;
}

/**
 * Largest TypedArray byte length any platform gives (V8's ArrayBuffer
 * limit is 2^53 - 1 bytes): an array's length is at most this over its
 * element size, so a Float64Array has fewer than 2^50 elements.
 */
const maxByteLength = 2 ** 53 - 1;
/** Fixpoint rounds of one loop before its intervals are given up (widening normally stops it in a few). */
const maxRounds = 12;

type Ranges = readonly (Interval | undefined)[];

type Op = 'lt' | 'le' | 'gt' | 'ge' | 'eq' | 'ne';
const negated: Record<Op, Op> = { lt: 'ge', le: 'gt', gt: 'le', ge: 'lt', eq: 'ne', ne: 'eq' };
const mirrored: Record<Op, Op> = { lt: 'gt', le: 'ge', gt: 'lt', ge: 'le', eq: 'eq', ne: 'ne' };

/** `x op y` holds (both ordered, so neither is NaN). */
interface Fact {
  readonly x: Origin;
  readonly op: Op;
  readonly y: Origin;
}

/** x narrowed by knowing `x op y` holds, with y in `y`. */
function refine(x: Interval, op: Op, y: Interval): Interval {
  switch (op) {
    case 'lt': {
      const hi = x.int && Number.isFinite(y.hi) ? Math.ceil(y.hi) - 1 : y.hi;
      return interval(x.lo, Math.min(x.hi, hi), x.int, false, x.negZero);
    }
    case 'le':
      return interval(x.lo, Math.min(x.hi, x.int ? Math.floor(y.hi) : y.hi), x.int, false, x.negZero);
    case 'gt': {
      const lo = x.int && Number.isFinite(y.lo) ? Math.floor(y.lo) + 1 : y.lo;
      return interval(Math.max(x.lo, lo), x.hi, x.int, false, x.negZero);
    }
    case 'ge':
      return interval(Math.max(x.lo, x.int ? Math.ceil(y.lo) : y.lo), x.hi, x.int, false, x.negZero);
    case 'eq': {
      const m = meet(x, y);
      return interval(m.lo, m.hi, x.int || y.int, false, x.negZero);
    }
    case 'ne':
      // NaN != y holds: nothing is learnt.
      return x;
  }
}

class Walker {
  readonly args = new Map<Region, Interval[]>();
  readonly outs = new Map<Region, Map<string, Interval>>();
  /** Each gamma's results per branch, from its latest walk. */
  readonly branches = new Map<GammaNode, Ranges[]>();
  /** Each region's intervals from its latest walk (loops read their increments from it). */
  readonly latest = new Map<Region, { args: Ranges; local: Map<string, Interval | undefined> }>();
  readonly thetas = new Map<ThetaNode, { inputs: Ranges; outputs: Ranges; args: Ranges }>();

  /** The intervals of `region`'s results given its arguments'; records facts when `record`. */
  region(region: Region, args: Ranges, record: boolean): Ranges {
    const local = new Map<string, Interval | undefined>();
    const producers = new Map<number, Node>();
    const get = (o: Origin): Interval | undefined => (o.kind === 'arg' ? args[o.index] : local.get(originKey(o)));
    for (const node of region.nodes) {
      producers.set(node.id, node);
      const inputs = node.inputs.map(get);
      let outs: Ranges;
      if (node.kind === 'simple') outs = simple(node, inputs, (o) => typeIn(region, producers, o));
      else if (node.kind === 'gamma') outs = this.gamma(node, inputs, producers, get, record);
      else if (node.kind === 'theta') outs = this.theta(node, inputs, record);
      else {
        // Functions, globals: their parameters are unknown here (callers are not tracked).
        for (const r of node.regions) this.region(r, r.arguments.map(ofType), record);
        outs = node.outputs.map(ofType);
      }
      outs.forEach((r, i) => local.set(`${node.id}.${i}`, r));
    }
    this.latest.set(region, { args, local });
    if (record) this.record(region, args, local);
    return region.results.map(get);
  }

  private record(region: Region, args: Ranges, local: Map<string, Interval | undefined>): void {
    // A region object shared by two places (immutable IR may share) gets the join of both.
    const prevArgs = this.args.get(region);
    const prevOuts = this.outs.get(region);
    const a = args.map((r, i) => (r && prevArgs?.[i] ? join(r, prevArgs[i]) : r)) as Interval[];
    const o = new Map<string, Interval>();
    local.forEach((r, k) => {
      if (!r) return;
      const p = prevOuts?.get(k);
      o.set(k, p ? join(p, r) : r);
    });
    this.args.set(region, a);
    this.outs.set(region, o);
  }

  private gamma(
    node: GammaNode,
    inputs: Ranges,
    producers: ReadonlyMap<number, Node>,
    get: (o: Origin) => Interval | undefined,
    record: boolean,
  ): Ranges {
    const entries = node.inputs.slice(1);
    let outs: (Interval | undefined)[] | undefined;
    const perBranch: Ranges[] = [];
    this.branches.set(node, perBranch);
    node.regions.forEach((branch, b) => {
      const facts = branchFacts(node, b, producers);
      const args = entries.map((o, k) => {
        let r = inputs[k + 1];
        if (!r) return r;
        const key = originKey(o);
        for (const f of facts) {
          const fx = originKey(f.x) === key ? f : originKey(f.y) === key ? flip(f) : undefined;
          const y = fx ? get(fx.y) : undefined;
          if (fx && y) r = refine(r, fx.op, y);
        }
        return r;
      });
      const results = this.region(branch, args, record);
      perBranch.push(results);
      outs = outs ? outs.map((r, i) => (r && results[i] ? join(r, results[i]) : undefined)) : [...results];
    });
    return outs ?? node.outputs.map(ofType);
  }

  /**
   * The body's results on the paths where the loop repeats: when the
   * predicate is `match` of a gamma exit that is `false` in some branches,
   * exits of that gamma join only the other branches.
   */
  private repeating(body: Region, results: Ranges): Ranges {
    const p = body.results[0] as Origin;
    const m = p.kind === 'out' ? nodesById(body).get(p.node) : undefined;
    const x = m?.kind === 'simple' && m.op === 'match' ? m.inputs[0] : undefined;
    const g = x?.kind === 'out' ? nodesById(body).get(x.node) : undefined;
    if (!x || g?.kind !== 'gamma') return results;
    const branches = this.branches.get(g);
    const live = g.regions.map((r) => !isFalse(r, r.results[x.index] as Origin));
    if (!branches || live.every((l) => l)) return results;
    return results.map((r, i) => {
      const o = body.results[i] as Origin;
      if (i === 0 || o.kind !== 'out' || o.node !== g.id) return r;
      let j: Interval | undefined;
      for (let b = 0; b < branches.length; b++) {
        const br = branches[b]?.[o.index];
        if (!live[b]) continue;
        if (!br) return r;
        j = j ? join(j, br) : br;
      }
      return j ?? interval(Infinity, -Infinity);
    });
  }

  private theta(node: ThetaNode, inputs: Ranges, record: boolean): Ranges {
    // Outer loops walk inner ones once per round: the same inputs give the same outputs.
    const body = node.regions[0];
    const cached = this.thetas.get(node);
    if (cached && sameRanges(cached.inputs, inputs)) {
      if (!record) return cached.outputs;
      return this.region(body, cached.args, true).slice(1);
    }
    const args = this.invariant(node, inputs);
    const outputs = this.region(body, args, record).slice(1);
    this.thetas.set(node, { inputs, outputs, args });
    return outputs;
  }

  /** Intervals of the loop variables at the start of every iteration. */
  private invariant(node: ThetaNode, inputs: Ranges): Ranges {
    const body = node.regions[0];
    let current = inputs;
    let converged = false;
    for (let round = 0; round < maxRounds; round++) {
      const results = this.repeating(body, this.region(body, current, false));
      const next = current.map((c, k) => {
        const r = results[k + 1];
        if (!c || !r) return undefined;
        const j = join(c, r);
        return round >= 1 ? widen(c, j) : j;
      });
      if (next.every((n, k) => n === current[k] || (n && current[k] && same(n, current[k] as Interval)))) {
        converged = true;
        break;
      }
      current = next;
    }
    if (!converged) current = body.arguments.map(ofType);
    else {
      // One narrowing step: inputs joined with what one iteration from the (post-)fixpoint gives is still one.
      const results = this.repeating(body, this.region(body, current, false));
      current = inputs.map((c, k) => (c && results[k + 1] ? join(c, results[k + 1] as Interval) : c));
      current = this.accumulated(node, inputs, current);
    }
    return current;
  }

  /**
   * Bounds from the trip count. A counter (a loop variable changed by the
   * same integer step s, |s| >= 1, on every repeating path, within ±2^53)
   * takes distinct values at the start of each iteration, so the loop runs
   * at most T = (hi - lo) / |s| + 1 iterations; a variable whose change d
   * per iteration is an integer interval then stays within v0 + T * d
   * (exact in f64 while the bound stays below 2^53). Uses the increments
   * of the latest walk of the body, which was on wider intervals.
   */
  private accumulated(node: ThetaNode, inputs: Ranges, current: Ranges): Ranges {
    const body = node.regions[0];
    const steps = current.map((_, k) => this.increment(body, k));
    let trips = Infinity;
    steps.forEach((d, k) => {
      const c = current[k];
      if (!d || !c || d.lo !== d.hi || Math.abs(d.lo) < 1 || !Number.isInteger(d.lo)) return;
      if (!c.int || c.nan || c.lo <= -exactLimit || c.hi >= exactLimit) return;
      trips = Math.min(trips, Math.floor((c.hi - c.lo) / Math.abs(d.lo)) + 1);
    });
    if (!Number.isFinite(trips)) return current;
    return current.map((c, k) => {
      const d = steps[k];
      const v0 = inputs[k];
      if (!c || !d || !v0 || !d.int || !v0.int || d.nan || v0.nan) return c;
      const lo = v0.lo + trips * Math.min(0, d.lo);
      const hi = v0.hi + trips * Math.max(0, d.hi);
      if (!(lo > -exactLimit && hi < exactLimit)) return c;
      return interval(Math.max(c.lo, lo), Math.min(c.hi, hi), c.int, c.nan, c.negZero);
    });
  }

  /** What loop variable k gains per iteration on the paths where the loop repeats, or undefined. */
  private increment(body: Region, k: number): Interval | undefined {
    const o = body.results[k + 1] as Origin;
    const isArg = (x: Origin): boolean => x.kind === 'arg' && x.index === k;
    if (isArg(o)) return constant(0);
    const direct = this.addend(body, o, isArg);
    if (direct) return direct;
    // Through the gamma that decides whether the loop repeats.
    const p = body.results[0] as Origin;
    const m = p.kind === 'out' ? nodesById(body).get(p.node) : undefined;
    const x = m?.kind === 'simple' && m.op === 'match' ? m.inputs[0] : undefined;
    const g = x?.kind === 'out' ? nodesById(body).get(x.node) : undefined;
    if (!x || g?.kind !== 'gamma' || o.kind !== 'out' || o.node !== g.id) return undefined;
    let d: Interval | undefined;
    for (const branch of g.regions) {
      if (isFalse(branch, branch.results[x.index] as Origin)) continue;
      const isVar = (y: Origin): boolean => y.kind === 'arg' && isArg(g.inputs[y.index + 1] as Origin);
      const r = branch.results[o.index] as Origin;
      const here = isVar(r) ? constant(0) : this.addend(branch, r, isVar);
      if (!here) return undefined;
      d = d ? join(d, here) : here;
    }
    return d;
  }

  /** d when `o` is `v + d`, `d + v` or `v - (-d)` with v the variable, from the region's latest walk. */
  private addend(region: Region, o: Origin, isVar: (x: Origin) => boolean): Interval | undefined {
    if (o.kind !== 'out') return undefined;
    const n = nodesById(region).get(o.node);
    if (n?.kind !== 'simple' || (n.op !== 'arith.add' && n.op !== 'arith.sub')) return undefined;
    const facts = this.latest.get(region);
    const at = (y: Origin): Interval | undefined =>
      y.kind === 'arg' ? facts?.args[y.index] : facts?.local.get(originKey(y));
    const [a, b] = n.inputs as [Origin, Origin];
    if (isVar(a)) {
      const d = at(b);
      return d && (n.op === 'arith.add' ? d : neg(d));
    }
    if (n.op === 'arith.add' && isVar(b)) return at(a);
    return undefined;
  }
}

function isFalse(region: Region, o: Origin): boolean {
  if (o.kind !== 'out') return false;
  const n = nodesById(region).get(o.node);
  return n?.kind === 'simple' && n.op === 'const' && n.attrs['value'] === false;
}

function sameRanges(a: Ranges, b: Ranges): boolean {
  return a.length === b.length && a.every((r, i) => r === b[i] || (r && b[i] && same(r, b[i] as Interval)));
}

function flip(f: Fact): Fact {
  return { x: f.y, op: mirrored[f.op], y: f.x };
}

function typeIn(region: Region, producers: ReadonlyMap<number, Node>, o: Origin): Type | undefined {
  return o.kind === 'arg' ? region.arguments[o.index] : producers.get(o.node)?.outputs[o.index];
}

/** The comparisons known to hold in branch `b` of a gamma whose predicate is `match` of a bool. */
function branchFacts(node: GammaNode, b: number, producers: ReadonlyMap<number, Node>): Fact[] {
  const p = node.inputs[0] as Origin;
  const m = p.kind === 'out' ? producers.get(p.node) : undefined;
  if (m?.kind !== 'simple' || m.op !== 'match' || m.attrs['alternatives'] !== 2 || node.regions.length !== 2) return [];
  const facts: Fact[] = [];
  const collect = (o: Origin, truth: boolean, depth: number): void => {
    if (o.kind !== 'out' || depth > 8) return;
    const n = producers.get(o.node);
    // Only bool logic: arith.and/or/not of integers are bitwise.
    if (n?.kind !== 'simple' || n.outputs[0]?.kind !== 'bool') return;
    const op = n.op.startsWith('arith.') ? (n.op.slice(6) as Op) : undefined;
    if (op && op in negated && n.inputs.length === 2) {
      const [x, y] = n.inputs as [Origin, Origin];
      // A false ordered comparison may be false because of NaN: only `!(x == y)` and `!(x != y)`-free facts are kept.
      if (truth) facts.push({ x, op, y });
      else if (op === 'ne') facts.push({ x, op: 'eq', y });
    } else if (n.op === 'arith.and' && truth) n.inputs.forEach((i) => collect(i, true, depth + 1));
    else if (n.op === 'arith.or' && !truth) n.inputs.forEach((i) => collect(i, false, depth + 1));
    else if (n.op === 'arith.not') collect(n.inputs[0] as Origin, !truth, depth + 1);
  };
  collect(m.inputs[0] as Origin, b === 1, 0);
  return facts;
}

/** Bit length of a non-negative integer bound. */
function ones(hi: number): number {
  return hi <= 0 ? 0 : 2 ** Math.ceil(Math.log2(hi + 1)) - 1;
}

function sameOrigin(x: Origin | undefined, y: Origin | undefined): boolean {
  return !!x && !!y && originKey(x) === originKey(y);
}

/** Intervals of a simple node's outputs. */
function simple(node: SimpleNode, inputs: Ranges, typeOf: (o: Origin) => Type | undefined): Ranges {
  const type = node.outputs[0];
  if (node.outputs.length !== 1 || !type) return node.outputs.map(ofType);
  const r = simpleResult(node, inputs, type, typeOf);
  if (!r) return [ofType(type)];
  if (isFloat(type) && type.bits !== 64) return [top];
  if (isInteger(type)) return [fitInteger({ ...r, nan: false }, type)];
  return [r];
}

function simpleResult(
  node: SimpleNode,
  inputs: Ranges,
  type: Type,
  typeOf: (o: Origin) => Type | undefined,
): Interval | undefined {
  const [a, b] = inputs;
  const numeric = isInteger(type) || isFloat(type);
  if (!numeric) return undefined;
  switch (node.op) {
    case 'const': {
      const v = node.attrs['value'];
      return typeof v === 'number' ? constant(v) : typeof v === 'bigint' ? constant(Number(v)) : undefined;
    }
    case 'arith.add':
      return a && b ? add(a, b) : undefined;
    case 'arith.sub':
      return a && b ? sub(a, b) : undefined;
    case 'arith.mul':
      if (a && sameOrigin(node.inputs[0], node.inputs[1])) return square(a);
      return a && b ? mul(a, b) : undefined;
    case 'arith.neg':
      return a ? neg(a) : undefined;
    case 'arith.rem':
      return a && b ? rem(a, b) : undefined;
    case 'arith.div':
      if (a && b && isFloat(type)) return div(a, b);
      if (!a || !b || !isInteger(type)) return undefined;
      // Truncating integer division (x / 0 = 0): |q| <= |x|.
      return a.lo >= 0 && b.lo >= 0 ? interval(0, a.hi) : undefined;
    case 'arith.and':
      if (!a || !b || !isInteger(type)) return undefined;
      if (a.lo >= 0 || b.lo >= 0)
        return interval(0, Math.min(a.lo >= 0 ? a.hi : Infinity, b.lo >= 0 ? b.hi : Infinity));
      return undefined;
    case 'arith.or':
    case 'arith.xor':
      if (!a || !b || !isInteger(type)) return undefined;
      return a.lo >= 0 && b.lo >= 0 ? interval(0, ones(Math.max(a.hi, b.hi))) : undefined;
    case 'arith.shr': {
      if (!a || !b || !isInteger(type) || b.lo !== b.hi || b.lo < 0 || b.lo >= type.bits) return undefined;
      const k = 2 ** b.lo;
      // Arithmetic shift is floor(x / 2^k); a logical one is too for x >= 0.
      return type.signed || a.lo >= 0 ? interval(Math.floor(a.lo / k), Math.floor(a.hi / k)) : undefined;
    }
    case 'arith.convert': {
      const from = node.inputs[0] ? typeOf(node.inputs[0]) : undefined;
      if (!a || !from) return undefined;
      if (isFloat(type)) return isInteger(from) || (isFloat(from) && from.bits === 64) ? a : undefined;
      // Float to integer: truncate and saturate, NaN gives 0.
      if (isFloat(from)) {
        const t = rounding('trunc', a);
        const full = ofType(type) as Interval;
        const lo = Math.max(full.lo, Math.min(t.lo, full.hi));
        const hi = Math.min(full.hi, Math.max(t.hi, full.lo));
        const r = interval(lo, hi);
        return a.nan ? join(r, constant(0)) : r;
      }
      return a;
    }
    case 'arith.wrap': {
      if (!a || !isInteger(type)) return undefined;
      const full = ofType(type) as Interval;
      return a.int && !a.nan && a.lo >= full.lo && a.hi <= full.hi ? interval(a.lo, a.hi) : undefined;
    }
    case 'arith.select':
      return b && inputs[2] ? join(b, inputs[2]) : undefined;
    case 'math.floor':
    case 'math.ceil':
    case 'math.trunc':
    case 'math.round':
    case 'math.roundeven':
      return a ? rounding(node.op.slice(5) as 'floor' | 'roundeven', a) : undefined;
    case 'math.abs':
      return a ? abs(a) : undefined;
    case 'math.min':
    case 'math.max':
      return a && b ? minMax(node.op.slice(5) as 'min', a, b) : undefined;
    case 'math.sqrt':
      return a && a.lo >= 0 ? interval(Math.sqrt(a.lo), Math.sqrt(a.hi), false, a.nan, a.negZero) : undefined;
    case 'array.length': {
      const array = typeOf(node.inputs[0] as Origin);
      const element = array?.kind === 'array' ? array.element : undefined;
      const bytes = element && element.kind !== 'bool' && 'bits' in element ? element.bits / 8 : 1;
      return interval(0, Math.floor(maxByteLength / bytes));
    }
    default:
      return undefined;
  }
}

/** Intervals of every numeric value of every region of a module (functions' parameters unknown). */
export function analyzeRanges(module: Module): RangeFacts {
  const walker = new Walker();
  walker.region(module.region, module.region.arguments.map(ofType), true);
  return {
    of(region, o) {
      if (o.kind === 'arg') return walker.args.get(region)?.[o.index];
      return walker.outs.get(region)?.get(originKey(o));
    },
  };
}

/** The range analysis through the pass manager's cache (`context.analysis(ranges, module)`). */
export const ranges = defineAnalysis<RangeFacts>('ranges', analyzeRanges);
