import { ModuleBuilder, OpRegistry, defaultRegistry, i32, unknown, type Dialect } from '@rvsdg/ir';
import { describe, expect, it } from 'vitest';
import { lowerable } from './lowerable.js';
import { noDeadNodes } from './no-dead-nodes.js';
import { noJsOps } from './no-js-ops.js';
import { typed } from './typed.js';
import { verified } from './verified.js';

const jsDialect: Dialect = {
  name: 'js',
  ops: [
    {
      name: 'js.add',
      summary: 'JavaScript + on untyped values (test stand-in).',
      effects: [],
      typeOf: () => [unknown],
      evaluate: (v) => [(v[0] as number) + (v[1] as number)],
    },
  ],
};
const registry: OpRegistry = defaultRegistry.extend(jsDialect);

function untypedModule() {
  const b = new ModuleBuilder({ registry });
  const f = b.lambda('f', [unknown, unknown], (r, [x, y]) => [r.op1('js.add', [x!, y!])]);
  return b.export('f', f).build();
}

function typedModule() {
  const b = new ModuleBuilder();
  const f = b.lambda('f', [i32], (r, [x]) => {
    r.op1('arith.mul', [x!, x!]);
    return [r.op1('arith.add', [x!, x!])];
  });
  return b.export('f', f).build();
}

describe('standard conditions', () => {
  it('typed, no-js-ops and lowerable reject what the JS frontend produces and accept typed IR', () => {
    const context = { registry };
    expect(verified.check(untypedModule(), context)).toEqual([]);
    expect(typed.check(untypedModule(), context).join('\n')).toMatch(/argument 0 of region 0 of lambda .* has type \?/);
    expect(noJsOps.check(untypedModule(), context)).toEqual([expect.stringMatching(/applies js.add/)]);
    expect(lowerable.check(untypedModule(), context).length).toBeGreaterThan(0);
    expect(typed.check(typedModule(), context)).toEqual([]);
    expect(lowerable.check(typedModule(), context)).toEqual([]);
  });

  it('no-dead-nodes names the unused node', () => {
    const problems = noDeadNodes.check(typedModule(), { registry: defaultRegistry });
    expect(problems).toEqual([expect.stringMatching(/^arith\.mul \(node \d+\) in region 0 of node \d+ is dead$/)]);
  });
});
