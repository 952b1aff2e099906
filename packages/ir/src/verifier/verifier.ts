import type { Node } from '../nodes/node.js';
import type { Region } from '../nodes/region.js';
import type { OpRegistry } from '../ops/registry.js';
import { typeToString, type Type } from '../types/type.js';
import { stronglyConnectedComponents } from '../graph/scc.js';
import {
  type Loose,
  isObject,
  errorText,
  show,
  isValidType,
  typeText,
  isOrigin,
  originText,
  isRegion,
  nodeProblems,
  describeNode,
} from './shape.js';
import { NodeCheck } from './node-check.js';
import type { Diagnostic, VerifierRule } from './verify.js';

// The walk over a module: regions, origins, use counts, state threading,
// node order and cycles, global names; NodeCheck does each node's own checks.

export interface RegionContext {
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
export interface RegionUses {
  readonly argUses: Int32Array;
  readonly outBase: Int32Array;
  readonly outUses: Int32Array;
  readonly edgeTargets: number[];
  readonly forward: { user: number; input: number; target: number }[];
}

export class Verifier {
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
