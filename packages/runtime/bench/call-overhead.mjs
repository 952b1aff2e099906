// ns per call of jitted functions: `(a, b) => a + b` and kernels with 1, 2 and 4
// Float64Array arguments, against a hand-written N-API addon; with
// `--baseline <path to another build's packages/runtime/dist/index.js>` the
// same calls through that build, interleaved in this process (before/after a
// change). Wall-clock and process CPU time, median of ROUNDS loops of N calls.
// Run after `npm run build`:
//   node packages/runtime/bench/call-overhead.mjs [--baseline /tmp/old/packages/runtime/dist/index.js]
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const N = Number(process.env.N ?? 300_000);
const ROUNDS = Number(process.env.ROUNDS ?? 11);
const at = process.argv.indexOf('--baseline');
const runtimes = { new: await import('../dist/index.js') };
if (at > 0) runtimes.old = await import(process.argv[at + 1]);

const median = (v) => [...v].sort((a, b) => a - b)[v.length >> 1];
const kernels = {
  '(a, b) => a + b': [(a, b) => a + b, 'i, 0.5'],
  '1 Float64Array': [(x) => x[0], 'x'],
  '2 Float64Array': [(x, y) => x[0] + y[0], 'x, y'],
  '4 Float64Array': [(x, y, z, w) => x[0] + y[0] + z[0] + w[0], 'x, y, z, w'],
};
const xs = [1, 2, 3, 4].map((v) => new Float64Array(8).fill(v));
// One loop per callee with its own source text, so that no two share feedback.
const loop = (label, args) =>
  new Function(
    'f',
    'xs',
    'n',
    `/* ${label} */ let s = 0; const [x, y, z, w] = xs; for (let i = 0; i < n; i++) s += f(${args}); return s;`,
  );
const cases = {};
for (const [name, [fn, args]] of Object.entries(kernels)) {
  for (const [tag, runtime] of Object.entries(runtimes)) {
    const jitted = runtime.jit(fn);
    cases[`${name} ${tag}`] = loop(`${name} ${tag}`, args).bind(null, jitted, xs);
  }
}
const dir = mkdtempSync(join(tmpdir(), 'rvsdg-call-'));
try {
  const source = fileURLToPath(new URL('../../../tools/bench/c/napi_add.c', import.meta.url));
  const out = join(dir, 'napi_add.node');
  const cc = spawnSync('cc', ['-O2', '-shared', '-fPIC', '-o', out, source], { encoding: 'utf8' });
  if (cc.status === 0)
    cases['N-API addon'] = loop('napi', 'i, 0.5').bind(null, createRequire(import.meta.url)(out).add, xs);
} finally {
  rmSync(dir, { recursive: true, force: true });
}

const names = Object.keys(cases);
for (const name of names) cases[name](N / 10);
const wall = Object.fromEntries(names.map((n) => [n, []]));
const cpu = Object.fromEntries(names.map((n) => [n, []]));
for (let r = 0; r < ROUNDS; r++) {
  for (let k = 0; k < names.length; k++) {
    const name = names[(k + r) % names.length];
    const used = process.cpuUsage();
    const start = process.hrtime.bigint();
    cases[name](N);
    wall[name].push(Number(process.hrtime.bigint() - start) / N);
    const u = process.cpuUsage(used);
    cpu[name].push(((u.user + u.system) * 1000) / N);
  }
}
const cell = (name) => (wall[name] ? `${median(wall[name]).toFixed(1)} / ${median(cpu[name]).toFixed(1)}` : '-');
console.log(`ns per call, wall / process CPU, median of ${ROUNDS} loops of ${N} calls`);
if (cases['N-API addon']) console.log(`hand-written N-API add: ${cell('N-API addon')}`);
for (const name of Object.keys(kernels)) {
  console.log(
    `${name.padEnd(16)} ${Object.keys(runtimes)
      .map((tag) => `${tag} ${cell(`${name} ${tag}`).padEnd(16)}`)
      .join(' ')}`,
  );
}
