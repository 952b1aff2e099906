import { describe, expect, it } from 'vitest';
import { ModuleBuilder } from '../builder/builder.js';
import type { Module } from '../nodes/module.js';
import type { Node } from '../nodes/node.js';
import { argOrigin, outOrigin } from '../nodes/origin.js';
import { countNodes, forEachNode } from '../nodes/rewrite.js';
import { defaultRegistry } from '../ops/default-registry.js';
import type { OpDef } from '../ops/op.js';
import { f64, fn, i64, mem, typeToString } from '../types/type.js';
import { exampleModules, factorialModule } from '../testing/examples.js';
import { assertValid, formatDiagnostic, VerificationError, verify } from './verify.js';

describe('verify on valid modules', () => {
  it.each(Object.entries(exampleModules))('%s verifies with no diagnostics', (_name, make) => {
    expect(verify(make())).toEqual([]);
    expect(() => assertValid(make())).not.toThrow();
  });

  it('accepts a module with no nodes, imports or exports', () => {
    expect(verify(new ModuleBuilder().build())).toEqual([]);
  });

  it('accepts a state threaded through both branches of a gamma', () => {
    const b = new ModuleBuilder();
    const f = b.lambda('store', [i64, mem], (r, [x, state]) => {
      const positive = r.op1('arith.gt', [x!, r.const(0n, i64)]);
      const [after] = r.gamma(
        r.match(positive),
        [(_g, [s]) => [s!], (g, [s]) => [g.op1('raise', [s!], { error: 'RangeError', message: 'positive' })]],
        [state!],
      );
      return [after!];
    });
    expect(verify(b.export('store', f).build())).toEqual([]);
  });
});

