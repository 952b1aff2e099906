/**
 * Strongly connected components by Tarjan's algorithm with an explicit
 * stack (graphs of 100,000 blocks would overflow a recursive version).
 * Scratch arrays are kept between runs and invalidated by a stamp, so
 * finding the components of many small subgraphs costs their size only.
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
   * The components reachable from `roots`, in reverse topological order
   * (a component comes before the components that reach it).
   * `targets(n)` lists n's successors; `follow(n, i)` says whether edge i counts.
   * Node numbers are below `size`.
   */
  find(
    size: number,
    roots: readonly number[],
    targets: (n: number) => readonly number[],
    follow: (n: number, i: number) => boolean,
  ): number[][] {
    this.#ensure(size);
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
        const succ = targets(v);
        const i = frameEdge[top] as number;
        if (i < succ.length) {
          frameEdge[top] = i + 1;
          if (!follow(v, i)) continue;
          const w = succ[i] as number;
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
