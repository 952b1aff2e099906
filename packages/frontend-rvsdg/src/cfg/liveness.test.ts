import { i32 } from '@rvsdg/ir';
import { describe, expect, it } from 'vitest';
import type { Cfg, Instruction, VarName } from './cfg.js';
import { liveness } from './liveness.js';
import { block, branch, jump, kitCfg, konst, op, ret, test } from './testing/cfg-kit.js';

describe('liveness', () => {
  it('follows uses around a loop and stops at assignments', () => {
    const cfg = kitCfg('loop', [
      block('entry', [konst('c', 0), konst('b', 5)], jump('head')),
      block('head', [op('add', 'c', 'c', 'b'), ...test(4, 0)], branch('head', 'exit')),
      block('exit', [op('add', 'a', 'c', 'x')], ret()),
    ]);
    const live = liveness(cfg);
    expect(live.liveIn('entry')).toEqual(['x']);
    expect(live.liveIn('head')).toEqual(['x', 'c', 'b']);
    expect(live.liveOut('head')).toEqual(['x', 'c', 'b']);
    expect(live.liveIn('exit')).toEqual(['x', 'c']);
    expect(live.liveOut('exit')).toEqual([]);
  });

  it('handles more than 32 variables (several words per bit set)', () => {
    const names: VarName[] = Array.from({ length: 70 }, (_, i) => `v${i}`);
    const variables = new Map(names.map((n) => [n, i32]));
    const chain: Instruction[] = names.slice(1).map((n, i) => op('add', n, names[i] as VarName, names[i] as VarName));
    const cfg: Cfg = {
      ...kitCfg('wide', [block('entry', [], jump('body')), block('body', chain, ret('v69'))], variables),
      params: ['v0'],
    };
    const live = liveness(cfg);
    expect(live.liveIn('body')).toEqual(['v0']);
    expect(live.liveOut('entry')).toEqual(['v0']);
    // v31 and v63 are read before they are assigned: bit 31 of a word must round-trip.
    const loop: Cfg = {
      ...kitCfg(
        'wide_loop',
        [
          block('entry', [], jump('body')),
          block('body', [op('add', 'v1', 'v31', 'v63'), ...chain.slice(1)], jump('body')),
        ],
        variables,
      ),
      params: ['v0'],
    };
    expect(liveness(loop).liveIn('body')).toEqual(['v31', 'v63']);
  });
});
