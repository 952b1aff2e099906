import type { Module } from '../nodes/module.js';
import type { Node } from '../nodes/node.js';
import type { Origin } from '../nodes/origin.js';
import type { Region } from '../nodes/region.js';
import { defaultRegistry } from '../ops/default-registry.js';
import type { AttrKind, OpDef } from '../ops/op.js';
import type { OpRegistry } from '../ops/registry.js';
import {
  array,
  bool,
  ctrl,
  float,
  fn,
  int,
  io,
  maxTypeNesting,
  isScalar,
  mem,
  tuple,
  typeToString,
  unknown,
  type FunctionType,
  type Type,
} from '../types/type.js';
import { stronglyConnectedComponents } from '../graph/scc.js';

/** Every rule the verifier checks; each diagnostic names exactly one. */
export const verifierRules = [
  'malformed',
  'invalid-type',
  'module-layout',
  'duplicate-node-id',
  'duplicate-name',
  'dangling-origin',
  'node-order',
  'cycle',
  'unknown-op',
  'attribute',
  'op-typing',
  'port-count',
  'port-type',
  'predicate-type',
  'state-threading',
] as const;

export type VerifierRule = (typeof verifierRules)[number];

export interface Diagnostic {
  /** The node the problem is about; absent for module-level problems. */
  readonly nodeId?: number;
  readonly rule: VerifierRule;
  readonly message: string;
  /** Where the problem is, e.g. `lambda "fact" (node 3) region 0 > theta (node 7) region 0 > arith.add (node 5)`. */
  readonly path: string;
}

export interface VerifyOptions {
  /** Where simple nodes' ops are looked up; the default registry unless given. */
  readonly registry?: OpRegistry;
}

/** Thrown by `assertValid`; carries every diagnostic. */
export class VerificationError extends Error {
  constructor(readonly diagnostics: readonly Diagnostic[]) {
    const shown = diagnostics.slice(0, 10).map((d) => `  ${formatDiagnostic(d)}`);
    const more = diagnostics.length > shown.length ? [`  ... and ${diagnostics.length - shown.length} more`] : [];
    super([`module does not verify (${diagnostics.length} problem(s)):`, ...shown, ...more].join('\n'));
    this.name = 'VerificationError';
  }
}

export function formatDiagnostic(diagnostic: Diagnostic): string {
  return `${diagnostic.path}: ${diagnostic.message} [${diagnostic.rule}]`;
}

/**
 * Checks every structural rule of the IR and returns one diagnostic per
 * broken rule instance (empty when the module is valid). It never throws,
 * whatever it is given, and runs in time linear in the size of the module.
 */
export function verify(module: Module, options: VerifyOptions = {}): Diagnostic[] {
  const verifier = new Verifier(options.registry ?? defaultRegistry);
  try {
    verifier.run(module as unknown);
  } catch (error) {
    verifier.report('malformed', `the verifier could not inspect the module: ${errorText(error)}`, 'module');
  }
  return verifier.diagnostics;
}

/** Throws a VerificationError listing every diagnostic when the module does not verify. */
export function assertValid(module: Module, options: VerifyOptions = {}): void {
  const diagnostics = verify(module, options);
  if (diagnostics.length > 0) throw new VerificationError(diagnostics);
}

// ---------------------------------------------------------------------------
// Inputs are treated as untrusted data: every field is checked before use.

type Loose = Record<string, unknown>;

function isObject(value: unknown): value is Loose {
  return typeof value === 'object' && value !== null;
}

function errorText(error: unknown): string {
  try {
    return error instanceof Error ? error.message : String(error);
  } catch {
    return 'unprintable error';
  }
}

/** A short, never-throwing rendering of an arbitrary value for messages. */
function show(value: unknown): string {
  try {
    if (typeof value === 'string') return JSON.stringify(value.length > 40 ? `${value.slice(0, 40)}...` : value);
    if (typeof value === 'bigint') return `${value}n`;
    if (Array.isArray(value)) return `an array of length ${value.length}`;
    if (isObject(value)) return 'kind' in value ? `an object of kind ${show(value['kind'])}` : 'an object';
    return String(value);
  } catch {
    return 'an unprintable value';
  }
}

const validTypes = new WeakSet<object>();
const intBits = new Set([8, 16, 32, 64]);

