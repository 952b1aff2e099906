import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { isSynthetic, type Cfg } from './cfg.js';
import { interpretCfg } from './interpret-cfg.js';
import { restructureCfg } from './restructure.js';
import { isStructured, parseStructure } from './structure.js';
import { arbitraryCfg, randomCfg, type RandomBlockSpec } from './testing/random-cfg.js';
import { shapeArgs, shapes } from './testing/shapes.js';
import { block, branch, count, jump, kitCfg, ret, test } from './testing/cfg-kit.js';

/** Runs both CFGs on the same argument and fuel; the traces of original variables and branches must agree. */
function expectSameRun(original: Cfg, restructured: Cfg, arg: number, fuel: number): boolean {
  const before = interpretCfg(original, original.name, [arg], { fuel });
  const after = interpretCfg(restructured, restructured.name, [arg], { fuel });
  expect(after.outOfFuel).toBe(before.outOfFuel);
  expect(after.trace).toEqual(before.trace);
  expect(after.results).toEqual(before.results);
  return !before.outOfFuel;
}

describe('restructureCfg on the control-flow shapes', () => {
  for (const shape of shapes) {
    it(shape.name, () => {
      expect(isStructured(shape.cfg)).toBe(
        !/unstructured|irreducible|first successor|early returns|two breaks|while$/.test(shape.name) && !shape.endless,
      );
      const restructured = restructureCfg(shape.cfg);
      const parsed = parseStructure(restructured);
      expect(parsed.ok ? 'structured' : parsed.reason).toBe('structured');
      for (const arg of shapeArgs) {
        const finished = expectSameRun(shape.cfg, restructured, arg, shape.endless ? 500 : 100_000);
        expect(finished).toBe(!shape.endless);
      }
      // Original blocks keep their instructions; only synthetic names are new.
      for (const [id, b] of shape.cfg.blocks) expect(restructured.blocks.get(id)?.instructions).toBe(b.instructions);
      for (const id of restructured.blocks.keys()) if (!shape.cfg.blocks.has(id)) expect(isSynthetic(id)).toBe(true);
      for (const v of restructured.variables.keys()) if (!shape.cfg.variables.has(v)) expect(isSynthetic(v)).toBe(true);
    });
  }

  it('keeps an already tail-controlled loop without synthetic predicates', () => {
    const cfg = kitCfg('plain', [
      block('entry', [], jump('body')),
      block('body', [...count(), ...test(3, 0)], branch('exit', 'body')),
      block('exit', [], ret('c')),
    ]);
    const restructured = restructureCfg(cfg);
    expect([...restructured.variables.keys()].filter(isSynthetic)).toEqual([]);
    expect(restructured.blocks.get('body')?.terminator).toEqual(cfg.blocks.get('body')?.terminator);
  });

  it('handles 30,000 blocks in a chain of loops without overflowing the stack', () => {
    const blocks = [block('entry', [], jump('l0'))];
    const n = 15_000;
    for (let i = 0; i < n; i++) {
      const next = i + 1 < n ? `l${i + 1}` : 'exit';
      blocks.push(block(`l${i}`, [...count(), ...test(2, 0)], branch(`m${i}`, next)));
      blocks.push(block(`m${i}`, [], jump(`l${i}`)));
    }
    blocks.push(block('exit', [], ret('c')));
    const restructured = restructureCfg(kitCfg('chain', blocks));
    expect(isStructured(restructured)).toBe(true);
  });
});

describe('restructureCfg on random CFGs', () => {
  it('keeps the predicates of nested joins apart when one edge passes both setters', () => {
    // Found by the random test: an outer join's setter ends up before an inner join's setter on the same path.
    const j = (t: number): RandomBlockSpec => ({ data: 0, terminator: 0, targets: [t, 0, 0], modulus: 2, offset: 0 });
    const cfg = randomCfg('nested_joins', [
      j(4),
      j(11),
      j(1),
      j(5),
      { data: 0, terminator: 1, targets: [10, 7, 0], modulus: 2, offset: 1 },
      { data: 0, terminator: 2, targets: [3, 8, 7], modulus: 4, offset: 0 },
      j(0),
      j(7),
      j(1),
      j(0),
      { data: 0, terminator: 1, targets: [5, 1, 0], modulus: 2, offset: 0 },
      { data: 0, terminator: 3, targets: [0, 0, 0], modulus: 2, offset: 0 },
    ]);
    const restructured = restructureCfg(cfg);
    expect(isStructured(restructured)).toBe(true);
    for (const arg of [0, 1, 2, 3]) expectSameRun(cfg, restructured, arg, 300);
  });

  it('gives structured CFGs with the same traces (1,000 graphs)', () => {
    let finished = 0;
    fc.assert(
      fc.property(arbitraryCfg(), fc.integer({ min: -4, max: 9 }), (cfg, arg) => {
        const restructured = restructureCfg(cfg);
        const parsed = parseStructure(restructured);
        expect(parsed.ok ? 'structured' : parsed.reason).toBe('structured');
        if (expectSameRun(cfg, restructured, arg, 300)) finished++;
      }),
      { numRuns: 1000, seed: 20150101 },
    );
    // Enough of the graphs return for the comparison of results to mean something.
    expect(finished).toBeGreaterThan(300);
  });
});
