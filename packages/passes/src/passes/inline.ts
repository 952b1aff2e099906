import { nextNodeId, outOrigin, withRootRegion, type LambdaNode, type Node, type Origin, type Region } from '@rvsdg/ir';
import { lowerable } from '../conditions/lowerable.js';
import { noJsOps } from '../conditions/no-js-ops.js';
import { typed } from '../conditions/typed.js';
import { verified } from '../conditions/verified.js';
import type { PassContext } from '../manager/context.js';
import { definePass } from '../manager/pass.js';
import { cloneNodes, makeRegion, Substitution, withInputs, withRegions } from '../util/build.js';
import { countNodesIn, IdAllocator, originKey } from '../util/ir.js';
import { isInvariant } from './simplify-theta.js';

/** A function known at a point of the program: its lambda, and where its context values are available there. */
interface KnownFunction {
  readonly lambda: LambdaNode;
  /** Origins in the current region holding the lambda's context values; undefined when some are not available. */
  readonly context: readonly Origin[] | undefined;
}

export interface InlineOptions extends Record<string, number | boolean | string> {
  readonly maxSize: number;
}

/** For each argument of each region of `node`, the origin in the enclosing region it carries unchanged. */
function carriedValues(node: Node): (Origin | undefined)[][] {
  switch (node.kind) {
    case 'gamma':
      return node.regions.map(() => node.inputs.slice(1));
    case 'theta':
      return [node.inputs.map((o, i) => (isInvariant(node, i) ? o : undefined))];
    case 'lambda':
      return [[...node.type.params.map(() => undefined), ...node.inputs]];
    case 'delta':
      return [[...node.inputs]];
    case 'phi':
      return [[...node.outputs.map(() => undefined), ...node.inputs]];
    case 'simple':
      return [];
  }
}

class Inliner {
  constructor(
    readonly ids: IdAllocator,
    readonly context: PassContext<InlineOptions>,
  ) {}

  region(region: Region, known: Map<string, KnownFunction>): Region {
    const subst = new Substitution();
    const nodes: Node[] = [];
    let changed = false;
    for (const original of region.nodes) {
      let node = withInputs(original, subst.applyAll(original.inputs));
      if (node.kind === 'simple' && node.op === 'call') {
        const callee = known.get(originKey(node.inputs[0] as Origin));
        if (callee?.context && countNodesIn(callee.lambda.regions[0]) <= this.context.options.maxSize) {
          const copy = cloneNodes(callee.lambda.regions[0], [...node.inputs.slice(1), ...callee.context], this.ids);
          nodes.push(...copy.nodes);
          copy.results.forEach((r, i) => subst.set(outOrigin(node.id, i), r));
          this.context.count('calls-inlined');
          changed = true;
          continue;
        }
      }
      if (node.regions.length > 0) {
        const carried = carriedValues(node);
        node = withRegions(
          node,
          node.regions.map((r, k) => this.region(r, this.enter(known, carried[k] ?? []))),
        );
      }
      if (node.kind === 'lambda') known.set(`${node.id}.0`, { lambda: node, context: node.inputs });
      if (node !== original) changed = true;
      nodes.push(node);
    }
    const results = subst.applyAll(region.results);
    if (!changed) return region;
    return makeRegion(region.arguments, nodes, results);
  }

  /** The functions known inside a region whose arguments carry `carried` values of the enclosing region. */
  enter(
    outer: ReadonlyMap<string, KnownFunction>,
    carried: readonly (Origin | undefined)[],
  ): Map<string, KnownFunction> {
    const inner = new Map<string, KnownFunction>();
    if (outer.size === 0) return inner;
    const argOf = new Map<string, number>();
    carried.forEach((o, i) => {
      if (o && !argOf.has(originKey(o))) argOf.set(originKey(o), i);
    });
    carried.forEach((o, i) => {
      const fn = o && outer.get(originKey(o));
      if (!fn) return;
      let context: Origin[] | undefined = [];
      for (const c of fn.context ?? []) {
        const arg = argOf.get(originKey(c));
        if (arg === undefined) {
          context = undefined;
          break;
        }
        context.push({ kind: 'arg', index: arg });
      }
      inner.set(`a${i}`, { lambda: fn.lambda, context: fn.context ? context : undefined });
    });
    return inner;
  }
}

/**
 * Inlining: a call whose callee is a known lambda (defined in the same
 * region, or passed in unchanged through gamma entry variables, invariant
 * loop variables or context variables) is replaced by a copy of the
 * lambda's body with fresh node ids, when the body has at most `maxSize`
 * nodes and the lambda's context values are available at the call.
 * Recursive functions (reached through phi recursion variables) are never
 * inlined. One level per run: calls inside inlined bodies stay.
 *
 * Requires: verified. Ensures: verified. Preserves: typed, no-js-ops,
 * lowerable. Leaves lambdas without remaining callers (run `dne` after).
 */
export const inline = definePass<InlineOptions>({
  name: 'inline',
  description: 'inline calls of known, small, non-recursive functions',
  requires: [verified],
  ensures: [verified],
  preserves: [typed, noJsOps, lowerable],
  introduces: [],
  options: { maxSize: 50 },
  optionDocs: { maxSize: 'largest callee body (in nodes, nested ones included) to inline' },
  run(module, context) {
    const inliner = new Inliner(new IdAllocator(nextNodeId(module)), context);
    return withRootRegion(module, inliner.region(module.region, new Map()));
  },
});