/** The interned type structurally equal to `value`, or undefined when `value` is not shaped like a type. */
function canonicalType(value: unknown, depth: number): Type | undefined {
  if (!isObject(value) || depth > maxTypeNesting) return undefined;
  const sub = (t: unknown): Type | undefined => (isValidTypeAt(t, depth + 1) ? t : undefined);
  const list = (ts: unknown): Type[] | undefined => {
    if (!Array.isArray(ts)) return undefined;
    const out: Type[] = [];
    for (const t of ts) {
      const c = sub(t);
      if (!c) return undefined;
      out.push(c);
    }
    return out;
  };
  switch (value['kind']) {
    case 'bool':
      return bool;
    case 'int': {
      const bits = value['bits'];
      const signed = value['signed'];
      if (typeof bits !== 'number' || !intBits.has(bits) || typeof signed !== 'boolean') return undefined;
      return int(bits as 8, signed);
    }
    case 'float':
      return value['bits'] === 32 || value['bits'] === 64 ? float(value['bits']) : undefined;
    case 'array': {
      const element = sub(value['element']);
      const rank = value['rank'];
      const layout = value['layout'];
      const clamped = value['clamped'];
      if (!element || !isScalar(element) || typeof rank !== 'number' || !Number.isInteger(rank) || rank < 1) {
        return undefined;
      }
      if ((layout !== 'C' && layout !== 'F' && layout !== 'A') || typeof clamped !== 'boolean') return undefined;
      if (clamped && element !== int(8, false)) return undefined;
      return array(element, { rank, layout, clamped });
    }
    case 'tuple': {
      const elements = list(value['elements']);
      return elements && tuple(elements);
    }
    case 'fn': {
      const params = list(value['params']);
      const results = list(value['results']);
      return params && results && fn(params, results);
    }
    case 'ctrl': {
      const n = value['alternatives'];
      return typeof n === 'number' && Number.isInteger(n) && n >= 1 ? ctrl(n) : undefined;
    }
    case 'state':
      return value['state'] === 'mem' ? mem : value['state'] === 'io' ? io : undefined;
    case 'unknown':
      return unknown;
    default:
      return undefined;
  }
}

function isValidTypeAt(value: unknown, depth: number): value is Type {
  if (!isObject(value)) return false;
  if (validTypes.has(value)) return true;
  let ok: boolean;
  try {
    // Types are compared by identity everywhere, so a structurally right but
    // uninterned copy is as wrong as garbage.
    ok = (canonicalType(value, depth) as unknown) === value;
  } catch {
    ok = false;
  }
  if (ok) validTypes.add(value);
  return ok;
}

function isValidType(value: unknown): value is Type {
  return isValidTypeAt(value, 0);
}

function typeText(type: unknown): string {
  return isValidType(type) ? typeToString(type) : '<invalid type>';
}

function typesText(types: readonly unknown[]): string {
  return `(${types.map(typeText).join(', ')})`;
}

function isOrigin(value: unknown): value is Origin {
  if (!isObject(value)) return false;
  const index = value['index'];
  if (typeof index !== 'number' || !Number.isSafeInteger(index) || index < 0) return false;
  if (value['kind'] === 'arg') return true;
  return value['kind'] === 'out' && typeof value['node'] === 'number' && Number.isSafeInteger(value['node']);
}

function originText(origin: Origin): string {
  return origin.kind === 'arg' ? `%a${origin.index}` : `%${origin.node}.${origin.index}`;
}

function isRegion(value: unknown): value is Region {
  return (
    isObject(value) &&
    Array.isArray(value['arguments']) &&
    Array.isArray(value['nodes']) &&
    Array.isArray(value['results'])
  );
}

const nodeKinds = new Set(['simple', 'gamma', 'theta', 'lambda', 'delta', 'phi']);

/** What makes `raw` not shaped like a node, or undefined when it is (the common case allocates nothing). */
function nodeProblems(raw: Loose): string[] | undefined {
  const kind = raw['kind'];
  const inputs = raw['inputs'];
  const outputs = raw['outputs'];
  const regions = raw['regions'];
  const loc = raw['loc'];
  const simple = kind === 'simple';
  const named = kind === 'lambda' || kind === 'delta';
  if (
    typeof kind === 'string' &&
    nodeKinds.has(kind) &&
    Array.isArray(inputs) &&
    Array.isArray(outputs) &&
    Array.isArray(regions) &&
    (!simple || (typeof raw['op'] === 'string' && isObject(raw['attrs']))) &&
    (!named || typeof raw['name'] === 'string') &&
    (loc === undefined || (isObject(loc) && typeof loc['line'] === 'number' && typeof loc['column'] === 'number'))
  ) {
    return undefined;
  }
  const problems: string[] = [];
  if (typeof kind !== 'string' || !nodeKinds.has(kind)) problems.push(`unknown node kind ${show(kind)}`);
  for (const [field, value] of [
    ['inputs', inputs],
    ['outputs', outputs],
    ['regions', regions],
  ] as const) {
    if (!Array.isArray(value)) problems.push(`'${field}' must be an array, got ${show(value)}`);
  }
  if (simple && typeof raw['op'] !== 'string') problems.push(`'op' must be a string, got ${show(raw['op'])}`);
  if (simple && !isObject(raw['attrs'])) problems.push(`'attrs' must be an object, got ${show(raw['attrs'])}`);
  if (named && typeof raw['name'] !== 'string') problems.push(`'name' must be a string, got ${show(raw['name'])}`);
  if (loc !== undefined && !(isObject(loc) && typeof loc['line'] === 'number' && typeof loc['column'] === 'number')) {
    problems.push(`'loc' must have a numeric line and column, got ${show(loc)}`);
  }
  return problems;
}

