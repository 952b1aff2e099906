import {
  argOrigin,
  ctrl,
  isFreezing,
  type GammaNode,
  type LambdaNode,
  outOrigin,
  type Module,
  type Node,
  type Origin,
  type Region,
  type SimpleNode,
  type Type,
  type IRValue,
} from '@rvsdg/ir';
import type { IdAllocator } from './ir.js';

export function freeze<T>(value: T): T {
  return isFreezing() ? Object.freeze(value) : value;
}

/** `node` with new inputs, or `node` itself when they are the same origins. */
export function withInputs<N extends Node>(node: N, inputs: readonly Origin[]): N {
  if (inputs.length === node.inputs.length && inputs.every((o, i) => o === node.inputs[i])) return node;
  return freeze({ ...node, inputs: freeze([...inputs]) });
}

/** `node` with new regions, or `node` itself when they are the same objects. */
export function withRegions<N extends Node>(node: N, regions: readonly Region[]): N {
  if (regions.length === node.regions.length && regions.every((r, i) => r === node.regions[i])) return node;
  return freeze({ ...node, regions: freeze([...regions]) });
}

export function makeRegion(args: readonly Type[], nodes: readonly Node[], results: readonly Origin[]): Region {
  return freeze({ arguments: args, nodes: freeze([...nodes]), results: freeze([...results]) });
}

export function makeConst(id: number, value: IRValue, type: Type): SimpleNode {
  return makeSimple(id, 'const', [], [type], { value: value as number | bigint | boolean, type });
}

export function makeSimple(
  id: number,
  op: string,
  inputs: readonly Origin[],
  outputs: readonly Type[],
  attrs: SimpleNode['attrs'] = {},
): SimpleNode {
  return freeze({
    kind: 'simple',
    id,
    op,
    attrs: freeze({ ...attrs }),
    inputs: freeze([...inputs]),
    outputs: freeze([...outputs]),
    regions: freeze([]) as [],
  });
}

/** Maps origins through a substitution table (numeric keys: no strings built per lookup). */
export class Substitution {
  readonly #args = new Map<number, Origin>();
  readonly #outs = new Map<number, Origin[]>();
  #size = 0;
  get size(): number {
    return this.#size;
  }
  set(from: Origin, to: Origin): void {
    this.#size++;
    if (from.kind === 'arg') {
      this.#args.set(from.index, to);
      return;
    }
    let outs = this.#outs.get(from.node);
    if (!outs) {
      outs = [];
      this.#outs.set(from.node, outs);
    }
    outs[from.index] = to;
  }
  apply(origin: Origin): Origin {
    if (this.#size === 0) return origin;
    if (origin.kind === 'arg') return this.#args.get(origin.index) ?? origin;
    return this.#outs.get(origin.node)?.[origin.index] ?? origin;
  }
  applyAll(origins: readonly Origin[]): Origin[] {
    return origins.map((o) => this.apply(o));
  }
}

/**
 * Copies the nodes of `region` into another region with fresh ids: the
 * region's arguments become `args` (origins in the target region). Nested
 * regions are copied with fresh ids too, so the copy can live next to the
 * original. Returns the copied nodes and where the region's results went.
 */
export function cloneNodes(
  region: Region,
  args: readonly Origin[],
  ids: IdAllocator,
): { nodes: Node[]; results: Origin[] } {
  const rename = new Map<number, number>();
  const map = (o: Origin): Origin => {
    if (o.kind === 'arg') {
      const target = args[o.index];
      if (!target) throw new Error(`clone: argument ${o.index} has no replacement`);
      return target;
    }
    const id = rename.get(o.node);
    if (id === undefined) throw new Error(`clone: node ${o.node} is not defined before its use`);
    return outOrigin(id, o.index);
  };
  const nodes: Node[] = [];
  for (const node of region.nodes) {
    const id = ids.next();
    rename.set(node.id, id);
    const regions = node.regions.map((inner) => cloneRegion(inner, ids));
    nodes.push(freeze({ ...node, id, inputs: freeze(node.inputs.map(map)), regions: freeze(regions) }) as Node);
  }
  return { nodes, results: region.results.map(map) };
}

/** A copy of a region with fresh node ids throughout. */
export function cloneRegion(region: Region, ids: IdAllocator): Region {
  const { nodes, results } = cloneNodes(
    region,
    region.arguments.map((_, i) => argOrigin(i)),
    ids,
  );
  return makeRegion(region.arguments, nodes, results);
}

/** `module` with the top-level nodes of `lambdas` (by id) in place of its own. */
export function withLambdas(module: Module, lambdas: ReadonlyMap<number, Node>): Module {
  const nodes = module.region.nodes.map((n) => lambdas.get(n.id) ?? n);
  return freeze({ ...module, region: makeRegion(module.region.arguments, nodes, module.region.results) });
}

/**
 * `lambda` with its body behind a run-time test: the nodes `test` (over the
 * body's arguments) compute the bool `ok`; a gamma runs the body as it is
 * when `ok` is false and a copy of it when true. The gamma also passes
 * `extra` values of the test into both branches, after the body's
 * arguments; `fastArgs` makes, from those, the nodes the copy starts with
 * and the arguments it reads in place of the body's own (by default the
 * body's own).
 */
export function versionedLambda(
  lambda: LambdaNode,
  ids: IdAllocator,
  test: readonly Node[],
  ok: Origin,
  extra: readonly { origin: Origin; type: Type }[] = [],
  fastArgs?: (extraArgs: Origin[]) => { nodes: Node[]; args: Origin[] },
): LambdaNode {
  const body = lambda.regions[0];
  const n = body.arguments.length;
  const argTypes = [...body.arguments, ...extra.map((e) => e.type)];
  const pred = makeSimple(ids.next(), 'match', [ok], [ctrl(2)], { alternatives: 2 });
  const slow = makeRegion(argTypes, body.nodes, body.results);
  const prelude = fastArgs?.(extra.map((_, j) => argOrigin(n + j))) ?? {
    nodes: [],
    args: body.arguments.map((_, k) => argOrigin(k)),
  };
  const copy = cloneNodes(body, prelude.args, ids);
  const fast = makeRegion(argTypes, [...prelude.nodes, ...copy.nodes], copy.results);
  const gamma: GammaNode = freeze({
    kind: 'gamma',
    id: ids.next(),
    inputs: freeze([
      outOrigin(pred.id, 0),
      ...body.arguments.map((_, k) => argOrigin(k)),
      ...extra.map((e) => e.origin),
    ]),
    regions: freeze([slow, fast]),
    outputs: freeze([...lambda.type.results]),
  });
  const region = makeRegion(
    body.arguments,
    [...test, pred, gamma],
    lambda.type.results.map((_, i) => outOrigin(gamma.id, i)),
  );
  return freeze({ ...lambda, regions: freeze([region]) as LambdaNode['regions'] });
}
