// Atomic dependency resolution: named deps (bundles expanded) plus the implicit producer → consumer edge.
import type { DiagnosticSink } from '../source/sink.js';
import type { NameRef, SourceAtomic } from '../source/types.js';
import { undefinedName, type NameTable } from './bundles.js';

export interface DepGraph {
  /** Per atomic index: direct dependency indices, unique, in discovery order. */
  deps: number[][];
  /** Per atomic index: why each dependency exists (the list entry that created it). */
  why: Map<number, NameRef>[];
}

export function resolveDeps(
  atomics: readonly SourceAtomic[],
  names: NameTable,
  bundleMembers: ReadonlyMap<string, number[]>,
  producerFor: ReadonlyMap<string, string>,
  sink: DiagnosticSink,
): DepGraph {
  const deps: number[][] = [];
  const why: Map<number, NameRef>[] = [];
  for (const svc of atomics) {
    const reasons = new Map<number, NameRef>();
    const add = (i: number, ref: NameRef): void => {
      if (!reasons.has(i)) reasons.set(i, ref);
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
    deps.push([...reasons.keys()]);
    why.push(reasons);
  }
  return { deps, why };
}
