import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { SccFinder, stronglyConnectedComponents, stronglyConnectedComponentsOf, type SccEdges } from '../index.js';

function adjacency(lists: readonly (readonly number[])[]): SccEdges {
  return { count: (v) => (lists[v] as number[]).length, target: (v, i) => (lists[v] as number[])[i] as number };
}

/** Reachability by repeated search, to define components without Tarjan. */
function reaches(lists: readonly (readonly number[])[]): boolean[][] {
  return lists.map((_, from) => {
    const seen = lists.map(() => false);
    const work = [from];
    seen[from] = true;
    while (work.length > 0) {
      for (const w of lists[work.pop() as number] as number[]) {
        if (w === -1 || seen[w]) continue;
        seen[w] = true;
        work.push(w);
      }
    }
    return seen;
  });
}

const graphs = fc
  .integer({ min: 1, max: 12 })
  .chain((n) =>
    fc.array(fc.array(fc.integer({ min: -1, max: n - 1 }), { maxLength: 4 }), { minLength: n, maxLength: n }),
  );

describe('stronglyConnectedComponents', () => {
  it('puts two vertices together exactly when each reaches the other, callees first', () => {
    fc.assert(
      fc.property(graphs, (lists) => {
        const components = stronglyConnectedComponents(lists.length, adjacency(lists));
        const reach = reaches(lists);
        const componentOf = new Map<number, number>();
        components.forEach((members, c) => members.forEach((v) => componentOf.set(v, c)));
        expect([...componentOf.keys()].sort((a, b) => a - b)).toEqual(lists.map((_, i) => i));
        for (let a = 0; a < lists.length; a++) {
          for (let b = 0; b < lists.length; b++) {
            const together = componentOf.get(a) === componentOf.get(b);
            expect(together).toBe((reach[a] as boolean[])[b] && (reach[b] as boolean[])[a]);
            // a reaches b in another component: b's component comes first.
            if (!together && (reach[a] as boolean[])[b]) {
              expect(componentOf.get(b) as number).toBeLessThan(componentOf.get(a) as number);
            }
          }
        }
      }),
    );
  });

  it('handles a chain and a cycle of 200,000 vertices, deeper than the call stack', () => {
    const n = 200_000;
    const chain = stronglyConnectedComponents(n, { count: (v) => (v + 1 < n ? 1 : 0), target: (v) => v + 1 });
    expect(chain.length).toBe(n);
    expect(chain[0]).toEqual([n - 1]);
    const cycle = stronglyConnectedComponents(n, { count: () => 1, target: (v) => (v + 1) % n });
    expect(cycle.length).toBe(1);
    expect(cycle[0]?.length).toBe(n);
  });

  it('ignores edges whose target is -1', () => {
    expect(stronglyConnectedComponents(2, adjacency([[1], [-1, 0]]))).toEqual([[1, 0]]);
    expect(stronglyConnectedComponents(2, adjacency([[1], [-1]]))).toEqual([[1], [0]]);
  });

  it('rejects a target out of range', () => {
    expect(() => stronglyConnectedComponents(2, adjacency([[2], []]))).toThrow(/vertex 2 is not below 2/);
  });
});

describe('SccFinder', () => {
  it('finds only what the roots reach, and can be reused on other subgraphs', () => {
    const lists = [[1], [0, 2], [3], [2], [4]];
    const finder = new SccFinder();
    expect(finder.find(5, [2], adjacency(lists))).toEqual([[3, 2]]);
    expect(finder.find(5, [0], adjacency(lists))).toEqual([
      [3, 2],
      [1, 0],
    ]);
    expect(finder.find(5, [4, 4], adjacency(lists))).toEqual([[4]]);
  });
});

describe('stronglyConnectedComponentsOf', () => {
  it('works on values and ignores edges to values outside the graph', () => {
    const callees: Record<string, string[]> = { main: ['f', 'print'], f: ['g'], g: ['f', 'h'], h: [] };
    const components = stronglyConnectedComponentsOf(['main', 'f', 'g', 'h'], (v) => callees[v] as string[]);
    expect(components).toEqual([['h'], ['g', 'f'], ['main']]);
  });

  it('rejects repeated vertices', () => {
    expect(() => stronglyConnectedComponentsOf(['a', 'a'], () => [])).toThrow(/distinct/);
  });
});
