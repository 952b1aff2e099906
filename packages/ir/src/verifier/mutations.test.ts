import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Module } from '../nodes/module.js';
import type { Node } from '../nodes/node.js';
import { argOrigin, outOrigin, type Origin } from '../nodes/origin.js';
import type { Region } from '../nodes/region.js';
import { forEachNode, nextNodeId } from '../nodes/rewrite.js';
import { bool, ctrl, f64, fn, i32, i64, mem, type Type } from '../types/type.js';
import { arbModule } from '../testing/generators.js';
import {
  absModule,
  exampleModules,
  factorialModule,
  fibModule,
  globalsModule,
  sumModule,
} from '../testing/examples.js';
import { verifierRules, verify, type VerifierRule } from './verify.js';

// Modules are frozen, so every corruption builds a modified copy with spreads.
// The copies are deliberately loosely typed: they are meant to be wrong.

const DELETE = Symbol('delete');

/** A copy of the module with the node `id` replaced by `edit(node)` (or removed when it returns DELETE). */
function editNode(module: Module, id: number, edit: (node: Node) => unknown): Module {
  const visit = (region: Region): Region => {
    const nodes: unknown[] = [];
    for (const node of region.nodes) {
      const copy = node.regions.length > 0 ? ({ ...node, regions: node.regions.map(visit) } as Node) : node;
      const edited = node.id === id ? edit(copy) : copy;
      if (edited !== DELETE) nodes.push(edited);
    }
    return { ...region, nodes } as unknown as Region;
  };
  return { ...module, region: visit(module.region) };
}

/** A copy with region `index` of node `owner` (the root region when owner is undefined) replaced. */
function editRegion(
  module: Module,
  owner: number | undefined,
  index: number,
  edit: (region: Region) => unknown,
): Module {
  if (owner === undefined) return { ...module, region: edit(module.region) as Region };
  return editNode(module, owner, (node) => ({
    ...node,
    regions: node.regions.map((region, i) => (i === index ? edit(region) : region)),
  }));
}

function withInput(node: Node, index: number, origin: unknown): unknown {
  const inputs: unknown[] = [...node.inputs];
  inputs[index] = origin;
  return { ...node, inputs };
}

function withResult(region: Region, index: number, origin: unknown): unknown {
  const results: unknown[] = [...region.results];
  results[index] = origin;
  return { ...region, results };
}

function find(module: Module, test: (node: Node) => boolean): Node {
  let found: Node | undefined;
  forEachNode(module, (node) => {
    if (!found && test(node)) found = node;
  });
  if (!found) throw new Error('the example module has no such node');
  return found;
}

const byOp = (module: Module, op: string): Node => find(module, (n) => n.kind === 'simple' && n.op === op);
const byKind = (module: Module, kind: Node['kind']): Node => find(module, (n) => n.kind === kind);

interface Mutation {
  readonly name: string;
  readonly rule: VerifierRule;
  readonly nodeId?: number;
  readonly corrupt: () => unknown;
  readonly message?: RegExp;
}

