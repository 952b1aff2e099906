import {
  mapRegions,
  nextNodeId,
  outOrigin,
  typeToString,
  type Attrs,
  type IRValue,
  type Node,
  type OpRegistry,
  type Origin,
  type Region,
  type SimpleNode,
  type Type,
} from '@rvsdg/ir';
import { verified } from '../conditions/verified.js';
import type { Condition } from '../manager/condition.js';
import type { PassContext } from '../manager/context.js';
import { definePass, type Pass } from '../manager/pass.js';
import { makeConst, makeRegion, makeSimple, Substitution, withInputs } from '../util/build.js';
import { knownValue } from '../util/constants.js';
import { IdAllocator } from '../util/ir.js';

/**
 * What a pattern sees of the region around the node it is offered, and how
 * it rewrites the node: build new nodes with `op`/`constant`, then `replace`
 * the node's outputs with origins. A pattern that does not call `replace`
 * changes nothing, whatever it built.
 */
export interface Rewriter {
  /** The ops of the module, for `constantValue` and the patterns' own lookups. */
  readonly registry: OpRegistry;
  /** The running pass's context: options, `count`, `report`. */
  readonly context: PassContext;
  /** The type of an origin of the region. */
  typeOf(origin: Origin): Type;
  /** The node producing `origin`, undefined for a region argument. */
  producer(origin: Origin): Node | undefined;
  /**
   * The compile-time value of `origin` whatever form the constant takes:
   * `const 2`, `arith.neg` of `const -2`, `arith.convert` of `const 2 : i32`,
   * or any pure op of the registry applied to constants (see `constantValue`).
   * Numbers are i32/f64 values, bigints i64, booleans bool.
   */
  constantValue(origin: Origin): IRValue | undefined;
  /**
   * Whether `origin` is the constant `value` in any form (see `constantValue`):
   * `isConstant(o, 2)` holds for an i32 2, an f64 2.0 and an i64 2n alike.
   * Floats compare with `Object.is`, so 0 does not match -0.
   */
  isConstant(origin: Origin, value: number | bigint | boolean): boolean;
  /** A new simple node of `op` before the matched node; returns its outputs. */
  op(op: string, inputs: readonly Origin[], results: readonly Type[], attrs?: Attrs): Origin[];
  /** A new `const` node; returns its output. */
  constant(value: IRValue, type: Type): Origin;
  /** Replaces every use of the matched node's outputs, in order; the node goes. */
  replace(...outputs: Origin[]): void;
}

/** Offered each simple node of its op, with inputs already rewritten; rewrites through `rewriter`. */
export type Pattern = (node: SimpleNode, rewriter: Rewriter) => void;

export interface PatternPassDefinition {
  readonly name: string;
  readonly description: string;
  /** Patterns by op name; where several are given for one op, the first that replaces wins. */
  readonly patterns: Readonly<Record<string, Pattern | readonly Pattern[]>>;
  /** Default `[verified]`. */
  readonly requires?: readonly Condition[];
  /** Default `[verified]`. */
  readonly ensures?: readonly Condition[];
  /** Conditions the patterns cannot break (default none). */
  readonly preserves?: readonly Condition[];
  /** The dialects of the ops the patterns create (see `Pass.introduces`); default: any. */
  readonly introduces?: readonly string[];
  /** Sweeps over one region before giving up on patterns that undo each other (default 100). */
  readonly maxSweeps?: number;
}

/**
 * A peephole pass from patterns keyed by op (xDSL's `RewritePattern`). Every
 * region, nested ones included, is swept in order; each simple node whose op
 * has patterns is offered to them with its inputs rewritten. Sweeps repeat
 * until no pattern fires, so the nodes a pattern builds are offered too. The
 * pass returns its input when nothing fired. Nodes left unused by a rewrite
 * (such as the constant of `x * 2`) stay for `dne`.
 */
export function definePatternPass(definition: PatternPassDefinition): Pass {
  const patterns = new Map<string, readonly Pattern[]>();
  for (const [op, entry] of Object.entries(definition.patterns)) {
    patterns.set(op, typeof entry === 'function' ? [entry] : [...entry]);
  }
  const maxSweeps = definition.maxSweeps ?? 100;
  return definePass({
    name: definition.name,
    description: definition.description,
    requires: definition.requires ?? [verified],
    ensures: definition.ensures ?? [verified],
    preserves: definition.preserves ?? [],
    ...(definition.introduces ? { introduces: definition.introduces } : {}),
    run(module, context) {
      const ids = new IdAllocator(nextNodeId(module));
      return mapRegions(module, (region) => {
        let current = region;
        for (let sweep = 0; ; sweep++) {
          const next = sweepRegion(current, patterns, ids, context, definition.name);
          if (next === current) return current;
          if (sweep + 1 >= maxSweeps) {
            throw new Error(
              `pattern pass '${definition.name}' still rewrote a region after ${maxSweeps} sweeps: do two patterns undo each other?`,
            );
          }
          current = next;
        }
      });
    },
  });
}

