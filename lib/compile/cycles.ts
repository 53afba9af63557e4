// Dependency cycles: iterative Tarjan SCC (no recursion, so 100,000-deep chains are fine) + one loop per SCC.

/**
 * Find every cycle component of the graph `deps` (node → successors) and return, for each,
 * one concrete loop [a, b, ..., a] starting at the component's smallest node.
 */
export function findCycles(deps: readonly (readonly number[])[]): number[][] {
  const n = deps.length;
  const order = new Int32Array(n).fill(-1);
  const low = new Int32Array(n);
  const comp = new Int32Array(n).fill(-1);
  const onStack = new Uint8Array(n);
  const sccStack: number[] = [];
  const callNode: number[] = [];
  const callEdge: number[] = [];
  const loops: number[][] = [];
  let counter = 0;
  let comps = 0;
  for (let root = 0; root < n; root++) {
    if (order[root] !== -1) continue;
    order[root] = low[root] = counter++;
    sccStack.push(root);
    onStack[root] = 1;
    callNode.push(root);
    callEdge.push(0);
    while (callNode.length > 0) {
      const top = callNode.length - 1;
      const v = callNode[top]!;
      const e = callEdge[top]!;
      const succ = deps[v]!;
      if (e < succ.length) {
        callEdge[top] = e + 1;
        const w = succ[e]!;
        if (order[w] === -1) {
          order[w] = low[w] = counter++;
          sccStack.push(w);
          onStack[w] = 1;
          callNode.push(w);
          callEdge.push(0);
        } else if (onStack[w] === 1 && order[w]! < low[v]!) {
          low[v] = order[w]!;
        }
        continue;
      }
      callNode.pop();
      callEdge.pop();
      if (callNode.length > 0) {
        const parent = callNode[callNode.length - 1]!;
        if (low[v]! < low[parent]!) low[parent] = low[v]!;
      }
      if (low[v] !== order[v]) continue;
      const members: number[] = [];
      for (;;) {
        const w = sccStack.pop()!;
        onStack[w] = 0;
        comp[w] = comps;
        members.push(w);
        if (w === v) break;
      }
      if (members.length > 1 || deps[v]!.includes(v)) loops.push(shortestLoop(deps, comp, comps, members.reduce((a, b) => (b < a ? b : a))));
      comps++;
    }
  }
  return loops.sort((a, b) => a[0]! - b[0]!);
}

/** BFS inside one component from `start` back to itself. */
function shortestLoop(deps: readonly (readonly number[])[], comp: Int32Array, id: number, start: number): number[] {
  const parent = new Map<number, number>();
  const queue = [start];
  for (let q = 0; q < queue.length; q++) {
    const v = queue[q]!;
    for (const w of deps[v]!) {
      if (comp[w] !== id) continue;
      if (w === start) {
        const path = [start];
        for (let x = v; x !== start; x = parent.get(x)!) path.push(x);
        path.push(start);
        path.reverse();
        return path;
      }
      if (!parent.has(w)) {
        parent.set(w, v);
        queue.push(w);
      }
    }
  }
  return [start, start];
}
