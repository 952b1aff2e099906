/**
 * Restructuring and RVSDG construction time per block, from 100 to 100,000
 * blocks. Build and run with `npm run bench -w @rvsdg/frontend`.
 *
 * The CFGs are chains of small motifs (structured and unstructured
 * branches, while loops with breaks, irreducible loops, do-while loops with
 * branches inside), picked by a seeded generator, so nesting depth stays
 * bounded while the block count grows.
 */
import { bool, i32, setFreezing, type Type } from '@rvsdg/ir';
import {
  cfgToModule,
  restructureCfg,
  validateCfg,
  type Block,
  type Cfg,
  type Instruction,
  type Terminator,
} from '@rvsdg/frontend';

const variables = new Map<string, Type>([
  ['x', i32],
  ['c', i32],
  ['one', i32],
  ['a', i32],
  ['b', i32],
  ['m', i32],
  ['t', i32],
  ['z', i32],
  ['cond', bool],
]);

const konst = (r: string, value: number): Instruction => ({
  op: 'const',
  args: [],
  results: [r],
  attrs: { value, type: i32 },
});
const op = (name: string, r: string, ...args: string[]): Instruction => ({ op: `arith.${name}`, args, results: [r] });
const count = (): Instruction[] => [konst('one', 1), op('add', 'c', 'c', 'one'), op('add', 'a', 'a', 'c')];
const test = (k: number): Instruction[] => [
  konst('m', k),
  op('rem', 't', 'c', 'm'),
  konst('z', 0),
  op('eq', 'cond', 't', 'z'),
];
const jump = (target: string): Terminator => ({ kind: 'jump', target });
const branch = (f: string, t: string): Terminator => ({ kind: 'branch', cond: 'cond', targets: [f, t] });

/** Mulberry32: a small seeded generator, so every run measures the same graphs. */
function random(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

type Motif = (p: string, next: string) => [string, Instruction[], Terminator][];

const motifs: Motif[] = [
  // if / else with a nested if
  (p, next) => [
    [`${p}a`, [...count(), ...test(2)], branch(`${p}b`, `${p}c`)],
    [`${p}b`, [...count(), ...test(3)], branch(`${p}d`, `${p}e`)],
    [`${p}c`, [op('sub', 'b', 'b', 'a')], jump(`${p}f`)],
    [`${p}d`, [op('add', 'b', 'b', 'c')], jump(`${p}e`)],
    [`${p}e`, [op('mul', 'b', 'b', 'a')], jump(`${p}f`)],
    [`${p}f`, count(), jump(next)],
  ],
  // joins that do not nest
  (p, next) => [
    [`${p}a`, [...count(), ...test(2)], branch(`${p}b`, `${p}c`)],
    [`${p}b`, [...count(), ...test(3)], branch(`${p}d`, `${p}e`)],
    [`${p}c`, [...count(), ...test(2)], branch(`${p}d`, `${p}e`)],
    [`${p}d`, [...count(), ...test(2)], branch(`${p}f`, `${p}e`)],
    [`${p}e`, [op('add', 'b', 'b', 'a')], jump(`${p}f`)],
    [`${p}f`, count(), jump(next)],
  ],
  // while loop with a break
  (p, next) => [
    [`${p}a`, [...count(), ...test(5)], branch(`${p}b`, `${p}e`)],
    [`${p}b`, [...count(), ...test(7)], branch(`${p}c`, `${p}e`)],
    [`${p}c`, [op('add', 'b', 'b', 'c')], jump(`${p}a`)],
    [`${p}e`, count(), jump(next)],
  ],
  // irreducible loop
  (p, next) => [
    [`${p}a`, [...count(), ...test(2)], branch(`${p}b`, `${p}c`)],
    [`${p}b`, [...count(), ...test(3)], branch(`${p}c`, `${p}e`)],
    [`${p}c`, [...count(), ...test(4)], branch(`${p}b`, `${p}e`)],
    [`${p}e`, count(), jump(next)],
  ],
  // do-while with a branch inside
  (p, next) => [
    [`${p}a`, [...count(), ...test(2)], branch(`${p}b`, `${p}c`)],
    [`${p}b`, [op('add', 'b', 'b', 'a')], jump(`${p}d`)],
    [`${p}c`, [op('sub', 'b', 'b', 'a')], jump(`${p}d`)],
    [`${p}d`, [...count(), ...test(3)], branch(`${p}e`, `${p}a`)],
    [`${p}e`, count(), jump(next)],
  ],
];

/** A CFG of about `size` blocks. */
export function benchCfg(size: number, seed = 1): Cfg {
  const next = random(seed);
  const blocks: Block[] = [
    { id: 'entry', instructions: [konst('c', 0), op('add', 'a', 'x', 'c'), konst('b', 1)], terminator: jump('m0a') },
  ];
  let k = 0;
  while (blocks.length < size - 1) {
    const motif = motifs[Math.floor(next() * motifs.length)] as Motif;
    const last = blocks.length + 8 >= size - 1;
    for (const [id, instructions, terminator] of motif(`m${k}`, last ? 'exit' : `m${k + 1}a`))
      blocks.push({ id, instructions, terminator });
    k++;
    if (last) break;
  }
  blocks.push({ id: 'exit', instructions: [op('add', 'a', 'a', 'b')], terminator: { kind: 'return', values: ['a'] } });
  return {
    name: 'bench',
    params: ['x'],
    variables,
    results: [i32],
    entry: 'entry',
    blocks: new Map(blocks.map((b) => [b.id, b])),
  };
}

function best(times: number, run: () => void): number {
  let min = Infinity;
  for (let i = 0; i < times; i++) {
    const start = performance.now();
    run();
    min = Math.min(min, performance.now() - start);
  }
  return min;
}

const sizes = [100, 1_000, 10_000, 100_000];
// Warm up the JIT so the small sizes are not measuring compilation.
for (let i = 0; i < 20; i++) cfgToModule([benchCfg(1_000, 99)]);
console.log(
  '| blocks | validateCfg (one linear pass, for scale) | restructureCfg | cfgToModule | cfgToModule, freezing off | synthetic blocks added |',
);
console.log('|---:|---:|---:|---:|---:|---:|');
const perBlock = (ms: number, blocks: number): string => `${((ms * 1000) / blocks).toFixed(2)} µs`;
for (const size of sizes) {
  const cfg = benchCfg(size);
  const repeats = size >= 100_000 ? 3 : size >= 10_000 ? 5 : 20;
  let restructured: Cfg | undefined;
  const validate = best(repeats, () => {
    validateCfg(cfg);
  });
  const restructure = best(repeats, () => {
    restructured = restructureCfg(cfg);
  });
  const full = best(repeats, () => {
    cfgToModule([cfg]);
  });
  setFreezing(false);
  const unfrozen = best(repeats, () => {
    cfgToModule([cfg]);
  });
  setFreezing(true);
  const blocks = cfg.blocks.size;
  const added = (restructured?.blocks.size ?? 0) - blocks;
  console.log(
    `| ${blocks} | ${perBlock(validate, blocks)} | ${perBlock(restructure, blocks)} | ${perBlock(full, blocks)} | ${perBlock(unfrozen, blocks)} | ${added} |`,
  );
}
