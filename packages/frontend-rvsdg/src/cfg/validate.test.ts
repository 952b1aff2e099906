import { defaultRegistry, i32, mem } from '@rvsdg/ir';
import { describe, expect, it } from 'vitest';
import { FUNCTION_REF_OP, type Cfg } from './cfg.js';
import { assertValidCfg, CfgError, validateCfg } from './validate.js';
import { block, branch, jump, kitCfg, konst, op, ret, start } from './testing/cfg-kit.js';
import { shapes } from './testing/shapes.js';

describe('validateCfg', () => {
  it('accepts every shape', () => {
    for (const shape of shapes) expect(validateCfg(shape.cfg, { registry: defaultRegistry })).toEqual([]);
  });

  it('names each problem and where it is', () => {
    const cfg: Cfg = {
      ...kitCfg('bad', [
        block('entry', [...start(), op('add', 'a', 'a', 'nope')], branch('missing', 'exit')),
        block(
          'exit',
          [
            { op: 'demo.unknown', args: [], results: ['a'] },
            { op: FUNCTION_REF_OP, args: [], results: ['a'] },
          ],
          {
            kind: 'return',
            values: ['a', 'b'],
          },
        ),
        { id: 'renamed', instructions: [], terminator: { kind: 'switch', value: 'sel', targets: [] } },
      ]),
      params: ['x', 'x'],
    };
    const blocks = new Map(cfg.blocks);
    blocks.set('alias', blocks.get('renamed')!);
    const problems = validateCfg(
      { ...cfg, blocks, entry: 'nowhere' },
      { registry: defaultRegistry, functions: new Set(['bad']) },
    );
    expect(problems).toEqual([
      "entry block 'nowhere' does not exist",
      "parameters: 'x' appears twice",
      "block 'entry', instruction 3 (arith.add): variable 'nope' is not declared",
      "block 'entry': jumps to block 'missing', which does not exist",
      "block 'exit', instruction 0 (demo.unknown): op 'demo.unknown' is not registered",
      "block 'exit', instruction 1 (cfg.ref): needs a string attribute 'name'",
      "block 'exit': returns 2 value(s) but the function has 1 result(s)",
      "block 'renamed': switch has no targets",
      "block 'alias': stored under 'alias' but its id is 'renamed'",
      "block 'alias': switch has no targets",
    ]);
  });

  it('checks cfg.ref targets and copies', () => {
    const cfg = kitCfg('refs', [
      block(
        'entry',
        [
          { op: FUNCTION_REF_OP, args: [], results: ['a'], attrs: { name: 'other' } },
          { op: 'cfg.copy', args: ['a', 'b'], results: ['c'] },
        ],
        ret(),
      ),
    ]);
    expect(validateCfg(cfg, { functions: new Set(['refs']) })).toEqual([
      "block 'entry', instruction 0 (cfg.ref): no CFG named 'other'",
      "block 'entry', instruction 1 (cfg.copy): takes one arg and has one result",
    ]);
  });

  it('assertValidCfg throws a CfgError listing every problem', () => {
    const cfg = kitCfg('broken', [
      block('entry', [konst('a', 1)], jump('gone')),
      block('b', [], { kind: 'return', values: [] }),
    ]);
    try {
      assertValidCfg(cfg);
      expect.unreachable();
    } catch (e) {
      expect(e).toBeInstanceOf(CfgError);
      expect((e as CfgError).problems).toHaveLength(2);
      expect((e as CfgError).message).toMatch(/invalid CFG 'broken':\n {2}block 'entry': jumps to block 'gone'/);
    }
    const typed = { ...cfg, variables: new Map([...cfg.variables, ['m', mem]]), results: [i32, mem] };
    expect(validateCfg(typed)).toContain("block 'b': returns 0 value(s) but the function has 2 result(s)");
  });
});
