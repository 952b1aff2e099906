import {
  argOrigin,
  bool,
  i64,
  nextNodeId,
  outOrigin,
  type LambdaNode,
  type Node,
  type Origin,
  type Region,
  type Type,
} from '@rvsdg/ir';
import { exactLimit, ofType, type Interval } from '../analysis/interval.js';
import { analyzeRanges, checkedArithmetic, ranges, type RangeFacts } from '../analysis/ranges.js';
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
import { containsTheta, IdAllocator } from '../util/ir.js';

/**
 * Bound on the i64 parameters the checked-free version of a function
 * assumes: sums over a loop counted up to such a value (up to 2^52) stay
 * exact in the doubles the range analysis computes bounds in.
 */
export const bigintParamBound = 2 ** 26;

/** A checked op whose result the analysis proves in range: the plain (wrapping) op, its state passed through. */
function rewriteRegion(region: Region, facts: RangeFacts, ids: IdAllocator, count: { dropped: number }): Region {
  const subst = new Substitution();
  let changed = false;
  const nodes: Node[] = [];
  for (const node of region.nodes) {
    const inputs = subst.applyAll(node.inputs);
    const moved = inputs.some((o, i) => o !== node.inputs[i]);
    if (node.kind === 'simple') {
      const exact = checkedArithmetic[node.op];
      const type = node.outputs[0];
      const [a, b] = node.inputs.slice(0, 2).map((o) => facts.of(region, o));
      if (exact && type && a && b && fits(exact(a, b), type)) {
        const plain = makeSimple(ids.next(), node.op.replace('arith.checked_', 'arith.'), inputs.slice(0, 2), [type]);
        nodes.push(plain);
        subst.set(outOrigin(node.id, 0), outOrigin(plain.id, 0));
        subst.set(outOrigin(node.id, 1), inputs[2] as Origin);
        count.dropped++;
        changed = true;
        continue;
      }
      nodes.push(moved ? freeze({ ...node, inputs: freeze(inputs) }) : node);
      changed ||= moved;
      continue;
    }
    const regions = node.regions.map((r) => rewriteRegion(r, facts, ids, count));
    const inner = regions.some((r, i) => r !== node.regions[i]);
    nodes.push(moved || inner ? (freeze({ ...node, inputs: freeze(inputs), regions: freeze(regions) }) as Node) : node);
    changed ||= moved || inner;
  }
  return changed ? makeRegion(region.arguments, nodes, subst.applyAll(region.results)) : region;
}

/** The exact interval fits the type, with bounds computed exactly (below 2^53 in magnitude). */
function fits(r: Interval, type: Type): boolean {
  const full = ofType(type);
  return !!full && !r.nan && r.lo >= full.lo && r.hi <= full.hi && -exactLimit < r.lo && r.hi < exactLimit;
}

/**
 * The body of a function with loops and i64 parameters, versioned: when
 * each is within ±bigintParamBound, a copy of the body (where the range
 * analysis knows so from the branch's predicate); otherwise the original.
 */
function versioned(lambda: LambdaNode, ids: IdAllocator): LambdaNode | undefined {
  const body = lambda.regions[0];
  const params = body.arguments.map((t, k) => (t === i64 ? k : -1)).filter((k) => k >= 0);
  if (params.length === 0 || !containsTheta(body)) return undefined;
  const nodes: Node[] = [];
  const add = (node: Node): Origin => {
    nodes.push(node);
    return outOrigin(node.id, 0);
  };
  const low = add(makeConst(ids.next(), BigInt(-bigintParamBound), i64));
  const high = add(makeConst(ids.next(), BigInt(bigintParamBound), i64));
  let ok: Origin | undefined;
  for (const k of params) {
    const here = add(
      makeSimple(
        ids.next(),
        'arith.and',
        [
          add(makeSimple(ids.next(), 'arith.ge', [argOrigin(k), low], [bool])),
          add(makeSimple(ids.next(), 'arith.le', [argOrigin(k), high], [bool])),
        ],
        [bool],
      ),
    );
    ok = ok ? add(makeSimple(ids.next(), 'arith.and', [ok, here], [bool])) : here;
  }
  return versionedLambda(lambda, ids, nodes, ok as Origin);
}

/**
 * Replaces BigInt arithmetic checked for 64-bit overflow
 * (`arith.checked_add/sub/mul`) by the plain op where the range analysis
 * proves the result fits: the counter and the sum of a loop over
 * `i < n`. Functions with loops and i64 parameters are versioned on each
 * parameter being within ±2^26, and the copy is kept when it drops more
 * checks than the original; the original body runs otherwise, raising the
 * same RangeError at the same iteration.
 *
 * Requires: verified, typed. Ensures: verified. Preserves: typed,
 * no-js-ops, lowerable.
 */
export const dropOverflowChecks = definePass({
  name: 'drop-overflow-checks',
  description: 'replace 64-bit checked arithmetic proven not to overflow by plain arithmetic',
  requires: [verified, typed],
  ensures: [verified],
  preserves: [typed, noJsOps, lowerable],
  introduces: ['builtin', 'arith'],
  run(module, context) {
    const ids = new IdAllocator(nextNodeId(module));
    const facts = context.analysis(ranges, module);
    const chosen = new Map<number, Node>();
    const plainCounts = new Map<number, number>();
    const dropped = new Map<number, number>();
    for (const node of module.region.nodes) {
      const count = { dropped: 0 };
      const regions = node.regions.map((r) => rewriteRegion(r, facts, ids, count));
      if (count.dropped > 0) {
        chosen.set(node.id, freeze({ ...node, regions: freeze(regions) }) as Node);
        dropped.set(node.id, count.dropped);
      }
      plainCounts.set(node.id, count.dropped);
    }
    const versions = new Map<number, Node>();
    for (const node of module.region.nodes) {
      const body = node.regions[0];
      const v =
        node.kind === 'lambda' && body && hasChecks(body) && !isVersion(body) ? versioned(node, ids) : undefined;
      if (v) versions.set(node.id, v);
    }
    if (versions.size > 0) {
      const versionedModule = withLambdas(module, versions);
      const versionFacts = analyzeRanges(versionedModule);
      for (const node of versionedModule.region.nodes) {
        if (!versions.has(node.id)) continue;
        const count = { dropped: 0 };
        const regions = node.regions.map((r) => rewriteRegion(r, versionFacts, ids, count));
        if (count.dropped > (plainCounts.get(node.id) ?? 0)) {
          chosen.set(node.id, freeze({ ...node, regions: freeze(regions) }) as Node);
          dropped.set(node.id, count.dropped);
          context.count('functions-versioned');
        }
      }
    }
    if (chosen.size === 0) return module;
    context.count(
      'checks-dropped',
      [...dropped.values()].reduce((a, b) => a + b, 0),
    );
    return withLambdas(module, chosen);
  },
});

/** A body this pass versioned already: its results come from a gamma, next to the constant -2^26 of the test. */
function isVersion(body: Region): boolean {
  const first = body.results[0];
  const gamma = first?.kind === 'out' ? body.nodes.find((n) => n.id === first.node) : undefined;
  return (
    gamma?.kind === 'gamma' &&
    body.nodes.some(
      (n) =>
        n.kind === 'simple' &&
        n.op === 'const' &&
        n.outputs[0] === i64 &&
        n.attrs['value'] === BigInt(-bigintParamBound),
    )
  );
}

function hasChecks(region: Region): boolean {
  return region.nodes.some((n) => (n.kind === 'simple' && n.op in checkedArithmetic) || n.regions.some(hasChecks));
}