function describeNode(node: Node): string {
  switch (node.kind) {
    case 'simple':
      return `${node.op} (node ${node.id})`;
    case 'lambda':
    case 'delta':
      return `${node.kind} ${JSON.stringify(node.name)} (node ${node.id})`;
    default:
      return `${node.kind} (node ${node.id})`;
  }
}

interface AttrSpec {
  readonly name: string;
  readonly kind: AttrKind;
  readonly optional: boolean;
}

const attrSpecCache = new WeakMap<OpDef, readonly AttrSpec[]>();

/** The attributes an op declares, parsed once per op (`name?` marks an optional one). */
function attrSpecsOf(def: OpDef): readonly AttrSpec[] {
  let specs = attrSpecCache.get(def);
  if (!specs) {
    specs = Object.entries(def.attrs ?? {}).map(([key, kind]) => {
      const optional = key.endsWith('?');
      return { name: optional ? key.slice(0, -1) : key, kind, optional };
    });
    attrSpecCache.set(def, specs);
  }
  return specs;
}

function attrMatches(kind: AttrKind, value: unknown): boolean {
  switch (kind) {
    case 'number':
    case 'bigint':
    case 'boolean':
    case 'string':
      return typeof value === kind;
    case 'scalar':
      return typeof value === 'number' || typeof value === 'bigint' || typeof value === 'boolean';
    case 'type':
      return isValidType(value);
    default:
      return true;
  }
}

// ---------------------------------------------------------------------------

/** One region being verified, with what the checks need to look values up in it. */
interface RegionContext {
  readonly region: Region;
  readonly parent: RegionContext | undefined;
  readonly owner: Node | undefined;
  readonly index: number;
  /** Per position: the node when it is shaped like one, otherwise undefined. */
  readonly nodes: (Node | undefined)[];
  /** Node id -> position, for the first node of each id in this region. */
  readonly local: Map<number, number>;
  /** Argument types, undefined where invalid. */
  readonly args: (Type | undefined)[];
  /** Per position: the contexts of the node's regions (undefined where a region is malformed). */
  readonly inner: ((RegionContext | undefined)[] | undefined)[];
  path: string | undefined;
}

/** Use counts and dependence edges gathered while checking one region. */
interface RegionUses {
  readonly argUses: Int32Array;
  readonly outBase: Int32Array;
  readonly outUses: Int32Array;
  readonly edgeTargets: number[];
  readonly forward: { user: number; input: number; target: number }[];
}

class Verifier {
  readonly diagnostics: Diagnostic[] = [];
  readonly #sites = new Map<number, { context: RegionContext; node: Node | undefined; position: number }>();
  readonly #globalNames = new Map<string, { context: RegionContext; node: Node }>();
  readonly #visitedRegions = new Set<object>();
  readonly #contexts: RegionContext[] = [];

  constructor(readonly registry: OpRegistry) {}

  report(rule: VerifierRule, message: string, path: string, nodeId?: number): void {
    this.diagnostics.push(nodeId === undefined ? { rule, message, path } : { nodeId, rule, message, path });
  }

  run(module: unknown): void {
    if (!isObject(module)) {
      this.report('malformed', `expected a module (an object of kind 'omega'), got ${show(module)}`, 'module');
      return;
    }
    if (module['kind'] !== 'omega') {
      this.report('malformed', `a module has kind 'omega', got ${show(module['kind'])}`, 'module');
    }
    const region = module['region'];
    if (!isRegion(region)) {
      this.report('malformed', 'the module has no root region (arguments, nodes and results arrays)', 'module');
      return;
    }
    this.#collect(region);
    for (const context of this.#contexts) this.#checkRegion(context);
    const root = this.#contexts[0];
    if (root) this.#checkModuleLayout(module, root);
  }

  // -- paths ----------------------------------------------------------------

  #regionPath(context: RegionContext): string {
    if (context.path !== undefined) return context.path;
    let path = '';
    if (context.parent && context.owner) {
      path = `${this.nodePath(context.parent, context.owner)} region ${context.index}`;
    }
    context.path = path;
    return path;
  }

  nodePath(context: RegionContext, node: Node): string {
    const outer = this.#regionPath(context);
    return outer ? `${outer} > ${describeNode(node)}` : describeNode(node);
  }

