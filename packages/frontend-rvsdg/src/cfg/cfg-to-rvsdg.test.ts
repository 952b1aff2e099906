import {
  array,
  assertValid,
  bool,
  defaultRegistry,
  f64,
  fn,
  FuelExhausted,
  i32,
  i64,
  interpret,
  mem,
  memToken,
  nodesById,
  pureOp,
  type IRValue,
  type Module,
  type Node,
  type Region,
  type Type,
} from '@rvsdg/ir';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { FUNCTION_REF_OP, type Cfg, type Instruction, type VarName } from './cfg.js';
import { cfgToModule } from './cfg-to-rvsdg.js';
import { interpretCfg } from './interpret-cfg.js';
import { block, branch, count, jump, kitCfg, kitVariables, konst, op, ret, start, test } from './testing/cfg-kit.js';
import { arbitraryCfg } from './testing/random-cfg.js';
import { shapeArgs, shapes } from './testing/shapes.js';

function allNodes(region: Region): Node[] {
  const out: Node[] = [];
  const stack = [region];
  while (stack.length > 0) {
    const r = stack.pop() as Region;
    for (const n of r.nodes) {
      out.push(n);
      stack.push(...n.regions);
    }
  }
  return out;
}

function expectSameResults(cfgs: readonly Cfg[], module: Module, name: string, args: readonly IRValue[]): void {
  const expected = interpretCfg(cfgs, name, args);
  expect(expected.outOfFuel).toBe(false);
  expect(interpret(module, name, args)).toEqual(expected.results);
}

describe('cfgToModule on the control-flow shapes', () => {
  for (const shape of shapes) {
    it(`${shape.name}: verifies and computes what the CFG computes`, () => {
      const module = cfgToModule([shape.cfg]);
      assertValid(module);
      expect(module.exports).toEqual([shape.cfg.name]);
      for (const arg of shapeArgs) {
        if (shape.endless)
          expect(() => interpret(module, shape.cfg.name, [arg], { fuel: 10_000 })).toThrow(FuelExhausted);
        else expectSameResults([shape.cfg], module, shape.cfg.name, [arg]);
      }
    });
  }

  it('routes only the variables live across a loop (while shape: c, a, z)', () => {
    const shape = shapes.find((s) => s.name === 'while') as (typeof shapes)[number];
    const thetas = allNodes(cfgToModule([shape.cfg]).region).filter((n) => n.kind === 'theta');
    expect(thetas).toHaveLength(1);
    expect(thetas[0]?.inputs).toHaveLength(3);
  });

  it('starts a loop variable assigned only inside the loop from undef', () => {
    const cfg = kitCfg('late', [
      block('entry', [konst('c', 0)], jump('loop')),
      block('loop', [...count(), op('mul', 'b', 'c', 'c'), ...test(4, 0)], branch('loop', 'exit')),
      block('exit', [], ret('b')),
    ]);
    const module = cfgToModule([cfg]);
    assertValid(module);
    const lambda = module.region.nodes[0] as Node;
    const region = lambda.regions[0] as Region;
    const theta = region.nodes.find((n) => n.kind === 'theta') as Node;
    const sources = theta.inputs.map((o) => (o.kind === 'out' ? nodesById(region).get(o.node) : undefined));
    expect(sources.some((n) => n?.kind === 'simple' && n.op === 'undef')).toBe(true);
    expectSameResults([cfg], module, 'late', [0]);
  });
});

describe('cfgToModule on random CFGs', () => {
  it('verifies and agrees with the CFG interpreter (1,000 graphs)', () => {
    let compared = 0;
    fc.assert(
      fc.property(arbitraryCfg(), fc.integer({ min: -4, max: 9 }), (cfg, arg) => {
        const module = cfgToModule([cfg]);
        assertValid(module);
        const expected = interpretCfg(cfg, cfg.name, [arg], { fuel: 300 });
        if (expected.outOfFuel) return;
        compared++;
        expect(interpret(module, cfg.name, [arg])).toEqual(expected.results);
      }),
      { numRuns: 1000, seed: 7 },
    );
    expect(compared).toBeGreaterThan(300);
  });
});

