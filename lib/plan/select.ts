// Selection: which services a request stops, starts or restarts, and why (closures with reasons).
import { unreachable } from '../core/result.js';
import type { CurrentState, KeptService, PlanGraph, PlanRequest, StepReason } from './types.js';

export type Direction = 'deps' | 'rdeps';

export interface Selection {
  stop: Map<number, StepReason>;
  start: Map<number, { action: 'start' | 'restart'; reason: StepReason }>;
  kept: KeptService[];
}

/**
 * Breadth-first closure of `roots` along `direction`, only through nodes `through` accepts.
 * Returns each reached node with the node that reached it (-1 for a root), so the nearest
 * neighbour is the one named in reasons. O(V+E).
 */
export function reach(
  graph: PlanGraph,
  roots: Iterable<number>,
  direction: Direction,
  through: (i: number) => boolean = () => true,
): Map<number, number> {
  const parent = new Map<number, number>();
  const queue: number[] = [];
  for (const r of roots) {
    if (!parent.has(r) && through(r)) {
      parent.set(r, -1);
      queue.push(r);
    }
  }
  for (let head = 0; head < queue.length; head++) {
    const i = queue[head]!;
    for (const j of graph.services[i]![direction]) {
      if (!parent.has(j) && through(j)) {
        parent.set(j, i);
        queue.push(j);
      }
    }
  }
  return parent;
}

const ref = (graph: PlanGraph, i: number) => ({ index: i, name: graph.services[i]!.name });

/** Reason for a service in a forward closure: a root is requested, the others are needed by who reached them. */
function forwardReason(graph: PlanGraph, parent: number, rootReason: StepReason): StepReason {
  return parent < 0 ? rootReason : { kind: 'needed-by', ...ref(graph, parent) };
}

function reverseReason(graph: PlanGraph, parent: number): StepReason {
  return parent < 0 ? { kind: 'requested' } : { kind: 'depends-on', ...ref(graph, parent) };
}

/** Start whatever in the forward closure of `roots` is not up yet (or recorded up but not running). */
function addStarts(graph: PlanGraph, current: CurrentState, roots: Iterable<number>, rootReason: StepReason, out: Selection): Set<number> {
  const closure = reach(graph, roots, 'deps');
  const running = (i: number) => current.up.has(i) && current.notRunning?.has(i) !== true;
  for (const [i, parent] of closure) {
    if (!running(i) && !out.start.has(i)) out.start.set(i, { action: 'start', reason: forwardReason(graph, parent, rootReason) });
  }
  return new Set(closure.keys());
}

/**
 * Without force, an essential service in the stop set stays up, and so does everything in the
 * stop set it depends on (s6-rc: it never broadcasts, so its dependencies are never examined).
 */
function keepEssentials(graph: PlanGraph, out: Selection): void {
  const essentials = [...out.stop.keys()].filter((i) => graph.services[i]!.flags.essential);
  if (essentials.length === 0) return;
  const root = new Map<number, number>(essentials.map((e) => [e, e]));
  const queue = [...essentials];
  for (let head = 0; head < queue.length; head++) {
    const i = queue[head]!;
    for (const j of graph.services[i]!.deps) {
      if (out.stop.has(j) && !root.has(j)) {
        root.set(j, root.get(i)!);
        queue.push(j);
      }
    }
  }
  for (const [i, e] of [...root].sort((a, b) => a[0] - b[0])) {
    out.stop.delete(i);
    const reason = i === e ? ({ kind: 'essential' } as const) : ({ kind: 'needed-by-essential', ...ref(graph, e) } as const);
    out.kept.push({ ...ref(graph, i), reason });
  }
}

/**
 * restart: without `deps`, an up longrun restarts in place and an up oneshot runs `down` then `up`
 * (its dependents stay up). With `deps`, it is `s6-rc -d change X` then `s6-rc -u change` of what
 * was up: every up service in the reverse closure gets a stop step (dependents first) and a start
 * step (dependencies first), so nothing runs while something it depends on is down.
 */
function selectRestart(graph: PlanGraph, current: CurrentState, request: PlanRequest, out: Selection): void {
  const isUp = (i: number) => current.up.has(i);
  const upTargets = request.targets.filter(isUp);
  const restarted = request.deps ? reach(graph, upTargets, 'rdeps', isUp) : new Map(upTargets.map((t) => [t, -1]));
  for (const [i, parent] of restarted) {
    const reason = reverseReason(graph, parent);
    if (graph.services[i]!.type === 'longrun' && request.deps !== true) {
      out.start.set(i, { action: 'restart', reason });
    } else {
      out.stop.set(i, reason);
      out.start.set(i, { action: 'start', reason });
    }
  }
  // Restarting a service that is down brings it up, as `up` would.
  addStarts(graph, current, request.targets.filter((t) => !isUp(t)), { kind: 'requested' }, out);
}

/** Decide what moves. Targets must be valid indices (checked by the caller). */
export function select(graph: PlanGraph, current: CurrentState, request: PlanRequest, force: boolean): Selection {
  const out: Selection = { stop: new Map(), start: new Map(), kept: [] };
  const label = request.label ?? 'the targets';
  switch (request.kind) {
    case 'up':
      addStarts(graph, current, request.targets, { kind: 'requested' }, out);
      break;
    case 'down':
      for (const [i, parent] of reach(graph, request.targets, 'rdeps')) {
        if (current.up.has(i)) out.stop.set(i, reverseReason(graph, parent));
      }
      break;
    case 'change': {
      const rootReason: StepReason = request.label === undefined ? { kind: 'requested' } : { kind: 'in-target', target: label };
      const wanted = addStarts(graph, current, request.targets, rootReason, out);
      for (const i of [...current.up].sort((a, b) => a - b)) {
        if (!wanted.has(i)) out.stop.set(i, { kind: 'not-in-target', target: label });
      }
      break;
    }
    case 'restart':
      selectRestart(graph, current, request, out);
      break;
    default:
      unreachable(request.kind, 'plan kind');
  }
  if (!force && request.kind !== 'restart') keepEssentials(graph, out);
  return out;
}