  #positionPath(context: RegionContext, position: number): string {
    const outer = this.#regionPath(context);
    const here = `node at position ${position}`;
    return outer ? `${outer} > ${here}` : here;
  }

  #resultsPath(context: RegionContext): string {
    return context.owner ? `${this.#regionPath(context)} results` : 'module results';
  }

  // -- phase 1: walk every region, index nodes by id ------------------------

  #newContext(
    region: Region,
    parent: RegionContext | undefined,
    owner: Node | undefined,
    index: number,
  ): RegionContext {
    this.#visitedRegions.add(region);
    const context: RegionContext = {
      region,
      parent,
      owner,
      index,
      nodes: [],
      local: new Map(),
      args: [],
      inner: [],
      path: undefined,
    };
    const args = region.arguments;
    for (let k = 0; k < args.length; k++) {
      const type = args[k];
      if (isValidType(type)) {
        context.args.push(type);
      } else {
        context.args.push(undefined);
        const where = owner ? this.#regionPath(context) : 'module';
        this.report('invalid-type', `region argument ${k} is not a valid type: ${show(type)}`, where, owner?.id);
      }
    }
    return context;
  }

  #collect(rootRegion: Region): void {
    const stack = [this.#newContext(rootRegion, undefined, undefined, 0)];
    while (stack.length > 0) {
      const context = stack.pop() as RegionContext;
      this.#contexts.push(context);
      const children: RegionContext[] = [];
      const nodes = context.region.nodes;
      for (let position = 0; position < nodes.length; position++) {
        let node: Node | undefined;
        try {
          node = this.#shapeNode(context, position, nodes[position]);
        } catch (error) {
          this.report(
            'malformed',
            `node could not be read: ${errorText(error)}`,
            this.#positionPath(context, position),
          );
        }
        context.nodes.push(node);
        context.inner.push(node && this.#collectRegions(context, node, children));
      }
      for (let k = children.length - 1; k >= 0; k--) stack.push(children[k] as RegionContext);
    }
  }

  /** Returns the node when it is shaped like one; registers its id either way so uses of it do not cascade. */
  #shapeNode(context: RegionContext, position: number, raw: unknown): Node | undefined {
    if (!isObject(raw)) {
      this.report('malformed', `expected a node, got ${show(raw)}`, this.#positionPath(context, position));
      return undefined;
    }
    const id = raw['id'];
    if (typeof id !== 'number' || !Number.isSafeInteger(id)) {
      this.report('malformed', `node id must be an integer, got ${show(id)}`, this.#positionPath(context, position));
      return undefined;
    }
    const problems = nodeProblems(raw);
    const node = problems ? undefined : (raw as unknown as Node);
    const path = (): string => (node ? this.nodePath(context, node) : this.#positionPath(context, position));
    if (problems) for (const problem of problems) this.report('malformed', problem, path(), id);

    if (!context.local.has(id)) context.local.set(id, position);
    const first = this.#sites.get(id);
    if (first) {
      const where = first.node
        ? this.nodePath(first.context, first.node)
        : this.#positionPath(first.context, first.position);
      this.report(
        'duplicate-node-id',
        `node id ${id} is also used by ${where}; ids must be unique in the module`,
        path(),
        id,
      );
    } else {
      this.#sites.set(id, { context, node, position });
    }
    if (node && (node.kind === 'lambda' || node.kind === 'delta')) this.#checkGlobalName(context, node);
    return node;
  }

  #checkGlobalName(context: RegionContext, node: Node & { name: string }): void {
    const other = this.#globalNames.get(node.name);
    if (other) {
      this.report(
        'duplicate-name',
        `${node.kind} name ${JSON.stringify(node.name)} is also used by ${this.nodePath(other.context, other.node)}; function and global names must be unique in the module`,
        this.nodePath(context, node),
        node.id,
      );
    } else {
      this.#globalNames.set(node.name, { context, node });
    }
  }

  #collectRegions(context: RegionContext, node: Node, children: RegionContext[]): (RegionContext | undefined)[] {
    const regions: readonly unknown[] = node.regions;
    const contexts: (RegionContext | undefined)[] = [];
    for (let i = 0; i < regions.length; i++) {
      const region = regions[i];
      if (!isRegion(region)) {
        this.report(
          'malformed',
          `region ${i} is not a region (it needs arguments, nodes and results arrays), got ${show(region)}`,
          this.nodePath(context, node),
          node.id,
        );
        contexts.push(undefined);
      } else if (this.#visitedRegions.has(region) && region.nodes.length > 0) {
        // Checking it twice would only repeat its diagnostics (and a region containing itself would never end).
        this.report(
          'malformed',
          `region ${i} is the same object as another region with nodes, so its node ids occur twice`,
          this.nodePath(context, node),
          node.id,
        );
        contexts.push(undefined);
      } else {
        const child = this.#newContext(region, context, node, i);
        contexts.push(child);
        children.push(child);
      }
    }
    return contexts;
  }

  // -- phase 2: check each region ------------------------------------------

  #checkRegion(context: RegionContext): void {
    const n = context.nodes.length;
    const outBase = new Int32Array(n + 1);
    for (let position = 0; position < n; position++) {
      outBase[position + 1] = (outBase[position] as number) + (context.nodes[position]?.outputs.length ?? 0);
    }
    const uses: RegionUses = {
      argUses: new Int32Array(context.args.length),
      outBase,
      outUses: new Int32Array(outBase[n] as number),
      edgeTargets: [],
      forward: [],
    };
    const edgeStart = new Int32Array(n + 1);
    for (let position = 0; position < n; position++) {
      edgeStart[position] = uses.edgeTargets.length;
      const node = context.nodes[position];
      if (!node) continue;
      try {
        this.#checkNode(context, position, node, uses);
      } catch (error) {
        this.report(
          'malformed',
          `node could not be checked: ${errorText(error)}`,
          this.nodePath(context, node),
          node.id,
        );
      }
    }
    edgeStart[n] = uses.edgeTargets.length;

    const results: readonly unknown[] = context.region.results;
    for (let i = 0; i < results.length; i++) {
      this.#resolve(context, results[i], uses, -1, undefined, i);
    }
    this.#checkState(context, uses);
    if (uses.forward.length > 0) this.#checkOrder(context, uses, edgeStart);
  }

  /**
   * The type of a value used in `context` (undefined when it cannot be
   * known); reports uses that do not resolve and counts the use.
   */
  #resolve(
    context: RegionContext,
    origin: unknown,
    uses: RegionUses,
    userPosition: number,
    user: Node | undefined,
    slot: number,
  ): Type | undefined {
    const what = user ? `input ${slot}` : `result ${slot}`;
    const nodeId = user ? user.id : context.owner?.id;
    const path = (): string => (user ? this.nodePath(context, user) : this.#resultsPath(context));
    if (!isOrigin(origin)) {
      this.report(
        'malformed',
        `${what} is not an origin ({kind: 'arg', index} or {kind: 'out', node, index}): ${show(origin)}`,
        path(),
        nodeId,
      );
      return undefined;
    }
    if (origin.kind === 'arg') {
      if (origin.index >= context.args.length) {
        this.report(
          'dangling-origin',
          `${what} uses ${originText(origin)}, but the region has ${context.args.length} argument(s): a value used outside its region`,
          path(),
          nodeId,
        );
        return undefined;
      }
      uses.argUses[origin.index] = (uses.argUses[origin.index] as number) + 1;
      return context.args[origin.index];
    }
    const position = context.local.get(origin.node);
    if (position === undefined) {
      const site = this.#sites.get(origin.node);
      const where = site
        ? `node ${origin.node} is in ${site.node ? this.nodePath(site.context, site.node) : this.#positionPath(site.context, site.position)}, not in this region (a value used outside its region)`
        : `no node ${origin.node} exists`;
      this.report('dangling-origin', `${what} uses ${originText(origin)}: ${where}`, path(), nodeId);
      return undefined;
    }
    const target = context.nodes[position];
    if (!target) return undefined;
    if (origin.index >= target.outputs.length) {
      this.report(
        'dangling-origin',
        `${what} uses ${originText(origin)}, but node ${origin.node} has ${target.outputs.length} output(s)`,
        path(),
        nodeId,
      );
      return undefined;
    }
    const slotIndex = (uses.outBase[position] as number) + origin.index;
    uses.outUses[slotIndex] = (uses.outUses[slotIndex] as number) + 1;
    if (userPosition >= 0) {
      uses.edgeTargets.push(position);
      if (position >= userPosition) {
        uses.forward.push({ user: userPosition, input: slot, target: position });
      }
    }
    const type = target.outputs[origin.index];
    return isValidType(type) ? type : undefined;
  }

  /** The type of a value in `context` without reporting anything (used to compare region results with ports). */
  peek(context: RegionContext, origin: unknown): Type | undefined {
    if (!isOrigin(origin)) return undefined;
    if (origin.kind === 'arg') return context.args[origin.index];
    const position = context.local.get(origin.node);
    const type = position === undefined ? undefined : context.nodes[position]?.outputs[origin.index];
    return isValidType(type) ? type : undefined;
  }

  #checkNode(context: RegionContext, position: number, node: Node, uses: RegionUses): void {
    const inputs: readonly unknown[] = node.inputs;
    const inputTypes: (Type | undefined)[] = [];
    for (let i = 0; i < inputs.length; i++) {
      inputTypes.push(this.#resolve(context, inputs[i], uses, position, node, i));
    }
    const outputs: readonly unknown[] = node.outputs;
    for (let k = 0; k < outputs.length; k++) {
      if (!isValidType(outputs[k])) {
        this.report(
          'invalid-type',
          `output ${k} is not a valid type: ${show(outputs[k])}`,
          this.nodePath(context, node),
          node.id,
        );
      }
    }
    const inner = context.inner[position] ?? [];
    const check = new NodeCheck(this, context, node, inputTypes, inner);
    switch (node.kind) {
      case 'simple':
        check.simple();
        break;
      case 'gamma':
        check.gamma();
        break;
      case 'theta':
        check.theta();
        break;
      case 'lambda':
        check.lambda();
        break;
      case 'delta':
        check.delta();
        break;
      case 'phi':
        check.phi();
        break;
    }
  }

  #checkState(context: RegionContext, uses: RegionUses): void {
    const stateRule = 'a state value must be used exactly once (by one node input or one region result)';
    for (let k = 0; k < context.args.length; k++) {
      const type = context.args[k];
      const count = uses.argUses[k] as number;
      if (type?.kind === 'state' && count !== 1) {
        this.report(
          'state-threading',
          `${typeToString(type)} argument %a${k} is used ${count} time(s); ${stateRule}`,
          context.owner ? this.#regionPath(context) : 'module',
          context.owner?.id,
        );
      }
    }
    for (let position = 0; position < context.nodes.length; position++) {
      const node = context.nodes[position];
      if (!node) continue;
      const outputs: readonly unknown[] = node.outputs;
      for (let k = 0; k < outputs.length; k++) {
        const type = outputs[k];
        const count = uses.outUses[(uses.outBase[position] as number) + k] as number;
        if (count !== 1 && isValidType(type) && type.kind === 'state') {
          this.report(
            'state-threading',
            `${typeToString(type)} output %${node.id}.${k} is used ${count} time(s); ${stateRule}`,
            this.nodePath(context, node),
            node.id,
          );
        }
      }
    }
  }

  /** Inputs referring to later nodes: either a cycle or merely nodes out of topological order. */
  #checkOrder(context: RegionContext, uses: RegionUses, edgeStart: Int32Array): void {
    const n = context.nodes.length;
    const component = new Int32Array(n);
    stronglyConnectedComponents(n, {
      count: (v) => (edgeStart[v + 1] as number) - (edgeStart[v] as number),
      target: (v, i) => uses.edgeTargets[(edgeStart[v] as number) + i] as number,
    }).forEach((members, c) => {
      for (const v of members) component[v] = c;
    });
    const cyclic = new Set<number>();
    for (const { user, target } of uses.forward) {
      if (component[user] === component[target]) cyclic.add(component[user] as number);
    }
    const members = new Map<number, number[]>();
    if (cyclic.size > 0) {
      for (let position = 0; position < n; position++) {
        const c = component[position] as number;
        if (!cyclic.has(c)) continue;
        let list = members.get(c);
        if (!list) members.set(c, (list = []));
        list.push(position);
      }
    }
    const reported = new Set<number>();
    for (const { user, input, target } of uses.forward) {
      const node = context.nodes[user] as Node;
      const targetNode = context.nodes[target] as Node;
      const c = component[user] as number;
      if (component[target] !== c) {
        this.report(
          'node-order',
          `input ${input} uses node ${targetNode.id}, which comes later in the region; nodes must be in topological order`,
          this.nodePath(context, node),
          node.id,
        );
      } else if (!reported.has(c)) {
        reported.add(c);
        const ids = (members.get(c) ?? []).map((p) => (context.nodes[p] as Node).id);
        const listed = ids.slice(0, 8).join(', ') + (ids.length > 8 ? ` and ${ids.length - 8} more` : '');
        const what =
          ids.length === 1 ? `node ${listed} uses its own output` : `nodes ${listed} depend on each other in a cycle`;
        this.report('cycle', `${what}; the nodes of a region must be acyclic`, this.nodePath(context, node), node.id);
      }
    }
  }

  #checkModuleLayout(module: Loose, root: RegionContext): void {
    const imports = module['imports'];
    const exports = module['exports'];
    const seen = new Set<string>();
    const duplicate = (kind: string, name: string): void => {
      if (seen.has(`${kind}:${name}`)) {
        this.report('duplicate-name', `${kind} ${JSON.stringify(name)} is declared more than once`, 'module');
      }
      seen.add(`${kind}:${name}`);
    };
    if (!Array.isArray(imports)) {
      this.report('malformed', `'imports' must be an array, got ${show(imports)}`, 'module');
    } else {
      if (imports.length !== root.args.length) {
        this.report(
          'module-layout',
          `the module has ${imports.length} import(s) but its root region has ${root.args.length} argument(s); each import is one argument`,
          'module',
        );
      }
      for (let k = 0; k < imports.length; k++) {
        const entry: unknown = imports[k];
        if (!isObject(entry) || typeof entry['name'] !== 'string') {
          this.report('malformed', `import ${k} must have a string name and a type, got ${show(entry)}`, 'module');
          continue;
        }
        duplicate('import', entry['name']);
        const type = entry['type'];
        if (!isValidType(type)) {
          this.report(
            'invalid-type',
            `import ${JSON.stringify(entry['name'])} has no valid type: ${show(type)}`,
            'module',
          );
        } else if (k < root.args.length && root.args[k] && root.args[k] !== type) {
          this.report(
            'module-layout',
            `import ${JSON.stringify(entry['name'])} has type ${typeToString(type)} but root region argument ${k} has type ${typeText(root.args[k])}`,
            'module',
          );
        }
      }
    }
    if (!Array.isArray(exports)) {
      this.report('malformed', `'exports' must be an array, got ${show(exports)}`, 'module');
    } else {
      if (exports.length !== root.region.results.length) {
        this.report(
          'module-layout',
          `the module has ${exports.length} export name(s) but its root region has ${root.region.results.length} result(s); each export is one result`,
          'module',
        );
      }
      for (let k = 0; k < exports.length; k++) {
        const name: unknown = exports[k];
        if (typeof name !== 'string')
          this.report('malformed', `export ${k} must be a name, got ${show(name)}`, 'module');
        else duplicate('export', name);
      }
    }
  }
}

