// The words of every renderer: reasons, failures and durations as short English phrases.
import type { TransitionFailure } from '../engine/driver.js';
import type { SkipReason, StepRef } from '../engine/events.js';
import type { KeepReason, StepAction, StepReason } from '../plan/types.js';
import { unreachable } from '../core/result.js';

/** "120 ms" below 10 s, then "12.3 s". */
export function formatDuration(ms: number): string {
  return ms < 10_000 ? `${Math.round(ms)} ms` : `${(ms / 1000).toFixed(1)} s`;
}

/** Why a step is in a plan: "requested", "needed by api", "depends on db", "not in default". */
export function describeStepReason(r: StepReason): string {
  switch (r.kind) {
    case 'requested':
      return 'requested';
    case 'in-target':
      return `in ${r.target}`;
    case 'not-in-target':
      return `not in ${r.target}`;
    case 'needed-by':
      return `needed by ${r.name}`;
    case 'depends-on':
      return `depends on ${r.name}`;
    case 'removed':
      return 'removed from the new db';
    case 'changed':
      return `changed: ${r.fields.length <= 6 ? r.fields.join(', ') : `${r.fields.slice(0, 6).join(', ')} and ${r.fields.length - 6} more`}`;
    case 'dependent-of':
      return `depends on ${r.name}, which is restarted`;
    case 'added':
      return `added, wanted by ${r.target}`;
    default:
      return unreachable(r, 'step reason');
  }
}

export function describeKeepReason(r: KeepReason): string {
  return r.kind === 'essential' ? 'essential' : `needed by essential ${r.name}`;
}

/** Why a step did not run: "depends on migrate, which failed". */
export function describeSkipReason(r: SkipReason): string {
  switch (r.kind) {
    case 'dependency-failed':
      return r.dependency === r.cause ? `depends on ${r.cause}, which failed` : `depends on ${r.dependency}, which was skipped (${r.cause} failed)`;
    case 'dependent-failed':
      return r.dependent === r.cause
        ? `${r.cause} depends on it and failed to stop`
        : `${r.dependent} depends on it and was not stopped (${r.cause} failed to stop)`;
    case 'dependency-unhealthy':
      return `depends on ${r.dependency} being healthy: ${r.message}`;
    case 'stop-phase-failed':
      return r.failed.length > 0 ? `the stop phase failed (${r.failed.join(', ')})` : 'the stop phase did not complete';
    case 'timeout':
      return 'the global timeout expired';
    case 'cancelled':
      return 'the change was cancelled';
    default:
      return unreachable(r, 'skip reason');
  }
}

export function describeFailure(f: TransitionFailure): string {
  return f.message !== '' ? f.message : f.reason;
}

/**
 * A step the change's cancellation (or its global timeout) aborted did not fail: it was
 * cancelled. The engine reports it as service-failed with the reason 'cancelled'.
 */
export const wasCancelled = (f: TransitionFailure): boolean => f.reason === 'cancelled';

/** "migrate failed to start: exited 1 (120 ms)", or "cache cancelled while starting: wait for ready: aborted (36 ms)". */
export function failedLine(e: StepRef & { failure: TransitionFailure; durationMs: number }): string {
  const what = wasCancelled(e.failure) ? `${e.name} cancelled while ${verb(e.action, 'ing')}` : `${e.name} failed to ${verb(e.action, 'base')}`;
  return `${what}: ${describeFailure(e.failure)} (${formatDuration(e.durationMs)})`;
}

const VERB: Record<StepAction, { ing: string; ed: string; base: string }> = {
  start: { ing: 'starting', ed: 'started', base: 'start' },
  stop: { ing: 'stopping', ed: 'stopped', base: 'stop' },
  restart: { ing: 'restarting', ed: 'restarted', base: 'restart' },
};

/** "starting", "stopped", "restart"... for an action. */
export function verb(action: StepAction, form: 'ing' | 'ed' | 'base'): string {
  return VERB[action][form];
}

/** "api, web" — at most `max` names, then "and N more". */
export function nameList(refs: readonly Pick<StepRef, 'name'>[], max = 20): string {
  const names = refs.map((r) => r.name);
  return names.length <= max ? names.join(', ') : `${names.slice(0, max).join(', ')} and ${names.length - max} more`;
}