function factorialMutations(): Mutation[] {
  const m = factorialModule();
  const lambda = byKind(m, 'lambda');
  const theta = byKind(m, 'theta');
  const mul = byOp(m, 'arith.mul');
  const add = byOp(m, 'arith.add');
  const le = byOp(m, 'arith.le');
  const match = byOp(m, 'match');
  const thetaRegion = theta.regions[0]!;
  const innerConst = thetaRegion.nodes.find((n) => n.kind === 'simple' && n.op === 'const')!;
  const outerConst = lambda.regions[0]!.nodes.find((n) => n.kind === 'simple' && n.op === 'const')!;
  return [
    {
      name: 'inputs that are not an array',
      rule: 'malformed',
      nodeId: mul.id,
      corrupt: () => editNode(m, mul.id, (n) => ({ ...n, inputs: 'acc, i' })),
    },
    {
      name: 'an input that is not an origin',
      rule: 'malformed',
      nodeId: add.id,
      corrupt: () => editNode(m, add.id, (n) => withInput(n, 1, { kind: 'wire', index: 0 })),
    },
    {
      name: 'an unknown node kind',
      rule: 'malformed',
      nodeId: theta.id,
      corrupt: () => editNode(m, theta.id, (n) => ({ ...n, kind: 'loop' })),
    },
    {
      name: 'a region without nodes array',
      rule: 'malformed',
      nodeId: theta.id,
      corrupt: () => editRegion(m, theta.id, 0, (r) => ({ ...r, nodes: undefined })),
    },
    {
      name: 'a structurally right but uninterned output type',
      rule: 'invalid-type',
      nodeId: mul.id,
      corrupt: () => editNode(m, mul.id, (n) => ({ ...n, outputs: [{ kind: 'int', bits: 64, signed: true }] })),
    },
    {
      name: 'a region argument that is not a type',
      rule: 'invalid-type',
      nodeId: theta.id,
      corrupt: () => editRegion(m, theta.id, 0, (r) => ({ ...r, arguments: [...r.arguments.slice(0, 2), 'i64'] })),
    },
    {
      name: 'more export names than root results',
      rule: 'module-layout',
      corrupt: () => ({ ...m, exports: ['fact', 'ghost'] }),
    },
    {
      name: 'two nodes with one id',
      rule: 'duplicate-node-id',
      nodeId: mul.id,
      corrupt: () => editNode(m, match.id, (n) => ({ ...n, id: mul.id })),
    },
    {
      name: 'an argument index past the region arguments',
      rule: 'dangling-origin',
      nodeId: le.id,
      corrupt: () => editNode(m, le.id, (n) => withInput(n, 1, argOrigin(9))),
      message: /outside its region/,
    },
    {
      name: 'a value of the enclosing region used directly',
      rule: 'dangling-origin',
      nodeId: add.id,
      corrupt: () => editNode(m, add.id, (n) => withInput(n, 1, outOrigin(outerConst.id, 0))),
      message: /outside its region/,
    },
    {
      name: 'an output index past the node outputs',
      rule: 'dangling-origin',
      nodeId: le.id,
      corrupt: () => editNode(m, le.id, (n) => withInput(n, 0, outOrigin(add.id, 3))),
      message: /has 1 output/,
    },
    {
      name: 'a node that does not exist',
      rule: 'dangling-origin',
      corrupt: () => editRegion(m, undefined, 0, (r) => withResult(r, 0, outOrigin(12345, 0))),
      message: /no node 12345/,
    },
    {
      name: 'a user placed before the node it uses',
      rule: 'node-order',
      nodeId: match.id,
      corrupt: () =>
        editRegion(m, theta.id, 0, (r) => {
          const nodes = [...r.nodes];
          const i = nodes.indexOf(le);
          [nodes[i], nodes[i + 1]] = [nodes[i + 1]!, nodes[i]!];
          return { ...r, nodes };
        }),
    },
    {
      name: 'a node using its own output',
      rule: 'cycle',
      nodeId: mul.id,
      corrupt: () => editNode(m, mul.id, (n) => withInput(n, 0, outOrigin(mul.id, 0))),
      message: /uses its own output/,
    },
    {
      name: 'two nodes using each other',
      rule: 'cycle',
      nodeId: add.id,
      corrupt: () => editNode(m, add.id, (n) => withInput(n, 0, outOrigin(le.id, 0))),
      message: new RegExp(`nodes ${add.id}, ${le.id} depend on each other`),
    },
    {
      name: 'an op no dialect defines',
      rule: 'unknown-op',
      nodeId: mul.id,
      corrupt: () => editNode(m, mul.id, (n) => ({ ...n, op: 'arith.frobnicate' })),
    },
    {
      name: 'a const without its value',
      rule: 'attribute',
      nodeId: innerConst.id,
      corrupt: () => editNode(m, innerConst.id, (n) => ({ ...n, attrs: { type: i64 } })),
    },
    {
      name: 'a const whose value is a string',
      rule: 'attribute',
      nodeId: innerConst.id,
      corrupt: () => editNode(m, innerConst.id, (n) => ({ ...n, attrs: { type: i64, value: '1' } })),
    },
    {
      name: 'an output type the op does not produce',
      rule: 'op-typing',
      nodeId: mul.id,
      corrupt: () => editNode(m, mul.id, (n) => ({ ...n, outputs: [f64] })),
    },
    {
      name: 'operands the op does not accept',
      rule: 'op-typing',
      nodeId: add.id,
      corrupt: () => editNode(m, add.id, (n) => withInput(n, 1, outOrigin(le.id, 0))),
    },
    {
      name: 'a theta output dropped',
      rule: 'port-count',
      nodeId: theta.id,
      corrupt: () => editNode(m, theta.id, (n) => ({ ...n, outputs: n.outputs.slice(0, -1) })),
    },
    {
      name: 'a lambda parameter argument added',
      rule: 'port-count',
      nodeId: lambda.id,
      corrupt: () => editRegion(m, lambda.id, 0, (r) => ({ ...r, arguments: [...r.arguments, i64] })),
    },
    {
      name: 'a theta loop variable result of another type',
      rule: 'port-type',
      nodeId: theta.id,
      corrupt: () => editRegion(m, theta.id, 0, (r) => withResult(r, 1, outOrigin(le.id, 0))),
    },
    {
      name: 'a theta predicate that is not ctrl<2>',
      rule: 'predicate-type',
      nodeId: theta.id,
      corrupt: () => editRegion(m, theta.id, 0, (r) => withResult(r, 0, outOrigin(add.id, 0))),
    },
    {
      name: 'a lambda named like another',
      rule: 'duplicate-name',
      corrupt: () => {
        const [first] = m.region.nodes;
        const copy = { ...(first as Node), id: 1000, name: 'fact', regions: [] };
        return { ...m, region: { ...m.region, nodes: [first, copy] } };
      },
      nodeId: 1000,
    },
  ];
}

