// plan(): pure. Turns a request and the live state into ordered steps (stop phase, then start phase).
import { err, ok, type Result } from '../core/result.js';
import { select, type Selection } from './select.js';
import { stepDepths } from './step-graph.js';
import type { CurrentState, Phase, Plan, PlanError, PlanGraph, PlanOptions, PlanRequest, PlanStep } from './types.js';

function checkIndices(graph: PlanGraph, request: PlanRequest, current: CurrentState): PlanError | undefined {
  const n = graph.services.length;
  for (const i of [...request.targets, ...current.up]) {
    if (!Number.isInteger(i) || i < 0 || i >= n) {
      return { kind: 'unknown-index', index: i, message: `no atomic service with index ${i} (the db has ${n})` };
    }
  }
  return undefined;
}

const byIndex = (m: Map<number, unknown>): number[] => [...m.keys()].sort((a, b) => a - b);

/** One step per selected service, stop phase first; `after` links each to its same-phase prerequisites. */
function buildSteps(graph: PlanGraph, sel: Selection): { steps: PlanStep[]; stopCount: number } {
  const n = graph.services.length;
  const ids: Record<Phase, Int32Array> = { stop: new Int32Array(n).fill(-1), start: new Int32Array(n).fill(-1) };
  const steps: PlanStep[] = [];
  const add = (i: number, phase: Phase, action: PlanStep['action'], reason: PlanStep['reason']) => {
    const s = graph.services[i]!;
    ids[phase][i] = steps.length;
    steps.push({ id: steps.length, index: i, name: s.name, type: s.type, action, phase, reason, after: [], wave: 0 });
  };
  for (const i of byIndex(sel.stop)) add(i, 'stop', 'stop', sel.stop.get(i)!);
  const stopCount = steps.length;
  for (const i of byIndex(sel.start)) {
    const { action, reason } = sel.start.get(i)!;
    add(i, 'start', action, reason);
  }
  // Computed only once a step has a neighbour without a step in its phase.
  const memo: Partial<Record<Phase, Uint8Array>> = {};
  const leads = (phase: Phase) => (memo[phase] ??= leadsTo(graph, ids[phase], phase === 'stop' ? 'deps' : 'rdeps'));
  for (const step of steps) {
    // A stop waits for the dependents being stopped; a start for the dependencies being started.
    const dir = step.phase === 'stop' ? 'rdeps' : 'deps';
    step.after = prerequisites(graph, step.index, dir, ids[step.phase], () => leads(step.phase));
    if (step.phase === 'start') addConditions(graph, step, ids.start);
  }
  return { steps, stopCount };
}

/** Carry the service's non-default edge conditions onto its start step, for the prerequisites that have a start step. */
function addConditions(graph: PlanGraph, step: PlanStep, startIds: Int32Array): void {
  const conditions = graph.services[step.index]!.conditions;
  if (conditions === undefined) return;
  for (const [dep, cond] of Object.entries(conditions)) {
    const id = startIds[Number(dep)];
    if (cond === 'ready' || id === undefined || id < 0) continue;
    (step.conditions ??= {})[String(id)] = cond;
  }
}

/**
 * Marks every service from which a step of the phase can be reached along the step's direction
 * (`toward` is the opposite one): BFS from the services that have a step. O(V+E).
 */
function leadsTo(graph: PlanGraph, phaseIds: Int32Array, toward: 'deps' | 'rdeps'): Uint8Array {
  const mark = new Uint8Array(graph.services.length);
  const queue: number[] = [];
  const visit = (i: number): void => {
    if (mark[i]) return;
    mark[i] = 1;
    queue.push(i);
  };
  phaseIds.forEach((id, i) => id >= 0 && visit(i));
  for (let head = 0; head < queue.length; head++) {
    for (const j of graph.services[queue[head]!]![toward]) visit(j);
  }
  return mark;
}

/**
 * The steps a step waits for: its neighbours' steps, and, through a neighbour without a step,
 * the steps beyond it. Normally a service that is up has everything it depends on up, so the
 * walk stops at once; but a crash recovery keeps oneshots recorded up while the longruns below
 * them start down, and what depends on such a oneshot must still wait for those longruns.
 */
function prerequisites(graph: PlanGraph, index: number, dir: 'deps' | 'rdeps', phaseIds: Int32Array, leadsOf: () => Uint8Array): number[] {
  const out: number[] = [];
  let through: number[] | null = null;
  let leads: Uint8Array | null = null;
  for (const j of graph.services[index]![dir]) {
    if (phaseIds[j]! >= 0) out.push(phaseIds[j]!);
    else if ((leads ??= leadsOf())[j]) (through ??= []).push(j);
  }
  if (through === null || leads === null) return out;
  // Rare (the recorded state breaks "up implies its dependencies up"): walk on past those.
  const seen = new Set<number>(through);
  const found = new Set<number>(out);
  while (through.length > 0) {
    for (const k of graph.services[through.pop()!]![dir]) {
      if (seen.has(k) || !leads[k]) continue;
      seen.add(k);
      if (phaseIds[k]! >= 0) found.add(phaseIds[k]!);
      else through.push(k);
    }
  }
  return [...found];
}

/**
 * Plan a request against the live state. Pure: no I/O, no clock.
 * - up: the forward closure of the targets, minus what is up (and running: see CurrentState.notRunning);
 * - down: whatever is up in the reverse closure of the targets;
 * - change: the forward closure comes up, every other up service goes down first (s6-rc -pu change);
 * - restart: a longrun restarts in place, a oneshot stops then starts; with `deps`, the targets and
 *   their up dependents all stop (dependents first) and then start again (dependencies first).
 * Without `force`, essential services (and what they depend on) are kept up and listed in `kept`.
 */
export function plan(graph: PlanGraph, current: CurrentState, request: PlanRequest, options: PlanOptions = {}): Result<Plan, PlanError> {
  const bad = checkIndices(graph, request, current);
  if (bad) return err(bad);
  const sel = select(graph, current, request, options.force === true);
  const { steps, stopCount } = buildSteps(graph, sel);
  const depths = stepDepths(steps);
  if (depths === undefined) return err({ kind: 'cycle', message: 'the dependency graph has a cycle: the db is invalid' });
  let stopWaves = 0;
  for (let id = 0; id < stopCount; id++) stopWaves = Math.max(stopWaves, depths[id]! + 1);
  let waves = stopWaves;
  for (let id = stopCount; id < steps.length; id++) {
    steps[id]!.wave = stopWaves + depths[id]!;
    waves = Math.max(waves, steps[id]!.wave + 1);
  }
  for (let id = 0; id < stopCount; id++) steps[id]!.wave = depths[id]!;
  return ok({ kind: request.kind, label: request.label ?? 'the targets', steps, stopCount, stopWaves, waves, kept: sel.kept });
}

/** The plan grouped by wave: every stop wave, then every start wave. */
export function planWaves(p: Plan): { phase: Phase; wave: number; steps: PlanStep[] }[] {
  const out = Array.from({ length: p.waves }, (_, wave) => ({ phase: wave < p.stopWaves ? ('stop' as const) : ('start' as const), wave, steps: [] as PlanStep[] }));
  for (const s of p.steps) out[s.wave]!.steps.push(s);
  return out;
}
