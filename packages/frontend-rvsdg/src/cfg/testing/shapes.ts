import type { Cfg } from '../cfg.js';
import { block, branch, count, jump, kitCfg, konst, op, ret, select, start, switchOn, test } from './cfg-kit.js';

/**
 * The control-flow shapes restructuring must handle, each a small CFG over
 * the kit variables. `endless` never returns.
 */
export interface Shape {
  readonly name: string;
  readonly cfg: Cfg;
  readonly endless?: boolean;
}

const data = (name: string, result: string, a: string, b: string) => op(name, result, a, b);

export const shapes: readonly Shape[] = [
  {
    name: 'acyclic structured',
    cfg: kitCfg('acyclic_structured', [
      block('entry', [...start(), op('rem', 't', 'x', 'b'), ...test(2, 0)], branch('else', 'then')),
      block('then', [...count(), ...test(3, 1)], branch('t2', 't1')),
      block('t1', [data('add', 'a', 'a', 'x')], jump('tj')),
      block('t2', [data('mul', 'a', 'a', 'x')], jump('tj')),
      block('tj', [...count()], jump('join')),
      block('else', [...count(), data('sub', 'a', 'a', 'c')], jump('join')),
      block('join', [data('add', 'a', 'a', 'b')], ret()),
    ]),
  },
  {
    name: 'acyclic unstructured',
    cfg: kitCfg('acyclic_unstructured', [
      block('entry', [...start(), konst('one', 1), op('and', 'c', 'x', 'one'), ...test(2, 1)], branch('b1', 'b2')),
      block('b1', [...count(), data('add', 'a', 'a', 'c'), ...test(3, 0)], branch('d', 'e')),
      block('b2', [...count(), data('mul', 'a', 'a', 'c'), ...test(2, 0)], branch('d', 'e')),
      block('d', [...count(), data('sub', 'b', 'a', 'c'), ...test(2, 1)], branch('f', 'e')),
      block('e', [data('add', 'a', 'a', 'b')], jump('f')),
      block('f', [data('add', 'a', 'a', 'b')], ret()),
    ]),
  },
  {
    name: 'nested do-while',
    cfg: kitCfg('nested_do_while', [
      block('entry', [...start()], jump('outer')),
      block('outer', [...count(), data('add', 'b', 'b', 'c')], jump('inner')),
      block('inner', [...count(), data('add', 'a', 'a', 'b'), ...test(4, 0)], branch('inner', 'outer_tail')),
      block('outer_tail', [...count(), ...test(5, 0)], branch('outer', 'exit')),
      block('exit', [], ret()),
    ]),
  },
  {
    name: 'while',
    cfg: kitCfg('while_loop', [
      block('entry', [...start(), konst('z', 9)], jump('head')),
      block('head', [...count(), op('gt', 'cond', 'c', 'z')], branch('body', 'exit')),
      block('body', [data('add', 'a', 'a', 'c')], jump('head')),
      block('exit', [], ret()),
    ]),
  },
  {
    name: 'irreducible',
    cfg: kitCfg('irreducible', [
      block('entry', [...start(), konst('one', 1), op('and', 'c', 'x', 'one'), ...test(2, 0)], branch('left', 'right')),
      block('left', [...count(), data('add', 'a', 'a', 'c'), ...test(5, 0)], branch('right', 'exit')),
      block('right', [...count(), data('mul', 'b', 'b', 'a'), ...test(7, 0)], branch('left', 'exit2')),
      block('exit', [], ret()),
      block('exit2', [], ret('b')),
    ]),
  },
  {
    name: 'unstructured acyclic graph inside a do-while',
    cfg: kitCfg('unstructured_in_loop', [
      block('entry', [...start()], jump('h')),
      block('h', [...count(), ...test(2, 0)], branch('p', 'q')),
      block('p', [...count(), data('add', 'a', 'a', 'c'), ...test(3, 0)], branch('r', 's')),
      block('q', [...count(), data('sub', 'a', 'a', 'c'), ...test(3, 1)], branch('r', 's')),
      block('r', [data('add', 'b', 'b', 'a'), ...test(2, 1)], branch('s', 'tail')),
      block('s', [data('mul', 'b', 'b', 'c')], jump('tail')),
      block('tail', [...count(), ...test(6, 0)], branch('h', 'exit')),
      block('exit', [data('add', 'a', 'a', 'b')], ret()),
    ]),
  },
  {
    name: "short-circuit '||' before a do-while",
    cfg: kitCfg('or_then_loop', [
      block('entry', [...start(), konst('z', 3), op('lt', 'cond', 'x', 'z')], branch('rhs', 'then')),
      block('rhs', [konst('z', 10), op('gt', 'cond', 'x', 'z')], branch('else', 'then')),
      block('then', [konst('b', 2)], jump('loop')),
      block('else', [konst('b', 3)], jump('loop')),
      block('loop', [...count(), data('mul', 'a', 'a', 'b'), ...test(4, 0)], branch('loop', 'exit')),
      block('exit', [], ret()),
    ]),
  },
  {
    name: 'endless loop',
    endless: true,
    cfg: kitCfg('endless', [
      block('entry', [...start()], jump('spin')),
      block('spin', [...count(), data('add', 'a', 'a', 'c'), ...test(3, 0)], branch('odd', 'even')),
      block('odd', [data('sub', 'b', 'b', 'a')], jump('spin')),
      block('even', [data('add', 'b', 'b', 'a')], jump('spin')),
    ]),
  },
  {
    name: 'do-while repeating on its first successor',
    cfg: kitCfg('do_while_first', [
      block('entry', [...start()], jump('body')),
      block('body', [...count(), data('add', 'a', 'a', 'c'), ...test(7, 0)], branch('body', 'exit')),
      block('exit', [], ret()),
    ]),
  },
  {
    name: 'loop with three early returns',
    cfg: kitCfg('three_returns', [
      block('entry', [...start()], jump('head')),
      block('head', [...count(), data('add', 'a', 'a', 'c'), ...test(11, 0)], branch('c2', 'r1')),
      block('c2', [...count(), ...test(13, 0)], branch('c3', 'r2')),
      block('c3', [...count(), data('add', 'b', 'b', 'a'), ...test(17, 0)], branch('latch', 'r3')),
      block('latch', [...count(), ...test(19, 0)], branch('head', 'done')),
      block('r1', [], ret('a')),
      block('r2', [], ret('b')),
      block('r3', [data('add', 'a', 'a', 'b')], ret('a')),
      block('done', [], ret('c')),
    ]),
  },
  {
    name: 'loop with two breaks to different targets',
    cfg: kitCfg('two_breaks', [
      block('entry', [...start()], jump('head')),
      block('head', [...count(), data('add', 'a', 'a', 'c'), ...test(7, 3)], branch('mid', 'out1')),
      block('mid', [...count(), ...select(5)], switchOn('head', 'out2', 'head', 'mid2', 'head')),
      block('mid2', [...count(), ...test(3, 0)], branch('head', 'out1')),
      block('out1', [data('add', 'a', 'a', 'b')], jump('end')),
      block('out2', [data('sub', 'a', 'a', 'b')], jump('end')),
      block('end', [], ret()),
    ]),
  },
];

/** Arguments every shape is run with. */
export const shapeArgs: readonly number[] = [0, 1, 2, 5, 12, -3];
