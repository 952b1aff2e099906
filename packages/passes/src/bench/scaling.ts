/**
 * Pass time against module size: builds modules of about 1k, 10k and 100k
 * nodes (straight-line integer arithmetic with repeated subexpressions,
 * constants, dead values, gammas and small loops) and times fold, cne and
 * dne on each, with checking and freezing off as in production.
 *
 *     npm run bench -w @rvsdg/passes
 */
import { ModuleBuilder, countNodes, i32, setFreezing, type Module, type RegionBuilder, type Value } from '@rvsdg/ir';
import { runPipeline } from '../manager/pass-manager.js';
import { cne } from '../passes/cne.js';
import { dne } from '../passes/dne.js';
import { fold } from '../passes/fold.js';
import { verified } from '../conditions/verified.js';

function random(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

const ops = ['arith.add', 'arith.sub', 'arith.mul', 'arith.xor', 'arith.and'];

/** A module with one function of roughly `target` nodes. */
export function benchModule(target: number, seed = 1): Module {
  const next = random(seed);
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(next() * xs.length)] as T;
  const b = new ModuleBuilder();
  const f = b.lambda('f', [i32, i32], (r, params) => {
    const pool: Value[] = [...params];
    const recent = (): Value => pool[Math.max(0, pool.length - 1 - Math.floor(next() * 16))] as Value;
    const emitOps = (region: RegionBuilder, count: number, local: Value[]): void => {
      for (let k = 0; k < count; k++) {
        const roll = next();
        const at = (): Value => local[Math.max(0, local.length - 1 - Math.floor(next() * 16))] as Value;
        if (roll < 0.15) local.push(region.const(Math.floor(next() * 100), i32));
        else if (roll < 0.3 && local.length > 2) {
          // The same computation again: work for CNE.
          const a = at();
          const c = at();
          const op = pick(ops);
          local.push(region.op1(op, [a, c]), region.op1(op, [a, c]));
        } else local.push(region.op1(pick(ops), [at(), at()]));
      }
    };
    let built = 0;
    while (built < target) {
      const roll = next();
      if (roll < 0.04) {
        const [g] = r.ifElse(
          r.op1('arith.lt', [recent(), recent()]),
          (t) => {
            const local = [recent(), recent()];
            emitOps(t, 4, local);
            return [local[local.length - 1] as Value];
          },
          (e) => {
            const local = [recent(), recent()];
            emitOps(e, 4, local);
            return [local[local.length - 1] as Value];
          },
        );
        pool.push(g as Value);
        built += 14;
      } else if (roll < 0.06) {
        const [, acc] = r.theta([r.const(0, i32), recent()], (l, [i, acc]) => {
          const local = [acc as Value, recent()];
          emitOps(l, 4, local);
          const i2 = l.op1('arith.add', [i as Value, l.const(1, i32)]);
          return { repeat: l.op1('arith.lt', [i2, l.const(4, i32)]), next: [i2, local[local.length - 1] as Value] };
        });
        pool.push(acc as Value);
        built += 12;
      } else {
        const local = [recent(), recent()];
        emitOps(r, 8, local);
        pool.push(...local.slice(2));
        built += 9;
      }
    }
    // Use a sample of the values so some are live and some are dead.
    let result = pool[pool.length - 1] as Value;
    for (let k = pool.length - 2; k >= 0; k -= 7) result = r.op1('arith.add', [result, pool[k] as Value]);
    return [result];
  });
  return b.export('f', f).build();
}

function time(fn: () => void): number {
  let best = Infinity;
  for (let k = 0; k < 3; k++) {
    const start = performance.now();
    fn();
    best = Math.min(best, performance.now() - start);
  }
  return best;
}

function main(): void {
  setFreezing(false);
  const rows: string[] = [
    '| nodes | fold ms | cne ms | dne ms | fold+cne+dne ms | µs per node |',
    '|---:|---:|---:|---:|---:|---:|',
  ];
  for (const target of [1_000, 10_000, 100_000]) {
    const module = benchModule(target);
    const nodes = countNodes(module);
    const options = { check: false, given: [verified] };
    const run = (pass: typeof fold | typeof cne | typeof dne, m: Module): Module =>
      runPipeline(pass, m, options).module;
    // Each pass is timed on the input it sees in the pipeline.
    const afterFold = run(fold, module);
    const afterCne = run(cne, afterFold);
    const tFold = time(() => run(fold, module));
    const tCne = time(() => run(cne, afterFold));
    const tDne = time(() => run(dne, afterCne));
    const total = tFold + tCne + tDne;
    rows.push(
      `| ${nodes} | ${tFold.toFixed(1)} | ${tCne.toFixed(1)} | ${tDne.toFixed(1)} | ${total.toFixed(1)} | ${((total * 1000) / nodes).toFixed(2)} |`,
    );
  }
  console.log(rows.join('\n'));
}

main();
