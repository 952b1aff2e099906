/**
 * The edges of a graph whose vertices are numbered from 0: `count(v)` edges
 * leave v, and the i-th enters `target(v, i)`, or -1 for an edge to ignore.
 */
export interface SccEdges {
  count(v: number): number;
  target(v: number, i: number): number;
}

/**
 * Strongly connected components by Tarjan's algorithm with an explicit stack
 * instead of recursion, because regions of 100k nodes in a chain or CFGs of
 * 100k blocks would overflow the JavaScript call stack. Scratch arrays are
 * kept between runs and invalidated by a stamp, so finding the components of
 * many small subgraphs of one big graph costs their size only.
 */
export class SccFinder {
  #index = new Int32Array(0);
  #low = new Int32Array(0);
  #seen = new Int32Array(0);
  #onStack = new Int32Array(0);
  #stamp = 0;

  #ensure(size: number): void {
    if (this.#index.length >= size) return;
    const grow = (old: Int32Array<ArrayBuffer>): Int32Array<ArrayBuffer> => {
      const next = new Int32Array(Math.max(size, old.length * 2));
      next.set(old);
      return next;
    };
    this.#index = grow(this.#index);
    this.#low = grow(this.#low);
    this.#seen = grow(this.#seen);
    this.#onStack = grow(this.#onStack);
  }

  /**
   * The components reachable from `roots`, in reverse topological order (a
   * component comes before the components that reach it); within a component
   * and between components, the order is the one a recursive Tarjan visiting
   * the edges in order gives. Vertex numbers are below `size`.
   */
  find(size: number, roots: Iterable<number>, edges: SccEdges): number[][] {
    this.#ensure(size);
    if (this.#stamp === 0x7fffffff) {
      this.#seen.fill(0);
      this.#onStack.fill(0);
      this.#stamp = 0;
    }
    const stamp = ++this.#stamp;
    const index = this.#index;
    const low = this.#low;
    const seen = this.#seen;
    const onStack = this.#onStack;
    const components: number[][] = [];
    const stack: number[] = [];
    const frameNode: number[] = [];
    const frameEdge: number[] = [];
    let counter = 0;
    const open = (v: number): void => {
      if (!(v >= 0 && v < size && Number.isInteger(v))) throw new RangeError(`vertex ${v} is not below ${size}`);
      seen[v] = stamp;
      index[v] = low[v] = counter++;
      stack.push(v);
      onStack[v] = stamp;
      frameNode.push(v);
      frameEdge.push(0);
    };
    for (const root of roots) {
      if (seen[root] === stamp) continue;
      open(root);
      while (frameNode.length > 0) {
        const top = frameNode.length - 1;
        const v = frameNode[top] as number;
        const i = frameEdge[top] as number;
        if (i < edges.count(v)) {
          frameEdge[top] = i + 1;
          const w = edges.target(v, i);
          if (w === -1) continue;
          if (seen[w] !== stamp) open(w);
          else if (onStack[w] === stamp && (index[w] as number) < (low[v] as number)) low[v] = index[w] as number;
          continue;
        }
        frameNode.pop();
        frameEdge.pop();
        if (low[v] === index[v]) {
          const component: number[] = [];
          let w: number;
          do {
            w = stack.pop() as number;
            onStack[w] = 0;
            component.push(w);
          } while (w !== v);
          components.push(component);
        }
        if (frameNode.length > 0) {
          const parent = frameNode[frameNode.length - 1] as number;
          if ((low[v] as number) < (low[parent] as number)) low[parent] = low[v] as number;
        }
      }
    }
    return components;
  }
}

/** All the components of a graph of `size` vertices, in reverse topological order (see `SccFinder.find`). */
export function stronglyConnectedComponents(size: number, edges: SccEdges): number[][] {
  const roots = new Array<number>(size);
  for (let v = 0; v < size; v++) roots[v] = v;
  return new SccFinder().find(size, roots, edges);
}

/**
 * The components of a graph of arbitrary values, in reverse topological order
 * (a component comes before the components that reach it). Edges to values
 * not in `vertices` are ignored.
 */
export function stronglyConnectedComponentsOf<T>(vertices: readonly T[], successors: (v: T) => Iterable<T>): T[][] {
  const number = new Map<T, number>(vertices.map((v, i) => [v, i]));
  if (number.size !== vertices.length) throw new Error('the vertices of a graph must be distinct');
  const targets = vertices.map((v) => {
    const out: number[] = [];
    for (const w of successors(v)) out.push(number.get(w) ?? -1);
    return out;
  });
  const components = stronglyConnectedComponents(vertices.length, {
    count: (v) => (targets[v] as number[]).length,
    target: (v, i) => (targets[v] as number[])[i] as number,
  });
  return components.map((c) => c.map((v) => vertices[v] as T));
}
