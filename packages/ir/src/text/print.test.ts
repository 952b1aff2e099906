import { describe, expect, it } from 'vitest';
import { ModuleBuilder } from '../builder/builder.js';
import type { Module } from '../nodes/module.js';
import type { Node } from '../nodes/node.js';
import type { Region } from '../nodes/region.js';
import { forEachNode } from '../nodes/rewrite.js';
import type { AttrValue, Attrs } from '../nodes/simple.js';
import { pureOp } from '../ops/define.js';
import { defaultRegistry } from '../ops/default-registry.js';
import {
  array,
  bool,
  ctrl,
  f32,
  f64,
  fn,
  i16,
  i32,
  i64,
  i8,
  io,
  mem,
  tuple,
  u16,
  u32,
  u64,
  u8,
  unknown,
} from '../types/type.js';
import { parseModule } from './parse.js';
import { printAttrValue, printModule, printNode, printNumber, printRegion } from './print.js';

/** A dialect whose one op accepts any attributes and operands and yields the types listed in attribute `out`. */
const testRegistry = defaultRegistry.extend({
  name: 'test',
  ops: [
    pureOp({
      name: 'test.any',
      summary: 'Accepts anything; outputs the type in attribute `out` when present.',
      typeOf: (_operands, attrs) => {
        const out = attrs['out'];
        return typeof out === 'object' ? [out] : [];
      },
      evaluate: () => [],
    }),
  ],
});

function factorial(): Module {
  const b = new ModuleBuilder();
  const fact = b.lambda(
    'fact',
    [i64],
    (f, [n]) => {
      const one = f.const(1n, i64);
      const [acc] = f.theta([one, one], (l, [acc, i]) => {
        const acc2 = l.op1('arith.mul', [acc!, i!]);
        const i2 = l.op1('arith.add', [i!, l.const(1n, i64)]);
        return { repeat: l.op1('arith.le', [i2, n!]), next: [acc2, i2] };
      });
      return [acc!];
    },
    { line: 3, column: 5 },
  );
  return b.export('fact', fact).build();
}

/** Every node kind, nested structural nodes, context variables, mem and io state, arrays and every type form. */
function everything(): Module {
  const b = new ModuleBuilder({ registry: testRegistry, firstNodeId: 100 });
  const ext = b.import('ext', fn([f64], [f64]));
  const data = b.import('data', array(f64));
  b.import('matrix', array(f32, { rank: 2, layout: 'F' }));
  b.import('pixels', array(u8, { clamped: true }));
  b.import('any layout', array(i16, { rank: 3, layout: 'A' }));
  const pair = b.import('pair', tuple([i32, tuple([]), fn([], [])]));
  b.import('unknown', unknown);
  b.import('io', io);
  b.import('more', tuple([u16, u32, u64, i8, bool, ctrl(7), mem]));
  const scale = b.delta('scale', (d) => d.op1('arith.mul', [d.const(2, f64), d.const(0.5, f64)]));
  const sumArray = b.lambda('sum array', [mem], (f, [m]) => {
    const len = f.op1('array.length', [data]);
    const zero = f.const(0n, i64);
    const [, total, mOut] = f.theta([zero, f.const(0, f64), m!], (l, [i, acc, lm]) => {
      const [x, m2] = l.op('array.load', [data, i!, lm!]);
      const [y] = l.call(ext, [x!], { line: 10, column: 2 });
      const scaled = l.op1('arith.mul', [y!, scale]);
      const i2 = l.op1('arith.add', [i!, l.const(1n, i64)]);
      return { repeat: l.op1('arith.lt', [i2, len]), next: [i2, l.op1('arith.add', [acc!, scaled]), m2!] };
    });
    return [total!, mOut!];
  });
  const [even, odd] = b.phi([fn([i64], [bool]), fn([i64], [bool])], (p, [isEven, isOdd]) => {
    const mk = (name: string, other: typeof isEven, base: boolean) =>
      p.lambda(name, [i64], (f, [n]) => {
        const zero = f.const(0n, i64);
        const pred = f.match(f.op1('arith.convert', [n!], { type: i32 }), 3);
        return f.gamma(
          pred,
          [
            (r) => [r.const(base, bool)],
            (r) => [r.call(other!, [r.op1('arith.sub', [n!, r.const(1n, i64)])])[0]!],
            (r) => [r.op1('arith.eq', [n!, zero])],
          ],
          [],
        );
      });
    return [mk('even', isOdd, true), mk('odd', isEven, false)];
  });
  const raise = b.lambda('fail', [io, tuple([i32, tuple([]), fn([], [])])], (f, [s]) => [
    f.op1('raise', [s!], { error: 'RangeError', message: 'bad "index"\n\tat line 1' }),
    f.undef(tuple([i32, tuple([]), fn([], [])])),
    f.op1('test.any', [pair], { out: unknown, 'a key': -0 }),
    f.op1('const', [], { value: 1.5, type: unknown }),
  ]);
  const alloc = b.lambda('alloc', [i64, mem], (f, [n, m]) =>
    f.op('array.alloc', [n!, m!], { type: array(u8, { clamped: true }) }),
  );
  return b
    .export('sum', sumArray)
    .export('even', even!)
    .export('odd', odd!)
    .export('fail', raise)
    .export('alloc', alloc)
    .export('', scale)
    .build();
}