/** The checks specific to each node kind, for one node. */
class NodeCheck {
  constructor(
    private readonly verifier: Verifier,
    private readonly context: RegionContext,
    private readonly node: Node,
    private readonly inputTypes: readonly (Type | undefined)[],
    private readonly inner: readonly (RegionContext | undefined)[],
  ) {}

  #report(rule: VerifierRule, message: string): void {
    this.verifier.report(rule, message, this.verifier.nodePath(this.context, this.node), this.node.id);
  }

  #outputType(k: number): Type | undefined {
    const type: unknown = this.node.outputs[k];
    return isValidType(type) ? type : undefined;
  }

  #outputTypes(): (Type | undefined)[] {
    return this.node.outputs.map((_, k) => this.#outputType(k));
  }

  #regionCount(expected: number): boolean {
    const actual = this.node.regions.length;
    if (actual === expected) return true;
    this.#report('port-count', `a ${this.node.kind} node has ${expected} region(s), this one has ${actual}`);
    return false;
  }

  #outputCount(expected: number, why: string): boolean {
    const actual = this.node.outputs.length;
    if (actual === expected) return true;
    this.#report('port-count', `${this.node.kind} has ${actual} output(s), expected ${expected} (${why})`);
    return false;
  }

  /** Region arguments must match `expected` in number and type. */
  #arguments(index: number, expected: readonly (Type | undefined)[], label: (k: number) => string, why: string): void {
    const region = this.inner[index];
    if (!region) return;
    const args = region.args;
    if (args.length !== expected.length) {
      this.#report(
        'port-count',
        `region ${index} has ${args.length} argument(s), expected ${expected.length} (${why})`,
      );
    }
    const n = Math.min(args.length, expected.length);
    for (let k = 0; k < n; k++) {
      const want = expected[k];
      const got = args[k];
      if (want && got && want !== got) {
        this.#report(
          'port-type',
          `region ${index} argument ${k} has type ${typeToString(got)} but ${label(k)} has type ${typeToString(want)}`,
        );
      }
    }
  }

  /** Region results must match `expected` in number and type. */
  #results(
    index: number,
    expected: readonly (Type | undefined)[],
    label: (k: number) => string,
    why: string,
    skip = 0,
  ): void {
    const region = this.inner[index];
    if (!region) return;
    const results: readonly unknown[] = region.region.results;
    if (results.length - skip !== expected.length) {
      this.#report(
        'port-count',
        `region ${index} has ${results.length} result(s), expected ${expected.length + skip} (${why})`,
      );
    }
    const n = Math.min(results.length - skip, expected.length);
    for (let k = 0; k < n; k++) {
      const want = expected[k];
      const got = this.verifier.peek(region, results[k + skip]);
      if (want && got && want !== got) {
        this.#report(
          'port-type',
          `region ${index} result ${k + skip} has type ${typeToString(got)} but ${label(k)} has type ${typeToString(want)}`,
        );
      }
    }
  }

  simple(): void {
    const node = this.node;
    if (node.kind !== 'simple') return;
    if (node.regions.length > 0)
      this.#report('port-count', `a simple node has no regions, this one has ${node.regions.length}`);
    let def: OpDef | undefined;
    try {
      def = this.verifier.registry.get(node.op);
    } catch (error) {
      this.#report('unknown-op', `looking up op '${node.op}' failed: ${errorText(error)}`);
      return;
    }
    if (!def) {
      this.#report('unknown-op', `unknown op '${node.op}': no registered dialect defines it`);
      return;
    }
    if (!this.#attributes(def)) return;
    if (this.inputTypes.some((t) => t === undefined)) return;
    const operandTypes = this.inputTypes as Type[];
    let result: unknown;
    try {
      result = def.typeOf(operandTypes, node.attrs);
    } catch (error) {
      this.#report('op-typing', `the typing rule of '${node.op}' threw: ${errorText(error)}`);
      return;
    }
    if (typeof result === 'string') {
      this.#report('op-typing', `${node.op} ${typesText(operandTypes)}: ${result}`);
      return;
    }
    if (!Array.isArray(result)) {
      this.#report('op-typing', `the typing rule of '${node.op}' returned ${show(result)}, not a list of types`);
      return;
    }
    const outputs: readonly unknown[] = node.outputs;
    if (result.length !== outputs.length || result.some((t, k) => t !== outputs[k])) {
      this.#report(
        'op-typing',
        `${node.op} ${typesText(operandTypes)} yields ${typesText(result)} but the node declares outputs ${typesText(outputs)}`,
      );
    }
  }

  #attributes(def: OpDef): boolean {
    const node = this.node;
    if (node.kind !== 'simple') return true;
    let ok = true;
    for (const { name, kind, optional } of attrSpecsOf(def)) {
      const value: unknown = Object.prototype.hasOwnProperty.call(node.attrs, name) ? node.attrs[name] : undefined;
      if (value === undefined) {
        if (!optional) {
          this.#report('attribute', `${node.op} requires attribute '${name}' (${kind})`);
          ok = false;
        }
      } else if (!attrMatches(kind, value)) {
        this.#report('attribute', `attribute '${name}' of ${node.op} must be a ${kind}, got ${show(value)}`);
        ok = false;
      }
    }
    return ok;
  }

  gamma(): void {
    const n = this.node.regions.length;
    if (n === 0) this.#report('port-count', 'a gamma node needs at least one region');
    if (this.inputTypes.length === 0) {
      this.#report('port-count', `a gamma node needs a predicate (input 0, ctrl<${n}>)`);
    } else {
      const predicate = this.inputTypes[0];
      if (predicate && !(predicate.kind === 'ctrl' && predicate.alternatives === n)) {
        this.#report(
          'predicate-type',
          `a gamma with ${n} region(s) needs a ctrl<${n}> predicate, got ${typeToString(predicate)}`,
        );
      }
    }
    const entry = this.inputTypes.slice(1);
    const outputs = this.#outputTypes();
    for (let i = 0; i < n; i++) {
      this.#arguments(i, entry, (k) => `entry variable ${k} (input ${k + 1})`, 'one per entry variable');
      this.#results(i, outputs, (k) => `output ${k}`, 'one per output');
    }
  }

  theta(): void {
    const loopVars = this.inputTypes;
    if (this.node.outputs.length !== loopVars.length) {
      this.#report(
        'port-count',
        `theta has ${loopVars.length} loop variable(s) (inputs) but ${this.node.outputs.length} output(s)`,
      );
    }
    const outputs = this.#outputTypes();
    for (let k = 0; k < Math.min(outputs.length, loopVars.length); k++) {
      const want = loopVars[k];
      const got = outputs[k];
      if (want && got && want !== got) {
        this.#report(
          'port-type',
          `output ${k} has type ${typeToString(got)} but loop variable ${k} has type ${typeToString(want)}`,
        );
      }
    }
    if (!this.#regionCount(1)) return;
    this.#arguments(0, loopVars, (k) => `loop variable ${k} (input ${k})`, 'one per loop variable');
    const region = this.inner[0];
    if (!region) return;
    const results: readonly unknown[] = region.region.results;
    if (results.length === 0) {
      this.#report('port-count', 'the theta region has no results; result 0 must be the ctrl<2> predicate');
      return;
    }
    const predicate = this.verifier.peek(region, results[0]);
    if (predicate && predicate !== ctrl(2)) {
      this.#report(
        'predicate-type',
        `the theta predicate (region result 0) must be ctrl<2>, got ${typeToString(predicate)}`,
      );
    }
    this.#results(0, loopVars, (k) => `loop variable ${k}`, 'the predicate, then one per loop variable', 1);
  }

  lambda(): void {
    const node = this.node;
    if (node.kind !== 'lambda') return;
    const type: unknown = node.type;
    let fnType: FunctionType | undefined;
    if (!isValidType(type)) this.#report('invalid-type', `the lambda's type is not a valid type: ${show(type)}`);
    else if (type.kind !== 'fn')
      this.#report('port-type', `a lambda's type must be a function type, got ${typeToString(type)}`);
    else fnType = type;
    if (this.#outputCount(1, 'the function value')) {
      const output = this.#outputType(0);
      if (fnType && output && output !== fnType) {
        this.#report(
          'port-type',
          `output 0 has type ${typeToString(output)} but the lambda's type is ${typeToString(fnType)}`,
        );
      }
    }
    if (!this.#regionCount(1) || !fnType) return;
    const params = fnType.params.length;
    this.#arguments(
      0,
      [...fnType.params, ...this.inputTypes],
      (k) => (k < params ? `parameter ${k}` : `context variable ${k - params} (input ${k - params})`),
      'the parameters, then one per context variable',
    );
    this.#results(
      0,
      fnType.results,
      (k) => `function result ${k}`,
      `the function has ${fnType.results.length} result(s)`,
    );
  }

  delta(): void {
    this.#outputCount(1, 'the global value');
    if (!this.#regionCount(1)) return;
    this.#arguments(0, this.inputTypes, (k) => `context variable ${k} (input ${k})`, 'one per context variable');
    this.#results(0, [this.#outputType(0)], () => 'output 0', 'the value of the global');
  }

  phi(): void {
    const outputs = this.#outputTypes();
    outputs.forEach((type, k) => {
      if (type && type.kind !== 'fn') {
        this.#report(
          'port-type',
          `output ${k} of a phi is a recursion variable and must be a function, got ${typeToString(type)}`,
        );
      }
    });
    if (!this.#regionCount(1)) return;
    const recursion = outputs.length;
    this.#arguments(
      0,
      [...outputs, ...this.inputTypes],
      (k) =>
        k < recursion
          ? `recursion variable ${k} (output ${k})`
          : `context variable ${k - recursion} (input ${k - recursion})`,
      'one per recursion variable, then one per context variable',
    );
    this.#results(0, outputs, (k) => `recursion variable ${k} (output ${k})`, 'one definition per recursion variable');
  }
}
