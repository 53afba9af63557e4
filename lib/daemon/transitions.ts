// Transition requests (change/up/down/restart): resolve, plan against the recorded state, update what is wanted, execute.
import type { Clock } from '../core/clock.js';
import { ExitCode } from '../core/exit-codes.js';
import { err, ok, type Result } from '../core/result.js';
import type { Db } from '../db/db.js';
import { executePlan, summaryExitCode, type EngineEvent, type ExecutionSummary } from '../engine/index.js';
import { plan as makePlan, type Plan, type PlanRequest } from '../plan/index.js';
import type { TransitionCall, TransitionResultData } from './types.js';
import type { LiveStateStore } from '../live/live-state.js';
import { resolveNames, type RequestError } from './resolve.js';
import type { ServiceSet } from './service-set.js';

export interface TransitionHost {
  db: Db;
  state: LiveStateStore;
  services: ServiceSet;
  clock: Clock;
  /** The targets of the last change run (boot's included): `rc update` re-resolves them in the new db. */
  lastTargets?: string[];
  /** Called after every single success (the engine's onStateChange). */
  onStateChange(index: number, up: boolean): void;
}

export interface PreparedTransition {
  request: PlanRequest;
  force: boolean;
  label: string;
}

/** Check names now (so a typo fails at once, not after waiting in the queue). */
export function prepareTransition(db: Db, r: TransitionCall): Result<PreparedTransition, RequestError> {
  const names = r.names;
  const resolved = resolveNames(db, names);
  if (!resolved.ok) return resolved;
  const request: PlanRequest = {
    kind: r.op,
    targets: resolved.value,
    ...(r.op === 'restart' ? { deps: r.deps === true } : {}),
    ...(r.op === 'change' ? { label: names.join(' ') } : {}),
  };
  return ok({ request, force: r.force, label: `${r.op} ${names.join(' ')}` });
}

/**
 * Longruns rc records up whose supervisor is down or failed: `rc svc -d` stopped them behind rc's
 * back, or they died for good. A request that wants them up must start them again.
 */
export function notRunning(host: TransitionHost, up: ReadonlySet<number>): Set<number> {
  const out = new Set<number>();
  for (const i of up) {
    if (host.db.service(i).type !== 'longrun') continue;
    const { state } = host.services.view(i, true);
    if (state === 'down' || state === 'failed') out.add(i);
  }
  return out;
}

/** Plan against the state now: what rc records up, and which of those are not actually running. */
export function planNow(host: TransitionHost, p: PreparedTransition): Result<Plan, RequestError> {
  const up = host.state.upSet();
  const planned = makePlan(host.db.index, { up, notRunning: notRunning(host, up) }, p.request, { force: p.force });
  if (!planned.ok) return err({ exitCode: ExitCode.invalidDb, message: planned.error.message });
  return planned;
}

/**
 * Record what the request wants: s6-rc's "selected" set made persistent (dinit's desired state).
 * Returns the names whose wanted state changed (now wanted up, now wanted down).
 */
export function updateWanted(host: TransitionHost, p: PreparedTransition, plan: Plan): { up: string[]; down: string[] } {
  const { db, state } = host;
  const kept = new Set(plan.kept.map((k) => k.index));
  const targets = p.request.targets;
  const changed = { up: [] as string[], down: [] as string[] };
  const set = (i: number, wanted: boolean): void => {
    if (state.get(i).wanted === wanted) return;
    state.update(i, { wanted });
    (wanted ? changed.up : changed.down).push(db.service(i).name);
  };
  switch (p.request.kind) {
    case 'change': {
      const closure = db.closure(targets, 'forward');
      for (let i = 0; i < db.size; i++) set(i, closure.has(i) || kept.has(i));
      break;
    }
    case 'up':
    case 'restart':
      for (const i of db.closure(targets, 'forward')) set(i, true);
      break;
    case 'down':
      for (const i of db.closure(targets, 'reverse')) if (!kept.has(i)) set(i, false);
      break;
  }
  return changed;
}

/**
 * After a cancelled transition (its client went away: Ctrl-C): as s6-rc leaves an interrupted
 * change, what it started stays up and what it did not reach stays down, and nothing is left
 * "wanted" that the request only asked for: each service whose wanted state the request changed
 * takes its recorded state. Returns the names whose wanted state changed back.
 */
export function settleCancelledWanted(host: TransitionHost, changed: { up: string[]; down: string[] }): { up: string[]; down: string[] } {
  const back = { up: [] as string[], down: [] as string[] };
  for (const name of [...changed.up, ...changed.down]) {
    const r = host.db.resolve(name);
    if (r?.kind !== 'atomic') continue;
    const { up, wanted } = host.state.get(r.index);
    if (up === wanted) continue;
    host.state.update(r.index, { wanted: up });
    (up ? back.up : back.down).push(name);
  }
  return back;
}

export interface RunOptions {
  timeoutMs: number;
  jobs: number;
  signal: AbortSignal;
  onEvent: (event: EngineEvent) => void;
  /** Per-service limits; default: the db's timeout-up / timeout-down. */
  timeouts?: (index: number, direction: 'up' | 'down') => number;
}

export const dbTimeouts = (db: Db) => (i: number, direction: 'up' | 'down'): number => {
  const s = db.service(i);
  return direction === 'up' ? s.timeoutUp : s.timeoutDown;
};

/** Execute a plan through the services; the state is updated after every single success. */
export async function runPlan(host: TransitionHost, plan: Plan, opts: RunOptions): Promise<{ exitCode: number; data: TransitionResultData }> {
  const summary: ExecutionSummary = await executePlan(plan, host.services, {
    jobs: opts.jobs,
    timeoutMs: opts.timeoutMs,
    timeouts: opts.timeouts ?? dbTimeouts(host.db),
    onEvent: opts.onEvent,
    onStateChange: (i, up) => host.onStateChange(i, up),
    signal: opts.signal,
    clock: host.clock,
  });
  const notes = summary.kept.map((k) =>
    k.reason.kind === 'essential'
      ? `${k.name} is essential: kept up (use --force to bring it down)`
      : `${k.name} kept up: needed by the essential service ${k.reason.name}`,
  );
  return { exitCode: summaryExitCode(summary), data: { summary, notes } };
}