/** One sweep over the nodes of `region`; the region itself when no pattern fired. */
function sweepRegion(
  region: Region,
  patterns: ReadonlyMap<string, readonly Pattern[]>,
  ids: IdAllocator,
  context: PassContext,
  passName: string,
): Region {
  const substitution = new Substitution();
  const producers = new Map<number, Node>();
  const nodes: Node[] = [];
  const typeOf = (origin: Origin): Type | undefined =>
    origin.kind === 'arg' ? region.arguments[origin.index] : producers.get(origin.node)?.outputs[origin.index];
  const emit = (node: Node): void => {
    producers.set(node.id, node);
    nodes.push(node);
  };
  let fired = false;
  for (const original of region.nodes) {
    const node = withInputs(original, substitution.applyAll(original.inputs));
    const offered = node.kind === 'simple' ? patterns.get(node.op) : undefined;
    const replacement = offered && rewriteNode(node as SimpleNode, offered, typeOf, producers, context, ids, passName);
    if (!replacement) {
      emit(node);
      continue;
    }
    fired = true;
    context.count('rewrites');
    for (const built of replacement.built) emit(built);
    node.outputs.forEach((_, k) => substitution.set(outOrigin(node.id, k), replacement.outputs[k] as Origin));
  }
  if (!fired) return region;
  return makeRegion(region.arguments, nodes, substitution.applyAll(region.results));
}

function rewriteNode(
  node: SimpleNode,
  offered: readonly Pattern[],
  typeOf: (origin: Origin) => Type | undefined,
  producers: Map<number, Node>,
  context: PassContext,
  ids: IdAllocator,
  passName: string,
): { built: Node[]; outputs: readonly Origin[] } | undefined {
  for (const pattern of offered) {
    const built: Node[] = [];
    let outputs: readonly Origin[] | undefined;
    const known = (origin: Origin): Type => {
      const type =
        typeOf(origin) ?? built.find((b) => origin.kind === 'out' && b.id === origin.node)?.outputs[origin.index];
      if (!type)
        throw new Error(`pattern of pass '${passName}' on ${node.op} %${node.id}: no value ${show(origin)} here`);
      return type;
    };
    const rewriter: Rewriter = {
      registry: context.registry,
      context,
      typeOf: known,
      producer: (origin) =>
        origin.kind === 'out' ? (producers.get(origin.node) ?? built.find((b) => b.id === origin.node)) : undefined,
      constantValue: (origin) => knownValue(origin, producers, context.registry, typeOf),
      isConstant: (origin, value) => sameConstant(knownValue(origin, producers, context.registry, typeOf), value),
      op: (op, inputs, results, attrs) => {
        inputs.forEach(known);
        const made = makeSimple(ids.next(), op, inputs, results, attrs);
        built.push(made);
        return results.map((_, k) => outOrigin(made.id, k));
      },
      constant: (value, type) => {
        const made = makeConst(ids.next(), value, type);
        built.push(made);
        return outOrigin(made.id, 0);
      },
      replace: (...replacements) => {
        if (outputs) throw new Error(`pattern of pass '${passName}' replaced ${node.op} %${node.id} twice`);
        if (replacements.length !== node.outputs.length) {
          throw new Error(
            `pattern of pass '${passName}' replaced the ${node.outputs.length} output(s) of ${node.op} %${node.id} with ${replacements.length} value(s)`,
          );
        }
        replacements.forEach((origin, k) => {
          if (origin.kind === 'out' && origin.node === node.id) {
            throw new Error(`pattern of pass '${passName}' replaced ${node.op} %${node.id} with its own output`);
          }
          const want = typeToString(node.outputs[k] as Type);
          const got = typeToString(known(origin));
          if (want !== got) {
            throw new Error(
              `pattern of pass '${passName}' replaced output ${k} of ${node.op} %${node.id} (${want}) with a ${got}`,
            );
          }
        });
        outputs = replacements;
      },
    };
    pattern(node, rewriter);
    if (outputs) return { built, outputs };
  }
  return undefined;
}

/** Whether a compile-time value is `wanted`, comparing numbers and bigints by value. */
export function sameConstant(value: IRValue | undefined, wanted: number | bigint | boolean): boolean {
  if (typeof value === 'boolean' || typeof wanted === 'boolean') return value === wanted;
  if (typeof value === 'number' && typeof wanted === 'number') return Object.is(value, wanted);
  if (typeof value === 'bigint' && typeof wanted === 'bigint') return value === wanted;
  if (typeof value === 'bigint' && typeof wanted === 'number')
    return Number.isInteger(wanted) && value === BigInt(wanted);
  if (typeof value === 'number' && typeof wanted === 'bigint')
    return Number.isInteger(value) && BigInt(value) === wanted;
  return false;
}

function show(origin: Origin): string {
  return origin.kind === 'arg' ? `argument ${origin.index}` : `%${origin.node}.${origin.index}`;
}
