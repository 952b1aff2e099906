import { type GammaNode, type Node, type Origin, type Region, type SimpleNode } from '@rvsdg/ir';
import { ranges, type RangeFacts } from '../analysis/ranges.js';
import { lowerable } from '../conditions/lowerable.js';
import { noJsOps } from '../conditions/no-js-ops.js';
import { typed } from '../conditions/typed.js';
import { verified } from '../conditions/verified.js';
import { definePass } from '../manager/pass.js';
import { freeze, makeRegion } from '../util/build.js';
import { originKey } from '../util/ir.js';

/** What is known of a value symbolically: the array it is, the array whose length it is, arrays it is below the length of. */
interface Symbolic {
  readonly array?: string;
  readonly lengthOf?: string;
  readonly below?: ReadonlySet<string>;
}

const orderings: Record<string, 'lt' | 'gt' | undefined> = { 'arith.lt': 'lt', 'arith.gt': 'gt' };

/**
 * Marks `array.load` and `array.store` whose index is provably in range
 * `inbounds`, so the backend leaves out their check: the index is at least
 * 0 (range analysis) and below the length of the same array, known from a
 * guard `i < a.length` (or `a.length > i`) of the branch the access is in,
 * with the length read from that array (through conversions and
 * loop-invariant variables). The interpreter still checks, so a wrong
 * proof would show as a difference in the native tests.
 *
 * Requires: verified, typed. Ensures: verified. Preserves: typed,
 * no-js-ops, lowerable.
 */
export const dropBoundsChecks = definePass({
  name: 'drop-bounds-checks',
  description: 'mark array accesses whose index is proven in range as inbounds (no check)',
  requires: [verified, typed],
  ensures: [verified],
  preserves: [typed, noJsOps, lowerable],
  introduces: ['builtin', 'arith', 'array'],
  run(module, context) {
    const facts = context.analysis(ranges, module);
    let dropped = 0;
    let fresh = 0;
    const visit = (region: Region, args: readonly Symbolic[]): Region => {
      const local = new Map<string, Symbolic>();
      args.forEach((s, i) => local.set(`a${i}`, s));
      const at = (o: Origin): Symbolic => local.get(originKey(o)) ?? {};
      const producers = new Map<number, Node>();
      let changed = false;
      const nodes = region.nodes.map((node) => {
        producers.set(node.id, node);
        let next: Node = node;
        if (node.kind === 'simple') {
          next = access(node, region, at, facts);
          if (next !== node) dropped++;
          const s = symbolicOf(node, at);
          if (s) local.set(`${node.id}.0`, s);
        } else if (node.kind === 'gamma') {
          const entries = node.inputs.slice(1);
          const below = guardFacts(node, producers, at);
          const regions = node.regions.map((r, b) =>
            visit(
              r,
              entries.map((o) => {
                const s = at(o);
                const extra = b === 1 ? below.get(originKey(o)) : undefined;
                return extra ? { ...s, below: new Set([...(s.below ?? []), ...extra]) } : s;
              }),
            ),
          );
          if (regions.some((r, i) => r !== node.regions[i])) next = freeze({ ...node, regions: freeze(regions) });
        } else if (node.kind === 'theta') {
          const body = node.regions[0];
          // Only loop-invariant variables keep what is known of them.
          const args = node.inputs.map((o, k) => (body.results[k + 1] === argAt(body, k) ? at(o) : {}));
          const r = visit(body, args);
          if (r !== body) next = freeze({ ...node, regions: freeze([r]) }) as Node;
        } else {
          const regions = node.regions.map((r) =>
            visit(
              r,
              r.arguments.map((t) => (t.kind === 'array' ? { array: `fresh${fresh++}` } : {})),
            ),
          );
          if (regions.some((r, i) => r !== node.regions[i]))
            next = freeze({ ...node, regions: freeze(regions) }) as unknown as Node;
        }
        node.outputs.forEach((t, i) => {
          if (t.kind === 'array' && !local.has(`${node.id}.${i}`))
            local.set(`${node.id}.${i}`, { array: `${node.id}.${i}` });
        });
        if (next !== node) changed = true;
        return next;
      });
      return changed ? makeRegion(region.arguments, nodes, region.results) : region;
    };
    const root = visit(
      module.region,
      module.region.arguments.map(() => ({})),
    );
    context.count('bounds-checks-dropped', dropped);
    return root === module.region ? module : freeze({ ...module, region: root });
  },
});

function argAt(body: Region, k: number): Origin | undefined {
  const r = body.results[k + 1];
  return r?.kind === 'arg' && r.index === k ? r : undefined;
}

/** Lengths keep their array through conversions (a length is below 2^53, so exact in every numeric type). */
function symbolicOf(node: SimpleNode, at: (o: Origin) => Symbolic): Symbolic | undefined {
  const x = node.inputs[0];
  if (node.op === 'array.length' && x) {
    const a = at(x).array;
    return a ? { lengthOf: a } : undefined;
  }
  if (node.op === 'arith.convert' && x && at(x).lengthOf) {
    const t = node.outputs[0];
    if (t?.kind === 'float' && t.bits === 64) return { lengthOf: at(x).lengthOf };
    if (t?.kind === 'int' && t.bits === 64) return { lengthOf: at(x).lengthOf };
  }
  return undefined;
}

/** For branch 1 of a gamma on `match(i < len)`: the entry origins known below an array's length. */
function guardFacts(
  node: GammaNode,
  producers: ReadonlyMap<number, Node>,
  at: (o: Origin) => Symbolic,
): Map<string, Set<string>> {
  const out = new Map<string, Set<string>>();
  const p = node.inputs[0] as Origin;
  const m = p.kind === 'out' ? producers.get(p.node) : undefined;
  if (m?.kind !== 'simple' || m.op !== 'match' || node.regions.length !== 2) return out;
  const collect = (o: Origin): void => {
    const n = o.kind === 'out' ? producers.get(o.node) : undefined;
    if (n?.kind !== 'simple' || n.outputs[0]?.kind !== 'bool') return;
    if (n.op === 'arith.and') n.inputs.forEach(collect);
    const dir = orderings[n.op];
    if (!dir) return;
    const [a, b] = n.inputs as [Origin, Origin];
    const [x, len] = dir === 'lt' ? [a, b] : [b, a];
    const array = at(len).lengthOf;
    if (!array) return;
    const set = out.get(originKey(x)) ?? new Set<string>();
    set.add(array);
    out.set(originKey(x), set);
  };
  collect(m.inputs[0] as Origin);
  return out;
}

/** The access marked inbounds when its index is at least 0 and below its array's length. */
function access(node: SimpleNode, region: Region, at: (o: Origin) => Symbolic, facts: RangeFacts): Node {
  if ((node.op !== 'array.load' && node.op !== 'array.store') || node.attrs['inbounds'] === true) return node;
  const [array, index] = node.inputs as [Origin, Origin];
  const a = at(array).array;
  const r = facts.of(region, index);
  if (!a || !r || r.nan || r.lo < 0 || !at(index).below?.has(a)) return node;
  return freeze({ ...node, attrs: freeze({ ...node.attrs, inbounds: true }) });
}