function otherMutations(): Mutation[] {
  const abs = absModule();
  const gamma = byKind(abs, 'gamma');
  const absLambda = byKind(abs, 'lambda');
  const fib = fibModule();
  const phi = byKind(fib, 'phi');
  const sum = sumModule();
  const sumTheta = byKind(sum, 'theta');
  const load = byOp(sum, 'array.load');
  const sumLambda = byKind(sum, 'lambda');
  const globals = globalsModule();
  const delta = byKind(globals, 'delta');
  const apply = byKind(globals, 'lambda');
  const stateArg = sumTheta.regions[0]!.arguments.indexOf(mem);
  return [
    {
      name: 'a gamma branch without its result',
      rule: 'port-count',
      nodeId: gamma.id,
      corrupt: () => editRegion(abs, gamma.id, 1, (r) => ({ ...r, results: [] })),
    },
    {
      name: 'a gamma output of another type than its branches yield',
      rule: 'port-type',
      nodeId: gamma.id,
      corrupt: () => editNode(abs, gamma.id, (n) => ({ ...n, outputs: [i64] })),
    },
    {
      name: 'a gamma predicate that is a float',
      rule: 'predicate-type',
      nodeId: gamma.id,
      corrupt: () => editNode(abs, gamma.id, (n) => withInput(n, 0, argOrigin(0))),
    },
    {
      name: 'a gamma with a third region for a ctrl<2> predicate',
      rule: 'predicate-type',
      nodeId: gamma.id,
      corrupt: () => editNode(abs, gamma.id, (n) => ({ ...n, regions: [...n.regions, n.regions[0]] })),
    },
    {
      name: 'a lambda output that is not its type',
      rule: 'port-type',
      nodeId: absLambda.id,
      corrupt: () => editNode(abs, absLambda.id, (n) => ({ ...n, outputs: [fn([f64], [i64])] })),
    },
    {
      name: 'a phi recursion variable of another function type',
      rule: 'port-type',
      nodeId: phi.id,
      corrupt: () => editNode(fib, phi.id, (n) => ({ ...n, outputs: [fn([i32], [i32])] })),
    },
    {
      name: 'a phi region without its definitions',
      rule: 'port-count',
      nodeId: phi.id,
      corrupt: () => editRegion(fib, phi.id, 0, (r) => ({ ...r, results: [] })),
    },
    {
      name: 'a delta whose value has another type than its output',
      rule: 'port-type',
      nodeId: delta.id,
      corrupt: () => editNode(globals, delta.id, (n) => ({ ...n, outputs: [i64] })),
    },
    {
      name: 'a global named like a function',
      rule: 'duplicate-name',
      nodeId: apply.id,
      corrupt: () => editNode(globals, apply.id, (n) => ({ ...n, name: 'twice' })),
    },
    {
      name: 'an export name given twice',
      rule: 'duplicate-name',
      corrupt: () => ({ ...globals, exports: ['apply', 'apply'] }),
    },
    {
      name: 'imports that do not match the root arguments',
      rule: 'module-layout',
      corrupt: () => ({ ...globals, imports: [] }),
    },
    {
      name: 'an import of another type than its root argument',
      rule: 'module-layout',
      corrupt: () => ({ ...globals, imports: [{ name: 'scale', type: i64 }] }),
    },
    {
      name: 'a memory state used twice and its successor dropped',
      rule: 'state-threading',
      nodeId: load.id,
      corrupt: () => editRegion(sum, sumTheta.id, 0, (r) => withResult(r, stateArg + 1, argOrigin(stateArg))),
      message: /used 0 time/,
    },
    {
      name: 'a memory state argument used twice',
      rule: 'state-threading',
      nodeId: sumTheta.id,
      corrupt: () => editRegion(sum, sumTheta.id, 0, (r) => withResult(r, stateArg + 1, argOrigin(stateArg))),
      message: /used 2 time/,
    },
    {
      name: 'a memory state parameter never used',
      rule: 'state-threading',
      nodeId: sumLambda.id,
      corrupt: () =>
        editNode(sum, sumTheta.id, (n) =>
          withInput(n, 2, { kind: 'out', node: byOp(sum, 'array.length').id, index: 0 }),
        ),
    },
  ];
}

