import { libmTolerance } from './kernels.js';
import { fastmathTolerance, type KernelResult, type VariantId, type VariantResult } from './measure.js';
import type { CallOverhead } from './overhead.js';
import type { ScalingRow } from './scaling.js';
import type { CorpusBenchRow } from './corpus.js';
import { formatMs, formatRatio } from './stats.js';

export interface Machine {
  readonly cpu: string;
  readonly cores: number;
  readonly node: string;
  readonly loadAverage: readonly number[];
  readonly c: string;
  /** The C compiler command line, empty without one. */
  readonly cFlags: string;
  readonly numba: string;
  /** The AssemblyScript compiler, or why there is no wasm column (absent in reports from before the column). */
  readonly wasm?: string;
  /** The asc command line, empty without one. */
  readonly ascFlags?: string;
}

export interface BenchReport {
  readonly date: string;
  readonly machine: Machine;
  readonly scale: string;
  readonly rounds: number;
  /** How many fresh first calls each jit figure is the median of. */
  readonly firstCalls: number;
  readonly kernels: readonly KernelResult[];
  readonly callOverhead?: CallOverhead;
  readonly scaling?: readonly ScalingRow[];
  readonly corpus?: readonly CorpusBenchRow[];
}

const columns: readonly { id: VariantId; title: string }[] = [
  { id: 'v8', title: 'V8' },
  { id: 'jit', title: 'jit' },
  { id: 'jitFastmath', title: 'jit fastmath' },
  { id: 'c', title: 'C' },
  { id: 'numba', title: 'Numba' },
  { id: 'wasm', title: 'wasm' },
];

function ratio(a: VariantResult, b: VariantResult): number | undefined {
  return a.medianMs !== undefined && b.medianMs !== undefined && b.medianMs > 0 ? a.medianMs / b.medianMs : undefined;
}

function escapeCell(text: string): string {
  return text.replace(/\|/g, '\\|').replace(/\s+/g, ' ');
}

function table(header: readonly string[], rows: readonly (readonly string[])[]): string {
  const lines = [`| ${header.join(' | ')} |`, `|${header.map(() => '---').join('|')}|`];
  for (const row of rows) lines.push(`| ${row.map(escapeCell).join(' | ')} |`);
  return lines.join('\n');
}