const specialNumbers = [
  0,
  -0,
  NaN,
  Infinity,
  -Infinity,
  0.1,
  1 / 3,
  -2.5e-7,
  5e-324,
  Number.MAX_VALUE,
  Number.MIN_VALUE,
  Number.MAX_SAFE_INTEGER + 2,
  1e21,
  123456789012345680000,
  -1e-7,
];

function attributes(): Module {
  const values: Record<string, AttrValue> = {
    big: 123n,
    negBig: -(2n ** 100n),
    zeroBig: 0n,
    yes: true,
    no: false,
    empty: '',
    text: 'quote " backslash \\ newline \n tab \t nul \u0000 unicode é 😀 lone \ud800 sep \u2028',
    arrayType: array(f64, { rank: 2, layout: 'F' }),
    fnType: fn([tuple([i8, u8]), unknown], [ctrl(2), io]),
    unknownType: unknown,
    'key with spaces': 1,
    '1': 'integer-like key',
    true: 'a key spelled like a boolean',
    NaN: 'a key spelled like a number',
  };
  specialNumbers.forEach((x, i) => (values[`n${i}`] = x));
  // Object literals treat __proto__ as the prototype; define it as an own property like the parser does.
  Object.defineProperty(values, '__proto__', { value: 'not a prototype', enumerable: true, writable: true });
  const b = new ModuleBuilder({ registry: testRegistry });
  const f = b.lambda('attrs', [], (r) => [r.op1('test.any', [], { ...values, out: f64 })]);
  return b.export('attrs', f).build();
}

const modules: [string, () => Module][] = [
  ['factorial', factorial],
  ['everything', everything],
  ['attributes', attributes],
  ['empty', () => new ModuleBuilder().build()],
];

function expectDeepFrozen(value: unknown, seen = new Set<unknown>()): void {
  if (typeof value !== 'object' || value === null || seen.has(value)) return;
  seen.add(value);
  expect(Object.isFrozen(value)).toBe(true);
  for (const v of Object.values(value)) expectDeepFrozen(v, seen);
}

function allNodes(module: Module): Node[] {
  const nodes: Node[] = [];
  forEachNode(module, (n) => nodes.push(n));
  return nodes;
}

function sameAttrs(a: Attrs, b: Attrs): void {
  expect(Object.keys(b)).toEqual(Object.keys(a));
  for (const key of Object.keys(a)) expect(Object.is(a[key], b[key]), key).toBe(true);
}

function sameRegionTypes(a: Region, b: Region): void {
  a.arguments.forEach((t, i) => expect(b.arguments[i]).toBe(t));
}

