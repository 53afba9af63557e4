// The exported graph: log consumers dropped (edges kept through them), a topological order, sidecars, readiness kinds.
import type { Db } from '../db/db.js';
import type { AtomicService } from '../db/types.js';
import type { Selection } from './select.js';
import type { ExportGraph, ExportNode, ReadyKind } from './types.js';

/** A service fed by a producer's pipe: dropped from exports (the engine keeps the producer's output). */
export const isLogConsumer = (s: AtomicService): boolean => s.type === 'longrun' && s.consumerFor.length > 0;

export function readyKind(s: AtomicService): ReadyKind {
  if (s.type === 'oneshot') return 'none';
  if (s.notificationFd !== null) return 'notification';
  const kind = s.readiness?.kind as string | undefined;
  if (kind === 'tcp' || kind === 'http' || kind === 'cmd' || kind === 'log') return kind;
  return 'none';
}

/** Direct dependencies of `i` among the kept services, looking through dropped ones. */
function keptDeps(db: Db, i: number, kept: Set<number>): number[] {
  const out = new Set<number>();
  const seen = new Set<number>();
  const stack = [...db.service(i).deps];
  while (stack.length > 0) {
    const d = stack.pop()!;
    if (seen.has(d)) continue;
    seen.add(d);
    if (kept.has(d)) out.add(d);
    else stack.push(...db.service(d).deps);
  }
  return [...out].sort((a, b) => a - b);
}

/** A min-heap of indices: Kahn's ready set, lowest db index first. */
class MinHeap {
  readonly #a: number[] = [];
  get size(): number {
    return this.#a.length;
  }
  push(x: number): void {
    const a = this.#a;
    a.push(x);
    for (let i = a.length - 1; i > 0; ) {
      const p = (i - 1) >> 1;
      if (a[p]! <= x) break;
      a[i] = a[p]!;
      a[p] = x;
      i = p;
    }
  }
  pop(): number {
    const a = this.#a;
    const top = a[0]!;
    const last = a.pop()!;
    if (a.length === 0) return top;
    a[0] = last;
    for (let i = 0; ; ) {
      const l = 2 * i + 1;
      const r = l + 1;
      let m = i;
      if (l < a.length && a[l]! < a[m]!) m = l;
      if (r < a.length && a[r]! < a[m]!) m = r;
      if (m === i) break;
      [a[i], a[m]] = [a[m]!, a[i]!];
      i = m;
    }
    return top;
  }
}

/** Kahn's algorithm; among the services whose dependencies are placed, the lowest db index first. O((V+E) log V). */
export function topologicalOrder(indices: readonly number[], depsOf: (i: number) => readonly number[]): number[] {
  const pending = new Map<number, number>();
  const dependents = new Map<number, number[]>();
  for (const i of indices) {
    const deps = depsOf(i);
    pending.set(i, deps.length);
    for (const d of deps) {
      const list = dependents.get(d);
      if (list) list.push(i);
      else dependents.set(d, [i]);
    }
  }
  const ready = new MinHeap();
  for (const i of indices) if (pending.get(i) === 0) ready.push(i);
  const order: number[] = [];
  while (ready.size > 0) {
    const i = ready.pop();
    order.push(i);
    for (const r of dependents.get(i) ?? []) {
      const left = pending.get(r)! - 1;
      pending.set(r, left);
      if (left === 0) ready.push(r);
    }
  }
  return order;
}

/** Build the graph the writers walk; `rename` gives each service its engine name. */
export function exportGraph(db: Db, selection: Selection, rename: (names: string[]) => Map<string, string>): ExportGraph {
  const kept = new Set([...selection.indices].filter((i) => !isLogConsumer(db.service(i))));
  const list = [...kept].sort((a, b) => a - b);
  const deps = new Map(list.map((i) => [i, keptDeps(db, i, kept)]));
  const rdeps = new Map<number, number[]>(list.map((i) => [i, []]));
  for (const i of list) for (const d of deps.get(i)!) rdeps.get(d)!.push(i);
  const names = rename(list.map((i) => db.service(i).name));
  const nodes: ExportNode[] = topologicalOrder(list, (i) => deps.get(i)!).map((i) => {
    const service = db.service(i);
    return {
      index: i,
      service,
      name: names.get(service.name)!,
      deps: deps.get(i)!,
      rdeps: rdeps.get(i)!,
      ready: readyKind(service),
      sidecar: service.type === 'longrun' && rdeps.get(i)!.length > 0,
    };
  });
  const optional = new Map([...selection.optional].map(([b, set]) => [b, new Set([...set].filter((i) => kept.has(i)))]));
  return { nodes, byIndex: new Map(nodes.map((n) => [n.index, n])), optional };
}

const popcount = (x: number): number => {
  let v = x - ((x >>> 1) & 0x55555555);
  v = (v & 0x33333333) + ((v >>> 2) & 0x33333333);
  return (((v + (v >>> 4)) & 0x0f0f0f0f) * 0x01010101) >>> 24;
};

/**
 * The oneshots with another oneshot neither before nor after them (no path either way): a Pod's init
 * sequence runs them one after the other where rc runs them in parallel. Bitsets of oneshot
 * ancestors, in topological order: O(V × oneshots / 32).
 */
export function independentOneshots(graph: ExportGraph): string[] {
  const oneshots = graph.nodes.filter((n) => n.service.type === 'oneshot');
  const bit = new Map(oneshots.map((n, k) => [n.index, k]));
  const words = (oneshots.length + 31) >>> 5;
  const anc = new Map<number, Uint32Array>();
  for (const n of graph.nodes) {
    const set = new Uint32Array(words);
    for (const d of n.deps) {
      const k = bit.get(d);
      if (k !== undefined) set[k >>> 5]! |= 1 << (k & 31);
      const da = anc.get(d)!;
      for (let w = 0; w < words; w++) set[w]! |= da[w]!;
    }
    anc.set(n.index, set);
  }
  // Comparable with a oneshot: its ancestors and its descendants (disjoint in a DAG), and itself.
  const descendants = new Uint32Array(oneshots.length);
  const ancestors = oneshots.map((n) => {
    const set = anc.get(n.index)!;
    let count = 0;
    for (let w = 0; w < words; w++) {
      let x = set[w]!;
      count += popcount(x);
      while (x !== 0) {
        const low = x & -x;
        descendants[(w << 5) + (31 - Math.clz32(low))]!++;
        x ^= low;
      }
    }
    return count;
  });
  return oneshots.filter((_, k) => ancestors[k]! + descendants[k]! + 1 < oneshots.length).map((n) => n.service.name);
}
