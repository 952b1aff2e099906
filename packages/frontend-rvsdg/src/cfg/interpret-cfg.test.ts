import { bool, fn, i32, mem, memToken, OpError } from '@rvsdg/ir';
import { describe, expect, it } from 'vitest';
import { FUNCTION_REF_OP, SYNTHETIC_PREFIX, type Cfg, type Instruction } from './cfg.js';
import { interpretCfg } from './interpret-cfg.js';
import { block, branch, count, jump, kitCfg, kitVariables, konst, op, ret, switchOn, test } from './testing/cfg-kit.js';

describe('interpretCfg', () => {
  it('records every assignment and branch decision in order', () => {
    const cfg = kitCfg('small', [
      block('entry', [konst('c', 2), ...test(2, 0)], branch('no', 'yes')),
      block('yes', [op('add', 'a', 'x', 'c')], ret()),
      block('no', [], ret('x')),
    ]);
    const run = interpretCfg(cfg, 'small', [40]);
    expect(run.results).toEqual([42]);
    expect(run.outOfFuel).toBe(false);
    expect(run.trace).toEqual([
      { kind: 'assign', fn: 'small', variable: 'x', value: 40 },
      { kind: 'assign', fn: 'small', variable: 'c', value: 2 },
      { kind: 'assign', fn: 'small', variable: 'm', value: 2 },
      { kind: 'assign', fn: 'small', variable: 't', value: 0 },
      { kind: 'assign', fn: 'small', variable: 'z', value: 0 },
      { kind: 'assign', fn: 'small', variable: 'cond', value: true },
      { kind: 'branch', fn: 'small', block: 'entry', successor: 1 },
      { kind: 'assign', fn: 'small', variable: 'a', value: 42 },
    ]);
  });

  it('takes the last switch target for out-of-range values and reads unassigned variables as zero', () => {
    const cfg = kitCfg('sw', [
      block('entry', [konst('sel', 7)], switchOn('zero', 'one', 'last')),
      block('zero', [], ret('x')),
      block('one', [], ret('x')),
      block('last', [op('add', 'a', 'b', 'b')], ret()),
    ]);
    const run = interpretCfg(cfg, 'sw', [1]);
    expect(run.results).toEqual([0]);
    expect(run.trace).toContainEqual({ kind: 'branch', fn: 'sw', block: 'entry', successor: 2 });
  });

  it('stops an endless loop when the fuel (blocks run) is used up', () => {
    const cfg = kitCfg('spin', [block('entry', [konst('c', 0)], jump('loop')), block('loop', count(), jump('loop'))]);
    const run = interpretCfg(cfg, 'spin', [0], { fuel: 10 });
    expect(run.outOfFuel).toBe(true);
    expect(run.results).toBeUndefined();
    expect(run.trace.filter((e) => e.kind === 'assign' && e.variable === 'c').at(-1)).toMatchObject({ value: 9 });
  });

  it('leaves synthetic variables and blocks out of the trace unless asked, and they use no fuel', () => {
    const r = `${SYNTHETIC_PREFIX}r`;
    const cfg: Cfg = kitCfg(
      'synth',
      [
        block('entry', [konst('c', 0)], jump(`${SYNTHETIC_PREFIX}b`)),
        block(`${SYNTHETIC_PREFIX}b`, [konst(r, true)], { kind: 'branch', cond: r, targets: ['entry', 'done'] }),
        block('done', [], ret('c')),
      ],
      new Map([...kitVariables, [r, bool]]),
    );
    const plain = interpretCfg(cfg, 'synth', [0], { fuel: 2 });
    expect(plain.results).toEqual([0]);
    expect(plain.trace.map((e) => (e.kind === 'assign' ? e.variable : e.block))).toEqual(['x', 'c']);
    const all = interpretCfg(cfg, 'synth', [0], { traceSynthetic: true });
    expect(all.trace.map((e) => (e.kind === 'assign' ? e.variable : e.block))).toEqual([
      'x',
      'c',
      r,
      `${SYNTHETIC_PREFIX}b`,
    ]);
  });

  it('calls other CFGs through cfg.ref and call, recursively', () => {
    const vars = new Map([...kitVariables, ['f', fn([i32], [i32])], ['r', i32]]);
    const ref: Instruction = { op: FUNCTION_REF_OP, args: [], results: ['f'], attrs: { name: 'sum' } };
    const sum = kitCfg(
      'sum',
      [
        block('entry', [konst('z', 0), op('eq', 'cond', 'x', 'z')], branch('rec', 'base')),
        block('base', [], ret('z')),
        block(
          'rec',
          [
            konst('one', 1),
            op('sub', 't', 'x', 'one'),
            ref,
            { op: 'call', args: ['f', 't'], results: ['r'] },
            op('add', 'a', 'x', 'r'),
          ],
          ret(),
        ),
      ],
      vars,
    );
    const run = interpretCfg([sum], 'sum', [10]);
    expect(run.results).toEqual([55]);
    expect(run.trace.filter((e) => e.kind === 'assign' && e.variable === 'x')).toHaveLength(11);
    expect(() => interpretCfg([sum], 'other', [1])).toThrow(/no CFG named 'other'/);
  });

  it('reports a program error with the trace so far', () => {
    const cfg: Cfg = {
      ...kitCfg('fail', [
        block(
          'entry',
          [
            konst('a', 1),
            { op: 'raise', args: ['s'], results: ['s'], attrs: { error: 'RangeError', message: 'boom' } },
          ],
          ret(),
        ),
      ]),
      variables: new Map([...kitVariables, ['s', mem]]),
      params: ['x', 's'],
    };
    const run = interpretCfg(cfg, 'fail', [1, memToken]);
    expect(run.error).toBeInstanceOf(OpError);
    expect(run.error?.errorName).toBe('RangeError');
    expect(run.results).toBeUndefined();
    expect(run.trace.at(-1)).toMatchObject({ variable: 'a', value: 1 });
  });
});