describe('printModule / parseModule round trip', () => {
  it.each(modules)(
    '%s: print -> parse -> print is the identity and the parsed module equals the built one',
    (_, make) => {
      const module = make();
      const text = printModule(module);
      const parsed = parseModule(text);
      expect(printModule(parsed)).toBe(text);
      expect(parsed).toEqual(module);
      expectDeepFrozen(parsed);
      // Interned types must come back as the very same objects, and numbers exactly (-0, NaN).
      const built = allNodes(module);
      const read = allNodes(parsed);
      expect(read.map((n) => n.id)).toEqual(built.map((n) => n.id));
      built.forEach((node, i) => {
        const other = read[i] as Node;
        node.outputs.forEach((t, k) => expect(other.outputs[k]).toBe(t));
        node.regions.forEach((r, k) => sameRegionTypes(r, other.regions[k] as Region));
        if (node.kind === 'simple' && other.kind === 'simple') sameAttrs(node.attrs, other.attrs);
        if (node.kind === 'lambda' && other.kind === 'lambda') expect(other.type).toBe(node.type);
      });
      module.imports.forEach((imp, i) => expect(parsed.imports[i]?.type).toBe(imp.type));
    },
  );

  it('prints the factorial in the documented form', () => {
    expect(printModule(factorial())).toBe(
      [
        'module {',
        '  %7 = lambda @fact : fn(i64) -> (i64) loc(3:5) {',
        '    ^(%a0: i64)',
        '    %0 = const {value = 1n, type = i64} : i64',
        '    %6 = theta(%0.0, %0.0, %a0) : (i64, i64, i64) {',
        '      ^(%a0: i64, %a1: i64, %a2: i64)',
        '      %1 = arith.mul(%a0, %a1) : i64',
        '      %2 = const {value = 1n, type = i64} : i64',
        '      %3 = arith.add(%a1, %2.0) : i64',
        '      %4 = arith.le(%3.0, %a2) : bool',
        '      %5 = match(%4.0) {alternatives = 2} : ctrl<2>',
        '      yield (%5.0, %1.0, %3.0, %a2)',
        '    }',
        '    yield (%6.0)',
        '  }',
        '  export @fact = %7.0',
        '}',
        '',
      ].join('\n'),
    );
  });

  it('quotes names, op names and attribute keys that are not bare words', () => {
    const text = printModule(everything());
    expect(text).toContain('import @"any layout" : i16[,,:A]');
    expect(text).toContain('lambda @"sum array"');
    expect(text).toContain('export @"" = ');
    expect(text).toContain('"a key" = -0');
    expect(text).toContain('import @pixels : u8c[]');
    expect(text).toContain('import @more : tuple<u16, u32, u64, i8, bool, ctrl<7>, mem>');
    expect(text).toMatch(/= call\(%a\d+, %\d+\.0\) : f64 loc\(10:2\)\n/);
    expect(text).toMatch(/= gamma\(%\d+\.0, %a0, %a1, %\d+\.0\) : bool \{\n/);
    expect(text).toMatch(/\} \{\n/);
  });
});

describe('attribute values', () => {
  it.each(specialNumbers.map((x) => [printNumber(x), x]))('number %s reads back exactly', (text, x) => {
    expect(Object.is(Number(text), x)).toBe(true);
  });

  it('prints every kind of value distinctly', () => {
    expect(printAttrValue(1)).toBe('1');
    expect(printAttrValue(1n)).toBe('1n');
    expect(printAttrValue(-0)).toBe('-0');
    expect(printAttrValue(-Infinity)).toBe('-Infinity');
    expect(printAttrValue(true)).toBe('true');
    expect(printAttrValue('true')).toBe('"true"');
    expect(printAttrValue(array(u8, { clamped: true, rank: 2 }))).toBe('u8c[,]');
  });
});

describe('printNode / printRegion', () => {
  it('print one node or region at a given depth', () => {
    const lambda = factorial().region.nodes[0] as Node;
    const theta = lambda.regions[0]?.nodes[1] as Node;
    const text = printNode(theta, 1);
    expect(text.split('\n')[0]).toBe('  %6 = theta(%0.0, %0.0, %a0) : (i64, i64, i64) {');
    expect(text.split('\n').at(-1)).toBe('  }');
    const region = printRegion(theta.regions[0] as Region);
    expect(region.split('\n')).toEqual([
      '{',
      '  ^(%a0: i64, %a1: i64, %a2: i64)',
      '  %1 = arith.mul(%a0, %a1) : i64',
      '  %2 = const {value = 1n, type = i64} : i64',
      '  %3 = arith.add(%a1, %2.0) : i64',
      '  %4 = arith.le(%3.0, %a2) : bool',
      '  %5 = match(%4.0) {alternatives = 2} : ctrl<2>',
      '  yield (%5.0, %1.0, %3.0, %a2)',
      '}',
    ]);
  });

  it('prints a module whose root region disagrees with its imports or exports, and reads it back', () => {
    const m = factorial();
    const variants: [Module, string[]][] = [
      [{ ...m, exports: [] }, ['  yield (%7.0)\n}']],
      [
        { ...m, exports: ['fact', 'ghost', 'ghost 2'] },
        ['  export @fact = %7.0\n  export @ghost\n  export @"ghost 2"\n}'],
      ],
      [{ ...m, imports: [{ name: 'x', type: f64 }] }, ['module {\n  ^()\n  import @x : f64\n']],
      [{ ...m, region: { ...m.region, arguments: [i64, mem] } }, ['module {\n  ^(%a0: i64, %a1: mem)\n  %7 = lambda']],
    ];
    for (const [module, fragments] of variants) {
      const text = printModule(module);
      for (const fragment of fragments) expect(text).toContain(fragment);
      const parsed = parseModule(text);
      expect(parsed).toEqual(module);
      expect(printModule(parsed)).toBe(text);
    }
  });

  it('prints ill-formed structure as it is, so the verifier can be shown what it rejects', () => {
    const lambda = factorial().region.nodes[0];
    if (lambda?.kind !== 'lambda') throw new Error('expected the lambda');
    const bad = { ...lambda, outputs: [fn([], [])] as const, regions: [] as unknown as typeof lambda.regions };
    const text = printNode(bad as Node);
    expect(text).toBe('%7 = lambda @fact : fn(i64) -> (i64) outputs (fn() -> ()) loc(3:5)');
    const reparsed = parseModule(`module {\n${text}\n}`).region.nodes[0];
    expect(reparsed).toEqual(bad);
  });
});

describe('large modules', () => {
  it('prints and parses a 100k-node module without running out of stack (npm run bench:ir measures the time)', () => {
    const b = new ModuleBuilder();
    const f = b.lambda('chain', [f64], (r, [x]) => {
      let acc = x!;
      for (let i = 0; i < 100_000; i++) acc = r.op1('arith.add', [acc, x!]);
      return [acc];
    });
    const module = b.export('chain', f).build();
    const text = printModule(module);
    const parsed = parseModule(text);
    expect(parsed.region.nodes[0]?.regions[0]?.nodes).toHaveLength(100_000);
    expect(printModule(parsed)).toBe(text);
  });
});
