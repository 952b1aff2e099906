/**
 * Strongly connected components of a graph given in compressed form: the
 * successors of vertex v are `targets[start[v] .. start[v + 1] - 1]`.
 * Returns the component number of every vertex.
 *
 * Tarjan's algorithm with an explicit stack instead of recursion, because
 * regions of 100k nodes in a chain would overflow the JavaScript call stack.
 */
export function stronglyConnectedComponents(
  vertexCount: number,
  start: ArrayLike<number>,
  targets: ArrayLike<number>,
): Int32Array {
  const order = new Int32Array(vertexCount).fill(-1);
  const low = new Int32Array(vertexCount);
  const component = new Int32Array(vertexCount).fill(-1);
  const onStack = new Uint8Array(vertexCount);
  const nextEdge = new Int32Array(vertexCount);
  const stack = new Int32Array(vertexCount);
  const calls = new Int32Array(vertexCount);
  let stackSize = 0;
  let callDepth = 0;
  let counter = 0;
  let components = 0;

  const enter = (v: number): void => {
    order[v] = counter;
    low[v] = counter;
    counter++;
    stack[stackSize++] = v;
    onStack[v] = 1;
    nextEdge[v] = start[v] as number;
    calls[callDepth++] = v;
  };

  for (let root = 0; root < vertexCount; root++) {
    if (order[root] !== -1) continue;
    enter(root);
    while (callDepth > 0) {
      const v = calls[callDepth - 1] as number;
      const edge = nextEdge[v] as number;
      if (edge < (start[v + 1] as number)) {
        nextEdge[v] = edge + 1;
        const w = targets[edge] as number;
        if (order[w] === -1) enter(w);
        else if (onStack[w] === 1 && (order[w] as number) < (low[v] as number)) low[v] = order[w] as number;
        continue;
      }
      callDepth--;
      if (low[v] === order[v]) {
        let w: number;
        do {
          w = stack[--stackSize] as number;
          onStack[w] = 0;
          component[w] = components;
        } while (w !== v);
        components++;
      }
      if (callDepth > 0) {
        const parent = calls[callDepth - 1] as number;
        if ((low[v] as number) < (low[parent] as number)) low[parent] = low[v] as number;
      }
    }
  }
  return component;
}
