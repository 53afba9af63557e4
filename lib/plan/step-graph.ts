// The step graph of a plan, reversed: for each step, the steps waiting for it (compressed rows, O(V+E)).
import type { PlanStep } from './types.js';

/** Dependents of step s are `list[offset[s] .. offset[s + 1])`. */
export interface StepDependents {
  offset: Int32Array;
  list: Int32Array;
}

export function stepDependents(steps: readonly Pick<PlanStep, 'after'>[]): StepDependents {
  const offset = new Int32Array(steps.length + 1);
  for (const s of steps) for (const a of s.after) offset[a + 1]!++;
  for (let i = 0; i < steps.length; i++) offset[i + 1]! += offset[i]!;
  const fill = offset.slice(0, steps.length);
  const list = new Int32Array(offset[steps.length]!);
  steps.forEach((s, id) => {
    for (const a of s.after) list[fill[a]!++] = id;
  });
  return { offset, list };
}

/**
 * Longest-path depth of every step (0 for a step that waits for nothing), by Kahn's algorithm.
 * Returns undefined when the steps contain a cycle (an invalid db).
 */
export function stepDepths(steps: readonly Pick<PlanStep, 'after'>[]): Int32Array | undefined {
  const { offset, list } = stepDependents(steps);
  const pending = Int32Array.from(steps, (s) => s.after.length);
  const depth = new Int32Array(steps.length);
  const queue: number[] = [];
  steps.forEach((s, id) => s.after.length === 0 && queue.push(id));
  for (let head = 0; head < queue.length; head++) {
    const s = queue[head]!;
    for (let k = offset[s]!; k < offset[s + 1]!; k++) {
      const d = list[k]!;
      if (depth[d]! < depth[s]! + 1) depth[d] = depth[s]! + 1;
      if (--pending[d]! === 0) queue.push(d);
    }
  }
  return queue.length === steps.length ? depth : undefined;
}
