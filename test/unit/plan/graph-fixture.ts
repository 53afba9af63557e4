// In-memory service graphs for planner/engine tests: names and dependency lists in, a PlanGraph out.
import type { PlanGraph, PlanService } from '../../../lib/plan/types.js';

export interface ServiceSpec {
  name: string;
  type?: 'oneshot' | 'longrun';
  deps?: string[];
  essential?: boolean;
}

/** Build a graph; deps are names, rdeps are derived, both sorted (as the compiler does). */
export function graphOf(specs: ServiceSpec[]): PlanGraph & { idx: (name: string) => number; names: (is: Iterable<number>) => string[] } {
  const byName = new Map(specs.map((s, i) => [s.name, i]));
  const idx = (name: string): number => {
    const i = byName.get(name);
    if (i === undefined) throw new Error(`fixture: no service ${name}`);
    return i;
  };
  const services: PlanService[] = specs.map((s, i) => ({
    index: i,
    name: s.name,
    type: s.type ?? 'longrun',
    flags: { essential: s.essential ?? false },
    deps: (s.deps ?? []).map(idx).sort((a, b) => a - b),
    rdeps: [] as number[],
  }));
  for (const s of services) for (const d of s.deps) (services[d]!.rdeps as number[]).push(s.index);
  for (const s of services) (s.rdeps as number[]).sort((a, b) => a - b);
  return { services, idx, names: (is) => [...is].map((i) => services[i]!.name) };
}

/** A graph from edge lists over indices: deps[i] lists the dependencies of service i (named s0, s1, ...). */
export function graphFromDeps(deps: number[][], types?: ('oneshot' | 'longrun')[], essential?: boolean[]): PlanGraph {
  return graphOf(deps.map((ds, i) => ({
    name: `s${i}`,
    type: types?.[i] ?? 'longrun',
    essential: essential?.[i] ?? false,
    deps: ds.map((d) => `s${d}`),
  })));
}
