// planUpdate: pure. What `rc update` stops under the old db and starts under the new one, with a reason for each service.
//
// Stop phase (old db, reverse dependency order): removed services that are up, changed services
// that are up, and every up service that depends on one of them. Start phase (new db, dependency
// order): what was stopped and still exists, changed services still wanted though down, and added
// services the wanted targets (the last change's, re-resolved in the new db) now include, and
// wanted dependents of all these that are down (a failed dependency kept them down before).
// Unchanged services are in neither phase.
import type { DbDiff } from '../db/diff.js';
import { plan } from './plan.js';
import { reach } from './select.js';
import type { CurrentState, Plan, PlanError, PlanGraph, StepReason } from './types.js';
import { err, ok, type Result } from '../core/result.js';

export interface UpdateTarget {
  /** The target's name (a bundle such as `default`, or a service). */
  name: string;
  /** Its atomic members in the new db. */
  members: readonly number[];
}

export interface UpdateInput {
  old: PlanGraph;
  next: PlanGraph;
  diff: DbDiff;
  /** The live state, in old indices. */
  current: CurrentState;
  /** Old indices wanted up (the last request's). */
  wanted: ReadonlySet<number>;
  /** The targets of the last change, re-resolved in the new db (a target gone from it is left out). */
  targets: readonly UpdateTarget[];
}

export interface UpdatePlan {
  /** Under the old db. */
  stop: Plan;
  /** Under the new db, against the state the stop phase leaves. */
  start: Plan;
  /** New indices recorded up once the stop phase is done (unchanged services that were up). */
  upAfterStop: number[];
  /** New indices wanted after the update. */
  wanted: number[];
}

const byIndex = (a: number, b: number): number => a - b;

/** Replace the reasons of a plan's steps where `reasons` has one (mutates the fresh plan). */
function withReasons(p: Plan, reasons: ReadonlyMap<number, StepReason>, rename?: (r: StepReason) => StepReason): Plan {
  for (const s of p.steps) s.reason = reasons.get(s.index) ?? (rename ? rename(s.reason) : s.reason);
  return p;
}

export function planUpdate(input: UpdateInput): Result<UpdatePlan, PlanError> {
  const { old, next, diff, current } = input;
  const oldToNew = new Map<number, number>();
  for (const k of [...diff.changed, ...diff.unchanged]) oldToNew.set(k.oldIndex, k.index);
  const changedFields = new Map(diff.changed.map((c) => [c.oldIndex, c.fields]));
  // Stop phase: removed and changed services that are up, and (the down plan adds them) their up dependents.
  const stopReasons = new Map<number, StepReason>();
  for (const r of diff.removed) if (current.up.has(r.oldIndex)) stopReasons.set(r.oldIndex, { kind: 'removed' });
  for (const c of diff.changed) if (current.up.has(c.oldIndex)) stopReasons.set(c.oldIndex, { kind: 'changed', fields: c.fields });
  const dependent = (r: StepReason): StepReason => (r.kind === 'depends-on' ? { kind: 'dependent-of', index: r.index, name: r.name } : r);
  const stopPlanned = plan(old, current, { kind: 'down', targets: [...stopReasons.keys()].sort(byIndex) }, { force: true });
  if (!stopPlanned.ok) return stopPlanned;
  const stop = withReasons(stopPlanned.value, stopReasons, dependent);
  const stopped = new Set(stop.steps.map((s) => s.index));
  // Start phase, in new indices.
  const upAfterStop = [...current.up].filter((i) => !stopped.has(i) && oldToNew.has(i)).map((i) => oldToNew.get(i)!).sort(byIndex);
  const notRunning = new Set([...(current.notRunning ?? [])].filter((i) => oldToNew.has(i)).map((i) => oldToNew.get(i)!));
  const startReasons = new Map<number, StepReason>();
  for (const s of stop.steps) {
    const n = oldToNew.get(s.index);
    if (n === undefined) continue;
    const r = s.reason;
    startReasons.set(n, r.kind === 'dependent-of' && oldToNew.has(r.index) ? { ...r, index: oldToNew.get(r.index)!, name: next.services[oldToNew.get(r.index)!]!.name } : r);
  }
  for (const c of diff.changed) {
    if (!current.up.has(c.oldIndex) && input.wanted.has(c.oldIndex)) startReasons.set(c.index, { kind: 'changed', fields: changedFields.get(c.oldIndex)! });
  }
  const added = new Set(diff.added.map((a) => a.index));
  for (const t of input.targets) {
    for (const i of reach(next, t.members, 'deps').keys()) if (added.has(i) && !startReasons.has(i)) startReasons.set(i, { kind: 'added', target: t.name });
  }
  // Wanted dependents left down (a dependency of theirs failed before) come up with what they need.
  const wantedNew = new Set<number>();
  for (const [o, n] of oldToNew) if (input.wanted.has(o)) wantedNew.add(n);
  const upNow = new Set(upAfterStop);
  for (const [i, parent] of reach(next, [...startReasons.keys()], 'rdeps')) {
    if (parent >= 0 && !startReasons.has(i) && !upNow.has(i) && wantedNew.has(i)) startReasons.set(i, { kind: 'dependent-of', index: parent, name: next.services[parent]!.name });
  }
  const targets = [...startReasons.keys()].sort(byIndex);
  const startPlanned = plan(next, { up: new Set(upAfterStop), notRunning }, { kind: 'up', targets });
  if (!startPlanned.ok) return err(startPlanned.error);
  const start = withReasons(startPlanned.value, startReasons);
  const wanted = new Set(wantedNew);
  for (const i of reach(next, targets, 'deps').keys()) wanted.add(i);
  return ok({ stop, start, upAfterStop, wanted: [...wanted].sort(byIndex) });
}