describe('cfgToModule with several functions', () => {
  // fact(x) = x <= 1 ? 1 : x * fact(x - 1); even/odd by mutual recursion; main calls both.
  it('puts (mutually) recursive functions in a phi and calls across lambdas', () => {
    const i2i = fn([i32], [i32]);
    const vars = new Map<VarName, Type>([...kitVariables, ['f', i2i], ['r', i32]]);
    const ref = (name: string): Instruction => ({ op: FUNCTION_REF_OP, args: [], results: ['f'], attrs: { name } });
    const call: Instruction = { op: 'call', args: ['f', 't'], results: ['r'] };
    const fact: Cfg = kitCfg(
      'fact',
      [
        block('entry', [konst('one', 1), op('le', 'cond', 'x', 'one')], branch('rec', 'base')),
        block('base', [], ret('one')),
        block('rec', [op('sub', 't', 'x', 'one'), ref('fact'), call, op('mul', 'a', 'x', 'r')], ret('a')),
      ],
      vars,
    );
    const even: Cfg = kitCfg(
      'even',
      [
        block('entry', [konst('z', 0), op('eq', 'cond', 'x', 'z')], branch('rec', 'yes')),
        block('yes', [konst('a', 1)], ret('a')),
        block('rec', [konst('one', 1), op('sub', 't', 'x', 'one'), ref('odd'), call], ret('r')),
      ],
      vars,
    );
    const odd: Cfg = kitCfg(
      'odd',
      [
        block('entry', [konst('z', 0), op('eq', 'cond', 'x', 'z')], branch('rec', 'no')),
        block('no', [konst('a', 0)], ret('a')),
        block('rec', [konst('one', 1), op('sub', 't', 'x', 'one'), ref('even'), call], ret('r')),
      ],
      vars,
    );
    const main: Cfg = kitCfg(
      'main',
      [
        block(
          'entry',
          [
            op('add', 't', 'x', 'x'),
            ref('even'),
            call,
            op('add', 'a', 'r', 'x'),
            op('add', 't', 'x', 'x'),
            ref('fact'),
            call,
          ],
          jump('exit'),
        ),
        block('exit', [op('add', 'a', 'a', 'r')], ret('a')),
      ],
      vars,
    );
    const cfgs = [main, fact, even, odd];
    const module = cfgToModule(cfgs, { exports: ['main', 'fact', 'odd'] });
    assertValid(module);
    expect(module.exports).toEqual(['main', 'fact', 'odd']);
    const kinds = module.region.nodes.map((n) => n.kind).sort();
    expect(kinds).toEqual(['lambda', 'phi', 'phi']);
    for (const x of [0, 1, 3, 5]) {
      expectSameResults(cfgs, module, 'main', [x]);
      expectSameResults(cfgs, module, 'fact', [x]);
      expectSameResults(cfgs, module, 'odd', [x]);
    }
    expect(interpret(module, 'fact', [5])).toEqual([120]);
    expect(() => cfgToModule([main])).toThrow(/no CFG named 'even'/);
  });
});

describe('cfgToModule with state', () => {
  const arr = array(f64);
  const vars = new Map<VarName, Type>([
    ['xs', arr],
    ['n', i64],
    ['m', mem],
    ['i', i64],
    ['one', i64],
    ['two', i64],
    ['zero', i64],
    ['t', i64],
    ['cond', bool],
    ['v', f64],
    ['s', f64],
  ]);
  const k64 = (r: VarName, value: bigint): Instruction => ({
    op: 'const',
    args: [],
    results: [r],
    attrs: { value, type: i64 },
  });
  // s = 0; for (i = 0; i < n; i++) { if (i % 2 == 0) xs[i] = i; else s += xs[i]; } return [s, m]
  const cfg: Cfg = {
    name: 'fill',
    params: ['xs', 'n', 'm'],
    variables: vars,
    results: [f64, mem],
    entry: 'entry',
    blocks: new Map(
      [
        block(
          'entry',
          [
            k64('i', 0n),
            k64('one', 1n),
            k64('two', 2n),
            k64('zero', 0n),
            { op: 'const', args: [], results: ['s'], attrs: { value: 0, type: f64 } },
          ],
          jump('head'),
        ),
        block('head', [op('lt', 'cond', 'i', 'n')], branch('exit', 'body')),
        block('body', [op('rem', 't', 'i', 'two'), op('eq', 'cond', 't', 'zero')], branch('read', 'write')),
        block(
          'write',
          [
            { op: 'arith.convert', args: ['i'], results: ['v'], attrs: { type: f64 } },
            { op: 'array.store', args: ['xs', 'i', 'v', 'm'], results: ['m'] },
          ],
          jump('next'),
        ),
        block(
          'read',
          [{ op: 'array.load', args: ['xs', 'i', 'm'], results: ['v', 'm'] }, op('add', 's', 's', 'v')],
          jump('next'),
        ),
        block('next', [op('add', 'i', 'i', 'one')], jump('head')),
        block('exit', [], { kind: 'return', values: ['s', 'm'] }),
      ].map((b) => [b.id, b]),
    ),
  };

  it('threads the memory state through gammas and thetas, used exactly once', () => {
    const module = cfgToModule([cfg]);
    assertValid(module);
    const a = new Float64Array([5, 5, 5, 5, 5]);
    const b = new Float64Array([5, 5, 5, 5, 5]);
    const expected = interpretCfg(cfg, 'fill', [a, 5n, memToken]);
    const got = interpret(module, 'fill', [b, 5n, memToken]);
    expect(got[0]).toBe(expected.results?.[0]);
    expect(got[0]).toBe(10);
    expect(b).toEqual(a);
    expect([...b]).toEqual([0, 5, 2, 5, 4]);
  });
});