const mutations = [...factorialMutations(), ...otherMutations()];

describe('verifier mutations', () => {
  it('the example modules verify clean before they are corrupted', () => {
    for (const make of Object.values(exampleModules)) expect(verify(make())).toEqual([]);
  });

  it('has a corruption for every rule', () => {
    expect(new Set(mutations.map((m) => m.rule))).toEqual(new Set(verifierRules));
  });

  it.each(mutations.map((m) => [m.rule, m.name, m] as const))('%s: %s', (rule, _name, mutation) => {
    const diagnostics = verify(mutation.corrupt() as Module);
    const named = diagnostics.filter((d) => d.rule === rule && d.nodeId === mutation.nodeId);
    expect(named, JSON.stringify(diagnostics, null, 2)).not.toEqual([]);
    if (mutation.message) expect(named.some((d) => mutation.message!.test(d.message))).toBe(true);
  });
});

// -- random corruptions -----------------------------------------------------

interface Site {
  readonly node: Node;
  readonly region: Region;
}

const typePool: readonly Type[] = [bool, i32, i64, f64, mem, ctrl(2), ctrl(3), fn([i64], [i64])];

function sitesOf(module: Module): Site[] {
  const sites: Site[] = [];
  forEachNode(module, (node, region) => sites.push({ node, region }));
  return sites;
}

function regionsOf(module: Module): { owner: number | undefined; index: number; region: Region }[] {
  const regions: { owner: number | undefined; index: number; region: Region }[] = [
    { owner: undefined, index: 0, region: module.region },
  ];
  forEachNode(module, (node) =>
    node.regions.forEach((region, index) => regions.push({ owner: node.id, index, region })),
  );
  return regions;
}

function isUsed(region: Region, id: number): boolean {
  const uses = (o: Origin): boolean => o.kind === 'out' && o.node === id;
  return region.results.some(uses) || region.nodes.some((n) => n.inputs.some(uses));
}

/** A corrupted module and whether the corruption certainly breaks a rule. */
interface Corruption {
  readonly module: unknown;
  readonly breaks: boolean;
  readonly what: string;
}

const seeds = Object.values(exampleModules).map((make) => make());