describe('diagnostics', () => {
  const m = factorialModule();
  let theta: Node | undefined;
  let lambda: Node | undefined;
  forEachNode(m, (n) => {
    if (n.kind === 'theta') theta = n;
    if (n.kind === 'lambda') lambda = n;
  });
  const mul = theta!.regions[0]!.nodes.find((n) => n.kind === 'simple' && n.op === 'arith.mul')!;
  const broken = {
    ...m,
    region: {
      ...m.region,
      nodes: [
        {
          ...lambda!,
          regions: [
            {
              ...lambda!.regions[0]!,
              nodes: lambda!.regions[0]!.nodes.map((n) =>
                n === theta
                  ? {
                      ...n,
                      regions: [
                        {
                          ...n.regions[0]!,
                          nodes: n.regions[0]!.nodes.map((k) => (k === mul ? { ...k, op: 'arith.mull' } : k)),
                        },
                      ],
                    }
                  : n,
              ),
            },
          ],
        },
      ],
    },
  } as unknown as Module;

  it('name the node and the path of regions leading to it', () => {
    const [d] = verify(broken);
    expect(d).toEqual({
      nodeId: mul.id,
      rule: 'unknown-op',
      message: "unknown op 'arith.mull': dialect 'arith' has no such op",
      path: `lambda "fact" (node ${lambda!.id}) region 0 > theta (node ${theta!.id}) region 0 > arith.mull (node ${mul.id})`,
    });
    expect(formatDiagnostic(d!)).toBe(`${d!.path}: ${d!.message} [unknown-op]`);
  });

  it('assertValid throws a VerificationError carrying them', () => {
    let error: unknown;
    try {
      assertValid(broken);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(VerificationError);
    expect((error as VerificationError).diagnostics).toEqual(verify(broken));
    expect((error as VerificationError).message).toMatch(/arith\.mull.*\[unknown-op\]/);
  });
});

describe('custom dialects', () => {
  const scale: OpDef = {
    name: 'dsl.scale',
    summary: 'Multiplies by the attribute factor.',
    effects: [],
    attrs: { factor: 'number', 'note?': 'string' },
    typeOf: (operands) => (operands.length === 1 && operands[0] === f64 ? [f64] : 'expects one f64'),
    evaluate: (operands, { attrs }) => [(operands[0] as number) * (attrs['factor'] as number)],
  };
  const exploding: OpDef = {
    name: 'dsl.explode',
    summary: 'An op whose typing rule breaks its contract by throwing.',
    effects: [],
    typeOf: () => {
      throw new Error('boom');
    },
    evaluate: () => [],
  };
  const registry = defaultRegistry.extend({ name: 'dsl', ops: [scale, exploding] });

  function scaled(attrs: Record<string, unknown>): Module {
    const b = new ModuleBuilder({ registry });
    const f = b.lambda('f', [f64], (r, [x]) => [r.op1('dsl.scale', [x!], { factor: 2 })]);
    const m = b.export('f', f).build();
    const lambda = m.region.nodes[0]!;
    const region = lambda.regions[0]!;
    const node = { ...region.nodes[0]!, attrs };
    return { ...m, region: { ...m.region, nodes: [{ ...lambda, regions: [{ ...region, nodes: [node] }] }] } } as Module;
  }

  it('verify their ops against the registry it is given', () => {
    const m = scaled({ factor: 2 });
    expect(verify(m, { registry })).toEqual([]);
    expect(verify(m).map((d) => d.rule)).toEqual(['unknown-op']);
  });

  it('check required and optional attributes by kind', () => {
    expect(verify(scaled({ factor: 2, note: 'x' }), { registry })).toEqual([]);
    expect(verify(scaled({}), { registry }).map((d) => d.message)).toEqual([
      "dsl.scale requires attribute 'factor' (number)",
    ]);
    expect(verify(scaled({ factor: 2, note: 3 }), { registry }).map((d) => d.message)).toEqual([
      "attribute 'note' of dsl.scale must be a string, got 3",
    ]);
  });

  it('report a typing rule that throws instead of throwing', () => {
    const m = {
      kind: 'omega',
      imports: [],
      exports: [],
      region: {
        arguments: [],
        results: [],
        nodes: [{ kind: 'simple', id: 0, op: 'dsl.explode', attrs: {}, inputs: [], outputs: [], regions: [] }],
      },
    } as unknown as Module;
    expect(verify(m, { registry })).toEqual([
      {
        nodeId: 0,
        rule: 'op-typing',
        message: "the typing rule of 'dsl.explode' threw: boom",
        path: 'dsl.explode (node 0)',
      },
    ]);
  });
});

describe('hostile input', () => {
  it('reports values that are not modules', () => {
    for (const value of [null, undefined, 42, 'module', [], {}, { kind: 'omega' }]) {
      const diagnostics = verify(value as unknown as Module);
      expect(diagnostics.map((d) => d.rule)).toContain('malformed');
    }
  });

  it('survives objects whose properties throw', () => {
    const trap = new Proxy(
      {},
      {
        get() {
          throw new Error('trapped');
        },
        has() {
          throw new Error('trapped');
        },
      },
    );
    const m = { kind: 'omega', imports: [], exports: [], region: { arguments: [], nodes: [trap], results: [] } };
    expect(verify(m as unknown as Module)).toEqual([
      { rule: 'malformed', message: 'node could not be read: trapped', path: 'node at position 0' },
    ]);
    expect(verify(trap as unknown as Module)[0]!.rule).toBe('malformed');
  });

  it('terminates on a region that contains itself', () => {
    const region: { arguments: unknown[]; nodes: unknown[]; results: unknown[] } = {
      arguments: [],
      nodes: [],
      results: [],
    };
    region.nodes.push({ kind: 'gamma', id: 0, inputs: [], outputs: [], regions: [region] });
    const m = { kind: 'omega', imports: [], exports: [], region };
    const rules = verify(m as unknown as Module).map((d) => d.rule);
    expect(rules).toContain('malformed');
  });

  it('terminates on a type that contains itself', () => {
    const loop: { kind: string; elements: unknown[] } = { kind: 'tuple', elements: [] };
    loop.elements.push(loop);
    const m = {
      kind: 'omega',
      imports: [],
      exports: [],
      region: { arguments: [loop], nodes: [], results: [] },
    };
    expect(verify(m as unknown as Module).map((d) => d.rule)).toContain('invalid-type');
  });
});

/** A region of `count` arith.add nodes, node i adding node i - 1 to itself; node 0 adds the argument. */
function chain(count: number, firstInput = argOrigin(0)): Module {
  const nodes = [];
  for (let i = 0; i < count; i++) {
    const prev = i === 0 ? firstInput : outOrigin(i - 1, 0);
    nodes.push({
      kind: 'simple',
      id: i,
      op: 'arith.add',
      attrs: {},
      inputs: [prev, prev],
      outputs: [i64],
      regions: [],
    });
  }
  const region = { arguments: [i64], nodes: [], results: [outOrigin(count - 1, 0)] };
  const lambda = {
    kind: 'lambda',
    id: count,
    name: 'chain',
    type: fn([i64], [i64]),
    inputs: [],
    outputs: [fn([i64], [i64])],
    regions: [{ ...region, nodes }],
  };
  return {
    kind: 'omega',
    imports: [],
    exports: ['chain'],
    region: { arguments: [], nodes: [lambda], results: [outOrigin(count, 0)] },
  } as unknown as Module;
}

describe('large modules', () => {
  const size = 100_000;

  it(`verifies a ${size}-node module built with the builder (its time is measured by npm run bench:ir)`, () => {
    const b = new ModuleBuilder();
    const f = b.lambda('big', [i64, mem], (r, [x, state]) => {
      let acc = x!;
      for (let i = 0; i < size / 4; i++) acc = r.op1('arith.add', [acc, r.const(BigInt(i), i64)]);
      const [out, after] = r.theta([acc, state!], (l, [v, s]) => {
        let w = v!;
        for (let i = 0; i < size / 4 - 1; i++) w = l.op1('arith.xor', [w, l.const(BigInt(i), i64)]);
        return { repeat: l.op1('arith.lt', [w, x!]), next: [w, s!] };
      });
      return [out!, after!];
    });
    const m = b.export('big', f).build();
    expect(countNodes(m)).toBeGreaterThanOrEqual(size);
    expect(verify(m)).toEqual([]);
  });

  it('finds a cycle through 100k nodes without exhausting the stack', () => {
    const m = chain(size, outOrigin(size - 1, 0));
    const diagnostics = verify(m);
    expect(diagnostics).toHaveLength(1);
    expect(diagnostics[0]).toMatchObject({ rule: 'cycle', nodeId: 0 });
    expect(diagnostics[0]!.message).toMatch(/^nodes 0, 1, 2, 3, 4, 5, 6, 7 and 99992 more depend on each other/);
  });

  it('reports each use of a later node when 100k nodes are in reverse order', () => {
    const m = chain(size);
    const lambda = m.region.nodes[0]!;
    const region = lambda.regions[0]!;
    const reversed = {
      ...m,
      region: { ...m.region, nodes: [{ ...lambda, regions: [{ ...region, nodes: [...region.nodes].reverse() }] }] },
    };
    const diagnostics = verify(reversed as Module);
    expect(diagnostics).toHaveLength(2 * (size - 1));
    expect(new Set(diagnostics.map((d) => d.rule))).toEqual(new Set(['node-order']));
  });
});

describe('messages', () => {
  it('print types with the text syntax', () => {
    const b = new ModuleBuilder();
    const f = b.lambda('f', [f64], (r, [x]) => [r.op1('arith.neg', [x!])]);
    const m = b.export('f', f).build();
    const lambda = m.region.nodes[0]!;
    const region = lambda.regions[0]!;
    const wrong = { ...region.nodes[0]!, outputs: [i64] };
    const broken = {
      ...m,
      region: { ...m.region, nodes: [{ ...lambda, regions: [{ ...region, nodes: [wrong] }] }] },
    } as Module;
    const messages = verify(broken).map((d) => `${d.rule}: ${d.message}`);
    expect(messages).toContain(
      `op-typing: arith.neg (${typeToString(f64)}) yields (f64) but the node declares outputs (i64)`,
    );
    expect(messages).toContain('port-type: region 0 result 0 has type i64 but function result 0 has type f64');
  });
});
