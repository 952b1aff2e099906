import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import type { StressReport } from './testing/worker-stress.js';

// Workers load the built package (they run outside vitest's module loader): `npm run build` first.
const script = fileURLToPath(new URL('../dist/testing/worker-stress.js', import.meta.url));

describe('jit in worker threads', () => {
  it('compiles and runs in 4 workers at once, in the main thread before, during and after them, and exits cleanly', () => {
    expect(existsSync(script), `${script} is missing: run npm run build`).toBe(true);
    // A child process, so that a crash (also one at exit) fails the test instead of killing the test runner.
    const child = spawnSync(process.execPath, [script, '--workers', '4', '--rounds', '2'], {
      encoding: 'utf8',
      timeout: 240_000,
    });
    expect(child.stderr).toBe('');
    expect(child.signal).toBe(null);
    const report = JSON.parse(child.stdout) as StressReport;
    const threads = report.threads.map((t) => t.thread);
    expect(threads).toEqual([
      'main before workers',
      'main during workers',
      'worker 1',
      'worker 2',
      'worker 3',
      'worker 4',
      'main after workers',
      'main during second wave',
      'worker 51',
      'worker 52',
    ]);
    for (const thread of report.threads) {
      expect(thread.errors, thread.thread).toEqual([]);
      expect(thread.mismatches, thread.thread).toEqual([]);
      expect(thread.compiles, thread.thread).toBeGreaterThanOrEqual(6);
    }
    expect(child.status).toBe(0);
  }, 300_000);
});
