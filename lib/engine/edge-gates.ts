// Per-edge conditions in the engine: which moment of a prerequisite's start releases each waiting step.
import type { StepDependents } from '../plan/step-graph.js';
import type { PlanStep } from '../plan/types.js';

/** Released when the prerequisite is done (its start succeeded): the default. */
export const READY = 0;
/** Released when the prerequisite is spawned (or done, whichever comes first). */
export const STARTED = 1;
/** Released when the prerequisite, done, passed a health check. */
export const HEALTHY = 2;
export type EdgeKind = typeof READY | typeof STARTED | typeof HEALTHY;

/**
 * The kind of every edge, parallel to `dependents.list` (the dependent's `conditions` on that
 * prerequisite), or null when no step of the plan has a condition (the common case: no cost).
 */
export function edgeKinds(steps: readonly Pick<PlanStep, 'after' | 'conditions'>[], dependents: StepDependents): Uint8Array | null {
  if (!steps.some((s) => s.conditions !== undefined)) return null;
  const kinds = new Uint8Array(dependents.list.length);
  const fill = dependents.offset.slice(0, steps.length);
  // Same walk as stepDependents: position fill[a] of prerequisite a's row holds dependent id.
  steps.forEach((s) => {
    for (const a of s.after) {
      const c = s.conditions?.[a];
      kinds[fill[a]!++] = c === 'started' ? STARTED : c === 'healthy' ? HEALTHY : READY;
    }
  });
  return kinds;
}

/** Does a step wait on prerequisite `id` through an edge of `kind`? */
export function hasEdgeOf(kinds: Uint8Array | null, dependents: StepDependents, id: number, kind: EdgeKind): boolean {
  if (kinds === null) return kind === READY && dependents.offset[id + 1]! > dependents.offset[id]!;
  for (let k = dependents.offset[id]!; k < dependents.offset[id + 1]!; k++) if (kinds[k] === kind) return true;
  return false;
}
