import { ModuleBuilder, i32, type Module, type RegionBuilder, type Value } from '@rvsdg/ir';

function level(r: RegionBuilder, depth: number, acc: Value, x: Value, branches: boolean): Value {
  const [, sum] = r.theta([r.const(0, i32), acc, x], (l, [i, s, y]) => {
    const dead = l.op1('arith.mul', [y as Value, l.const(7, i32)]);
    l.op1('arith.add', [dead, i as Value]);
    const deeper = (g: RegionBuilder): Value => level(g, depth - 1, s as Value, y as Value, branches);
    const inner =
      depth <= 1
        ? (s as Value)
        : branches
          ? (l.ifElse(
              l.op1('arith.lt', [i as Value, y as Value]),
              (t) => [deeper(t)],
              () => [s as Value],
            )[0] as Value)
          : deeper(l);
    const next = l.op1('arith.add', [i as Value, l.const(1, i32)]);
    const added = l.op1('arith.add', [inner, l.op1('arith.xor', [i as Value, y as Value])]);
    return { repeat: l.op1('arith.lt', [next, l.const(3, i32)]), next: [next, added, y as Value] };
  });
  return sum as Value;
}

/**
 * A function with loops nested `depth` deep: each level counts to 3 with a
 * counter read only inside its loop, adds into an accumulator and computes
 * a dead value (3 dead nodes per level). With `branches`, each inner loop
 * sits in one branch of an if in the loop around it.
 */
export function nestedModule(depth: number, branches = false): Module {
  const b = new ModuleBuilder();
  const f = b.lambda('f', [i32], (r, [x]) => [level(r, depth, r.const(0, i32), x as Value, branches)]);
  return b.export('f', f).build();
}
