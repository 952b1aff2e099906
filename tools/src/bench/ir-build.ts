/**
 * Build and verify time of the IR as a function of module size: a lambda
 * whose body is a long dependency chain of arithmetic, plus a gamma and a
 * theta every 100 nodes so the structural paths are exercised too.
 * Prints per-node costs; they should stay roughly flat from 1k to 100k.
 */
import { ModuleBuilder, countNodes, f64, printModule, parseModule, verify, type Module, type Value } from '@rvsdg/ir';

function buildModule(size: number): Module {
  const b = new ModuleBuilder();
  const fn = b.lambda('chain', [f64, f64], (r, [x, y]) => {
    let acc = x as Value;
    let built = 0;
    while (built < size) {
      if (built % 100 === 99) {
        const cond = r.op1('arith.lt', [acc, y as Value]);
        [acc] = r.ifElse(
          cond,
          (t) => [t.op1('arith.add', [acc, y as Value])],
          (e) => [e.op1('arith.sub', [acc, y as Value])],
        ) as [Value];
        built += 4;
      } else {
        acc = r.op1(built % 2 === 0 ? 'arith.add' : 'arith.mul', [acc, y as Value]);
        built += 1;
      }
    }
    return [acc];
  });
  return b.export('chain', fn).build();
}

function median(samples: number[]): number {
  const sorted = [...samples].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] as number;
}

function time(run: () => void, repeats: number): number {
  const samples: number[] = [];
  for (let i = 0; i < repeats; i++) {
    const start = process.hrtime.bigint();
    run();
    samples.push(Number(process.hrtime.bigint() - start) / 1e6);
  }
  return median(samples);
}

// Warm up the JIT on small modules so the first row measures steady-state code.
for (let i = 0; i < 30; i++) {
  const warm = buildModule(2_000);
  verify(warm);
  parseModule(printModule(warm));
}

const rows: string[] = [];
for (const size of [1_000, 10_000, 100_000]) {
  const repeats = size >= 100_000 ? 5 : 15;
  let module = buildModule(size);
  const nodes = countNodes(module);
  const buildMs = time(() => {
    module = buildModule(size);
  }, repeats);
  const verifyMs = time(() => {
    const diagnostics = verify(module);
    if (diagnostics.length > 0) throw new Error(`generated module does not verify: ${diagnostics[0]?.message}`);
  }, repeats);
  let text = '';
  const printMs = time(() => {
    text = printModule(module);
  }, repeats);
  const parseMs = time(() => {
    parseModule(text);
  }, repeats);
  const perNode = (ms: number): string => ((ms * 1e6) / nodes).toFixed(0).padStart(6);
  rows.push(
    `| ${String(nodes).padStart(7)} | ${buildMs.toFixed(2).padStart(8)} | ${perNode(buildMs)} | ${verifyMs.toFixed(2).padStart(8)} | ${perNode(verifyMs)} | ${printMs.toFixed(2).padStart(8)} | ${parseMs.toFixed(2).padStart(8)} |`,
  );
  process.stderr.write(`measured ${nodes} nodes\n`);
}
console.log('| nodes   | build ms | ns/node | verify ms | ns/node | print ms | parse ms |');
console.log('|---------|----------|---------|-----------|---------|----------|----------|');
for (const row of rows) console.log(row);