/** Random corruptions of `arbSeed`'s modules. */
const arbCorruption = (arbSeed: fc.Arbitrary<Module>): fc.Arbitrary<Corruption> =>
  fc
    .record({
      module: arbSeed,
      pick: fc.nat(),
      slot: fc.nat(),
      other: fc.nat(),
      kind: fc.constantFrom(
        'retarget-missing',
        'retarget-random',
        'drop-input',
        'drop-result',
        'swap-output-type',
        'delete-node',
        'duplicate-id',
        'garbage-node',
        'garbage-field',
        'garbage-type',
      ),
      garbage: fc.anything(),
    })
    .map(({ module, pick, slot, other, kind, garbage }): Corruption => {
      const sites = sitesOf(module);
      if (sites.length === 0) return { module, breaks: false, what: 'no nodes to corrupt' };
      const { node, region } = sites[pick % sites.length]!;
      const what = `${kind} on node ${node.id}`;
      switch (kind) {
        case 'retarget-missing': {
          if (node.inputs.length === 0) return { module, breaks: false, what };
          const missing = outOrigin(nextNodeId(module) + other, 0);
          return {
            module: editNode(module, node.id, (n) => withInput(n, slot % n.inputs.length, missing)),
            breaks: true,
            what,
          };
        }
        case 'retarget-random': {
          if (node.inputs.length === 0) return { module, breaks: false, what };
          const target = sites[other % sites.length]!.node.id;
          const origin = other % 2 === 0 ? argOrigin(other % 5) : outOrigin(target, slot % 3);
          return {
            module: editNode(module, node.id, (n) => withInput(n, slot % n.inputs.length, origin)),
            breaks: false,
            what,
          };
        }
        case 'drop-input': {
          if (node.inputs.length === 0) return { module, breaks: false, what };
          const k = slot % node.inputs.length;
          const drop = (n: Node): unknown => ({ ...n, inputs: n.inputs.filter((_, i) => i !== k) });
          return { module: editNode(module, node.id, drop), breaks: true, what };
        }
        case 'drop-result': {
          const regions = regionsOf(module);
          const { owner, index, region: target } = regions[other % regions.length]!;
          if (target.results.length === 0) return { module, breaks: false, what };
          const k = slot % target.results.length;
          const drop = (r: Region): unknown => ({ ...r, results: r.results.filter((_, i) => i !== k) });
          return { module: editRegion(module, owner, index, drop), breaks: true, what };
        }
        case 'swap-output-type': {
          if (node.outputs.length === 0) return { module, breaks: false, what };
          const k = slot % node.outputs.length;
          const type = typePool[other % typePool.length]!;
          const outputs = node.outputs.map((t, i) => (i === k ? type : t));
          return {
            module: editNode(module, node.id, (n) => ({ ...n, outputs })),
            breaks: type !== node.outputs[k],
            what,
          };
        }
        case 'delete-node':
          return { module: editNode(module, node.id, () => DELETE), breaks: isUsed(region, node.id), what };
        case 'duplicate-id': {
          const target = sites[other % sites.length]!.node.id;
          return { module: editNode(module, node.id, (n) => ({ ...n, id: target })), breaks: target !== node.id, what };
        }
        case 'garbage-node':
          return { module: editNode(module, node.id, () => garbage), breaks: true, what };
        case 'garbage-field': {
          const field = ['inputs', 'outputs', 'regions', 'kind', 'id', 'attrs', 'op', 'name', 'type'][slot % 9]!;
          return { module: editNode(module, node.id, (n) => ({ ...n, [field]: garbage })), breaks: false, what };
        }
        case 'garbage-type': {
          if (node.outputs.length === 0) return { module, breaks: false, what };
          const k = slot % node.outputs.length;
          const outputs = node.outputs.map((t, i) => (i === k ? garbage : t));
          return { module: editNode(module, node.id, (n) => ({ ...n, outputs })), breaks: true, what };
        }
      }
      return { module, breaks: false, what };
    });

describe('verifier under random corruption', () => {
  const check = ({ module, breaks, what }: Corruption): void => {
    const diagnostics = verify(module as Module);
    expect(Array.isArray(diagnostics)).toBe(true);
    if (breaks) expect(diagnostics.length, what).toBeGreaterThan(0);
  };

  it('never throws, and reports every corruption of an example known to break a rule', () => {
    fc.assert(fc.property(arbCorruption(fc.constantFrom(...seeds)), check), { numRuns: 1000 });
  });

  it('never throws, and reports every corruption of a generated module known to break a rule', () => {
    fc.assert(fc.property(arbCorruption(arbModule()), check), { numRuns: 200 });
  });

  it('reports arbitrary values as malformed modules without throwing', () => {
    fc.assert(
      fc.property(fc.anything(), (value) => {
        const diagnostics = verify(value as Module);
        expect(diagnostics.length).toBeGreaterThan(0);
        expect(diagnostics[0]!.rule).toBe('malformed');
      }),
      { numRuns: 500 },
    );
  });
});
