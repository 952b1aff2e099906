import { afterAll, describe, expect, it } from 'vitest';
import { compareWithV8, matchingStatuses, type CorpusOutcome } from './compare.js';
import { loadCorpus } from './real-world.js';

/*
 * The real-world corpus (issue 13) under plain jit(fn), against V8. A
 * function may be refused with a clear error; it may never compile and give
 * another result. docs/real-world.md has the table (`npm run corpus`).
 */

const entries = await loadCorpus();
const outcomes = new Map<string, CorpusOutcome>();

afterAll(() => {
  const count = (status: string) => [...outcomes.values()].filter((o) => o.status === status).length;
  console.log(
    `real-world corpus: ${count('compiled') + count('lifted')} of ${outcomes.size} compile and match V8 ` +
      `(${count('lifted')} lifted), ${count('refused')} refused, ` +
      `${count('contract error')} contract errors, ${count('wrong')} wrong`,
  );
});

describe('real-world corpus: npm numeric functions through plain jit(fn)', () => {
  it('has at least 52 functions from at least 14 packages', () => {
    expect(entries.length).toBeGreaterThanOrEqual(52);
    expect(new Set(entries.map((e) => e.pkg)).size).toBeGreaterThanOrEqual(14);
  });

  for (const entry of entries) {
    it(`${entry.pkg} ${entry.name}: V8's results or a clear refusal`, () => {
      const outcome = compareWithV8(entry);
      outcomes.set(`${entry.pkg} ${entry.name}`, outcome);
      expect(outcome.status === 'wrong' ? outcome.detail : '').toBe('');
    });
  }

  it('compiles (or lifts) at least as many as when docs/real-world.md was written', () => {
    const matching = entries.filter((e) => {
      const status = outcomes.get(`${e.pkg} ${e.name}`)?.status;
      return status !== undefined && matchingStatuses.includes(status);
    }).length;
    expect(matching).toBeGreaterThanOrEqual(50);
  });
});