describe('cfgToModule threading state through random control flow', () => {
  const registry = defaultRegistry.extend({
    name: 'st',
    ops: [
      {
        name: 'st.touch',
        summary: 'Writes memory (the value is only ordered, not stored).',
        effects: ['write'],
        typeOf: (ops) => (ops.length === 2 && ops[0] === i32 && ops[1] === mem ? [mem] : 'expects (i32, mem)'),
        evaluate: (ops) => [ops[1]],
      },
    ],
  });
  // Every other block writes memory; the state is a parameter and a result.
  function withState(cfg: Cfg): Cfg {
    let k = 0;
    const blocks = [...cfg.blocks.values()].map((b): ReturnType<typeof block> => {
      const touch: Instruction[] = k++ % 2 === 0 ? [{ op: 'st.touch', args: ['c', 'mm'], results: ['mm'] }] : [];
      const t = b.terminator;
      return block(
        b.id,
        [...b.instructions, ...touch],
        t.kind === 'return' ? { kind: 'return', values: [...t.values, 'mm'] } : t,
      );
    });
    return {
      ...cfg,
      params: [...cfg.params, 'mm'],
      variables: new Map([...cfg.variables, ['mm', mem]]),
      results: [i32, mem],
      blocks: new Map(blocks.map((b) => [b.id, b])),
    };
  }

  it('uses each state value exactly once, also when the function never returns (300 graphs)', () => {
    let compared = 0;
    fc.assert(
      fc.property(arbitraryCfg(), fc.integer({ min: -4, max: 9 }), (raw, arg) => {
        const cfg = withState(raw);
        const module = cfgToModule([cfg], { registry });
        assertValid(module, { registry });
        const expected = interpretCfg(cfg, cfg.name, [arg, memToken], { fuel: 300, registry });
        if (expected.outOfFuel) return;
        compared++;
        expect(interpret(module, cfg.name, [arg, memToken], { registry })).toEqual(expected.results);
      }),
      { numRuns: 300, seed: 5 },
    );
    expect(compared).toBeGreaterThan(100);
  });
});

describe('cfgToModule with a third-party dialect', () => {
  it('uses the given registry for building and interpreting', () => {
    const registry = defaultRegistry.extend({
      name: 'demo',
      ops: [
        pureOp({
          name: 'demo.triple',
          summary: 'Three times an i32.',
          typeOf: (operands) => (operands.length === 1 && operands[0] === i32 ? [i32] : 'expects one i32'),
          evaluate: (operands) => [((operands[0] as number) * 3) | 0],
        }),
      ],
    });
    const cfg = kitCfg('triple', [
      block('entry', [...start(), { op: 'demo.triple', args: ['a'], results: ['a'] }], ret()),
    ]);
    const module = cfgToModule([cfg], { registry });
    assertValid(module, { registry });
    expect(interpret(module, 'triple', [7], { registry })).toEqual([21]);
    expect(interpretCfg(cfg, 'triple', [7], { registry }).results).toEqual([21]);
    expect(() => cfgToModule([cfg])).toThrow(/op 'demo.triple' is not registered/);
  });

  it('reports a variable assigned a value of another type', () => {
    const cfg = kitCfg('bad', [
      block('entry', [{ op: 'const', args: [], results: ['a'], attrs: { value: 1.5, type: f64 } }], ret()),
    ]);
    expect(() => cfgToModule([cfg])).toThrow(/variable 'a' is declared i32 but 'const' assigns it a f64/);
  });
});
