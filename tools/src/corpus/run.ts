/**
 * `npm run corpus`: every function of the real-world corpus through plain
 * `jit(fn)`, compared with V8; prints the figure and the Markdown table of
 * docs/real-world.md. Exits with 1 when any function gave a different result.
 */
import { compareWithV8, matchingStatuses, type CorpusOutcome } from './compare.js';
import { loadCorpus, type CorpusEntry } from './real-world.js';

export interface CorpusRow {
  readonly entry: CorpusEntry;
  readonly outcome: CorpusOutcome;
}

export async function runCorpus(): Promise<CorpusRow[]> {
  const rows: CorpusRow[] = [];
  for (const entry of await loadCorpus()) rows.push({ entry, outcome: compareWithV8(entry) });
  return rows;
}

function cell(text: string): string {
  return text.replace(/\|/g, '\\|').replace(/\n/g, ' ');
}

export function formatCorpus(rows: readonly CorpusRow[]): string {
  const count = (status: string) => rows.filter((r) => r.outcome.status === status).length;
  const packages = new Set(rows.map((r) => r.entry.pkg)).size;
  const lines = [
    `${matchingStatuses.reduce((n, s) => n + count(s), 0)} of ${rows.length} functions from ${packages} packages ` +
      `compile and match V8 (${count('lifted')} of them lifted; ${count('refused')} refused, ` +
      `${count('contract error')} contract error, ${count('wrong')} wrong).`,
    '',
    '| package | function | result | signatures or message |',
    '| --- | --- | --- | --- |',
    ...rows.map(
      ({ entry, outcome }) =>
        `| ${entry.pkg} | \`${entry.name}\` | ${outcome.status} | ${cell(
          outcome.status === 'compiled' ? outcome.signatures.map((s) => `\`${s}\``).join(', ') : outcome.detail,
        )} |`,
    ),
  ];
  return `${lines.join('\n')}\n`;
}

if (process.argv[1] && import.meta.url.endsWith(process.argv[1].replace(/.*\/dist\//, '/dist/'))) {
  const rows = await runCorpus();
  process.stdout.write(formatCorpus(rows));
  process.exitCode = rows.some((r) => r.outcome.status === 'wrong') ? 1 : 0;
}
