import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { jsRegistry } from '@rvsdg/frontend';
import { opReference, opReferenceMarkdown, regenerateOpsDoc, type OpReferenceEntry } from './op-reference.js';

const toolsDir = fileURLToPath(new URL('..', import.meta.url));
const opsDoc = join(toolsDir, '..', 'docs', 'ops.md');
const cli = join(toolsDir, 'dist', 'cli.js');

function rvsdg(...args: string[]): { code: number | null; stdout: string; stderr: string } {
  const result = spawnSync(process.execPath, [cli, ...args], { encoding: 'utf8' });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

describe('op reference', () => {
  it('docs/ops.md is current', () => {
    const current = opReferenceMarkdown(opReference(jsRegistry));
    const written = readFileSync(opsDoc, 'utf8');
    if (written !== current) {
      expect.fail(`docs/ops.md is not generated from the current op definitions: run \`${regenerateOpsDoc}\``);
    }
  });

  it('every op has a summary and a signature', () => {
    const entries = opReference(jsRegistry);
    expect(entries.length).toBeGreaterThan(100);
    const undocumented = entries.filter((e) => e.summary.trim() === '' || !e.operands || !e.results);
    expect(undocumented.map((e) => e.name)).toEqual([]);
  });

  it('rvsdg ops --dialect array --json gives operand order, types and the place of the memory state', () => {
    const { code, stdout } = rvsdg('ops', '--dialect', 'array', '--json');
    expect(code).toBe(0);
    const entries = JSON.parse(stdout) as OpReferenceEntry[];
    expect(entries.map((e) => e.name)).toEqual(['array.length', 'array.load', 'array.store', 'array.alloc']);
    expect(entries[1]).toMatchObject({
      operands: [
        { name: 'array', type: 'E[]' },
        { name: 'index', type: 'i64' },
        { name: 'mem', type: 'mem' },
      ],
      results: [
        { name: 'element', type: 'E' },
        { name: 'mem', type: 'mem' },
      ],
      effects: ['read', 'throw'],
    });
  });

  it('rvsdg ops prints every dialect, the js one included; an unknown dialect is a usage error', () => {
    const all = rvsdg('ops');
    expect(all.code).toBe(0);
    for (const dialect of ['builtin', 'arith', 'math', 'array', 'js'])
      expect(all.stdout).toContain(`dialect ${dialect}\n`);
    expect(all.stdout).toContain('arith.add(a: T, b: T) -> (result: T)');
    expect(all.stdout).toContain('js.load(array: ?, index: ?, mem: mem) -> (result: ?, mem: mem)');
    const unknown = rvsdg('ops', '--dialect', 'nope');
    expect(unknown.code).toBe(64);
    expect(unknown.stderr).toContain("unknown dialect 'nope' (known: builtin, arith, math, array, js)");
  });
});
