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

/** Kahn's algorithm; among the services whose dependencies are placed, the lowest db index first. */
export function topologicalOrder(indices: readonly number[], depsOf: (i: number) => readonly number[]): number[] {
  const pending = new Map<number, number>();
  const dependents = new Map<number, number[]>();
  for (const i of indices) {
    const deps = depsOf(i);
    pending.set(i, deps.length);
    for (const d of deps) dependents.set(d, [...(dependents.get(d) ?? []), i]);
  }
  const ready = indices.filter((i) => pending.get(i) === 0);
  const order: number[] = [];
  while (ready.length > 0) {
    ready.sort((a, b) => a - b);
    const i = ready.shift()!;
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

/** Pairs of oneshots with no path between them: a Pod's init sequence runs them one after the other. */
export function independentOneshots(graph: ExportGraph): string[] {
  const oneshots = graph.nodes.filter((n) => n.service.type === 'oneshot');
  const reach = new Map<number, Set<number>>();
  for (const n of graph.nodes) {
    const set = new Set<number>();
    for (const d of n.deps) {
      set.add(d);
      for (const x of reach.get(d) ?? []) set.add(x);
    }
    reach.set(n.index, set);
  }
  const flat = new Set<string>();
  for (const [k, a] of oneshots.entries()) {
    for (const b of oneshots.slice(k + 1)) {
      if (!reach.get(a.index)!.has(b.index) && !reach.get(b.index)!.has(a.index)) {
        flat.add(a.service.name);
        flat.add(b.service.name);
      }
    }
  }
  return [...flat];
}