/** The Markdown report: kernel table with its notes, call overhead, frontend and pass scaling. */
export function formatReport(report: BenchReport): string {
  const notes: string[] = [];
  const noteFor = (text: string): string => {
    let index = notes.indexOf(text);
    if (index < 0) index = notes.push(text) - 1;
    return `[${index + 1}]`;
  };
  const cell = (result: VariantResult): string => {
    if (result.missing !== undefined) {
      const short = result.missing.length > 48 ? `${result.missing.slice(0, 45)}...` : result.missing;
      return result.missing.length > 48 ? `${short} ${noteFor(result.missing)}` : short;
    }
    const time = formatMs(result.medianMs ?? NaN);
    return result.agrees === false ? `${time} ✗ ${noteFor(result.check ?? 'result differs')}` : time;
  };

  const rows = report.kernels.map((k) => {
    const { v8, jit, jitFastmath, c, numba } = k.variants;
    // Reports written before the wasm column have no entry for it.
    const wasm: VariantResult = k.variants.wasm ?? { samples: [], missing: 'not measured' };
    return [
      k.name,
      report.scale === 'full' ? k.size : `${k.sizes.join(', ')} (${report.scale})`,
      ...columns.map(({ id }) => cell(id === 'wasm' ? wasm : k.variants[id])),
      jit.firstCallMs !== undefined ? formatMs(jit.firstCallMs) : '—',
      jit.firstCallMs !== undefined && jit.medianMs !== undefined
        ? jit.firstCallMs >= jit.medianMs
          ? formatMs(jit.firstCallMs - jit.medianMs)
          : 'below noise'
        : '—',
      numba.firstCallMs !== undefined ? formatMs(numba.firstCallMs) : '—',
      formatRatio(ratio(jit, v8)),
      formatRatio(ratio(jitFastmath, v8)),
      formatRatio(ratio(jit, c)),
      formatRatio(ratio(jit, numba)),
      formatRatio(ratio(jit, wasm)),
    ];
  });
  const out: string[] = [];
  const m = report.machine;
  out.push(
    `Machine: ${m.cpu}, ${m.cores} cores; Node ${m.node}; C: ${m.c}; Numba: ${m.numba}; ` +
      `wasm: ${m.wasm ?? 'not measured'}. ` +
      `Load average at start ${m.loadAverage.map((l) => l.toFixed(1)).join(' ')}. ${report.date}.`,
    '',
    table(
      [
        'kernel',
        'size',
        ...columns.map((c) => `${c.title} ms`),
        'jit 1st call ms',
        'jit compile ms',
        'Numba 1st call ms',
        'jit/V8',
        'fastmath/V8',
        'jit/C',
        'jit/Numba',
        'jit/wasm',
      ],
      rows,
    ),
    '',
    `Steady state: median of ${report.rounds} rounds after 2 warm-up calls; in each round every variant runs once, ` +
      'in an order rotating from round to round, on fresh inputs. First call: compile and run; ' +
      `for jit a fresh \`jit(fn, { cache: false })\` each time, median of ${report.firstCalls}; for Numba the first call of its process. ` +
      'Compile: first call minus steady state. Ratios below 1 mean jit is faster.',
    '',
    `Results: jit must equal V8 bit for bit (whole arrays compared); jit fastmath within a relative ${fastmathTolerance} ` +
      `of V8's checksum; C and Numba must print V8's checksum exactly, wasm must equal V8's arrays bit for bit, ` +
      `except on kernels calling exp or log, where libm and AssemblyScript's Math may differ from V8's own Math ` +
      `in the last bit (relative ${libmTolerance} on the checksum). ✗ marks a result that differs.`,
    '',
    m.cFlags
      ? `C twins: \`${m.cFlags}\` (no contraction of a*b+c into one rounding, which JavaScript never does).`
      : `C twins: ${m.c}.`,
    '',
    m.ascFlags
      ? `wasm: the AssemblyScript twin, \`${m.ascFlags}\`, instantiated in this process; its arrays live in linear ` +
          'memory and are copied in before and out after each call, untimed: only the call of the export is timed.'
      : `wasm: ${m.wasm ?? 'not measured'}.`,
  );
  if (notes.length > 0) {
    out.push('', ...notes.map((n, i) => `[${i + 1}] ${n}`));
  }
  if (report.callOverhead) {
    const o = report.callOverhead;
    const ns = (v: number | string) => (typeof v === 'number' ? v.toFixed(1) : v);
    out.push(
      '',
      `Call overhead of \`(a, b) => a + b\`, ns per call (median of 7 loops of ${o.calls.toLocaleString('en-US')} calls):`,
      '',
      table(['V8 (inlined by V8)', 'jit', 'hand-written N-API addon'], [[ns(o.v8), ns(o.jit), ns(o.napi)]]),
    );
    if (o.arrays) {
      out.push(
        '',
        'Jitted `(x0, ..., xk) => x0[0] + ... + xk[0]` with k Float64Array arguments, ns per call:',
        '',
        table(
          o.arrays.map((a) => `k = ${a.count}`),
          [o.arrays.map((a) => ns(a.ns))],
        ),
      );
    }
  }
  if (report.scaling) {
    out.push(
      '',
      'Frontend and default passes on generated functions (median of 3):',
      '',
      table(
        ['statements', 'frontend ms', 'passes ms', 'µs per statement'],
        report.scaling.map((r) => [
          r.statements.toLocaleString('en-US'),
          formatMs(r.frontendMs),
          formatMs(r.passesMs),
          r.usPerStatement.toFixed(1),
        ]),
      ),
    );
  }
  if (report.corpus) {
    out.push(
      '',
      `Real-world corpus (docs/real-world.md): npm functions under plain \`jit(fn)\`, ms for the given number of calls ` +
        `in a loop (median of ${report.rounds} interleaved rounds; arrays of 100,000 elements where the function takes arrays):`,
      '',
      table(
        ['package', 'function', 'calls', 'V8 ms', 'jit ms', 'jit/V8'],
        report.corpus.map((r) => [
          r.pkg,
          `\`${r.name}\``,
          r.calls.toLocaleString('en-US'),
          r.v8Ms !== undefined ? formatMs(r.v8Ms) : '—',
          r.jitMs !== undefined ? formatMs(r.jitMs) : (r.missing ?? '—').slice(0, 60),
          r.v8Ms !== undefined && r.jitMs !== undefined ? formatRatio(r.jitMs / r.v8Ms) : '—',
        ]),
      ),
    );
  }
  return `${out.join('\n')}\n`;
}
