// Atomic dependency resolution: named deps (bundles expanded) plus the implicit producer → consumer edge.
import type { DiagnosticSink } from '../source/sink.js';
import type { NameRef, SourceAtomic, SourceCondition } from '../source/types.js';
import { undefinedName, type NameTable } from './bundles.js';

export interface DepGraph {
  /** Per atomic index: direct dependency indices, unique, in discovery order. */
  deps: number[][];
  /** Per atomic index, parallel to deps: the list entry that created each dependency. */
  why: NameRef[][];
  /** Per atomic index, parallel to deps: the edge's condition (the strictest when several entries make it). */
  conds: SourceCondition[][];
}

/** healthy > ready > started: when two entries (a name and a bundle holding it) make one edge, the dependent waits for the most. */
const STRICTNESS: Record<SourceCondition, number> = { started: 0, ready: 1, healthy: 2 };

/** The list entry behind the edge from → to (for locating cycle diagnostics). */
export function edgeReason(graph: DepGraph, from: number, to: number): NameRef {
  return graph.why[from]![graph.deps[from]!.indexOf(to)]!;
}

export function resolveDeps(
  atomics: readonly SourceAtomic[],
  names: NameTable,
  bundleMembers: ReadonlyMap<string, number[]>,
  producerFor: ReadonlyMap<string, string>,
  sink: DiagnosticSink,
): DepGraph {
  const deps: number[][] = [];
  const why: NameRef[][] = [];
  const conds: SourceCondition[][] = [];
  // stamp[j] === i + 1 when service i already has the edge to j: dedupe without a Set per service.
  const stamp = new Int32Array(atomics.length);
  atomics.forEach((svc, i) => {
    const list: number[] = [];
    const reasons: NameRef[] = [];
    const edgeConds: SourceCondition[] = [];
    const add = (j: number, ref: NameRef): void => {
      const c = ref.condition ?? 'ready';
      if (stamp[j] === i + 1) {
        const k = list.indexOf(j);
        if (STRICTNESS[c] > STRICTNESS[edgeConds[k]!]) {
          edgeConds[k] = c;
          reasons[k] = ref;
        }
        return;
      }
      stamp[j] = i + 1;
      list.push(j);
      reasons.push(ref);
      edgeConds.push(c);
    };
    for (const ref of svc.deps) {
      const members = bundleMembers.get(ref.name);
      const target = names.byName.get(ref.name);
      if (members !== undefined) for (const m of members) add(m, ref);
      else if (target === undefined) undefinedName(ref, `during dependency resolution for service ${svc.name}`, names, sink);
      else if (target.type === 'oneshot' || target.type === 'longrun') add(names.indexOf.get(ref.name)!, ref);
    }
    const consumer = svc.type === 'longrun' ? producerFor.get(svc.name) : undefined;
    if (consumer !== undefined && svc.type === 'longrun' && svc.producerFor) add(names.indexOf.get(consumer)!, svc.producerFor);
    deps.push(list);
    why.push(reasons);
    conds.push(edgeConds);
  });
  return { deps, why, conds };
}
