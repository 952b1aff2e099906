import { describe, expect, it } from 'vitest';
import { isStructured, parseStructure, type StructuredSeq } from './structure.js';
import { block, branch, count, jump, kitCfg, ret, test } from './testing/cfg-kit.js';
import { shapes } from './testing/shapes.js';

function reason(cfg: Parameters<typeof parseStructure>[0]): string {
  const parsed = parseStructure(cfg);
  return parsed.ok ? 'structured' : parsed.reason;
}

function outline(seq: StructuredSeq): string {
  return seq
    .map((item) => {
      switch (item.kind) {
        case 'block':
          return item.block.id;
        case 'return':
          return 'return';
        case 'branch':
          return `if(${item.arms.map(outline).join(' | ')})->${item.join}`;
        case 'loop':
          return `loop(${outline(item.body)})->${item.exit}`;
      }
    })
    .join(' ');
}

describe('parseStructure', () => {
  it('gives the tree of branches and tail-controlled loops', () => {
    const cfg = kitCfg('tree', [
      block('entry', test(2, 0), branch('else', 'then')),
      block('then', [], jump('loop')),
      block('else', [], jump('loop')),
      block('loop', [...count(), ...test(3, 0)], branch('after', 'inner')),
      block('inner', [], jump('tail')),
      block('after', [], jump('tail')),
      block('tail', test(4, 0), branch('exit', 'loop')),
      block('exit', [], ret()),
    ]);
    const parsed = parseStructure(cfg);
    expect(parsed.ok && outline(parsed.body)).toBe(
      'entry if(else | then)->loop loop(loop if(after | inner)->tail tail)->exit exit return',
    );
  });

  it('accepts the structured shapes', () => {
    expect(isStructured((shapes.find((s) => s.name === 'acyclic structured') ?? shapes[0])!.cfg)).toBe(true);
    expect(isStructured((shapes.find((s) => s.name === 'nested do-while') ?? shapes[0])!.cfg)).toBe(false);
  });

  it('says why a CFG is not structured', () => {
    const find = (name: string) => (shapes.find((s) => s.name === name) ?? shapes[0])!.cfg;
    expect(reason(find('loop with three early returns'))).toMatch(/loop at 'head' is not tail-controlled/);
    const twoReturns = kitCfg('two_returns', [
      block('entry', test(2, 0), branch('a', 'b')),
      block('a', [], ret()),
      block('b', [], ret()),
    ]);
    expect(reason(twoReturns)).toMatch(/two return blocks \('a' and 'b'\)/);
    expect(reason(find('while'))).toMatch(/loop at 'head' is not tail-controlled/);
    expect(reason(find('do-while repeating on its first successor'))).toMatch(/not tail-controlled/);
    expect(reason(find('acyclic unstructured'))).toMatch(/other predecessors|do not nest/);
    // Both do-whiles repeat on their false edge.
    expect(reason(find('nested do-while'))).toMatch(/loop at 'outer' is not tail-controlled/);
    const breakOut = kitCfg('break_out', [
      block('entry', [], jump('head')),
      block('head', test(2, 0), branch('body', 'exit')),
      block('body', test(3, 0), branch('tail', 'tail')),
      block('tail', test(5, 0), branch('exit', 'head')),
      block('exit', [], ret()),
    ]);
    expect(reason(breakOut)).toMatch(
      /reaches loop tail 'tail' before its join|block 'exit' is entered from two regions/,
    );
  });
});
