// EngineEvent: everything a change can report, as one JSON-serializable union (renderers consume it).
import type { KeptService, PlanKind, PlanStep, StepAction } from '../plan/types.js';
import type { TransitionFailure } from './driver.js';

/** A step named in an event: plan step id, service index and name, and what it does. */
export interface StepRef {
  step: number;
  index: number;
  name: string;
  action: StepAction;
}

/** Why a step did not run. Names are included so nobody needs the db to print them. */
export type SkipReason =
  /** A start waits for `dependency`, which failed (it is `cause`) or was itself skipped because `cause` failed. */
  | { kind: 'dependency-failed'; dependency: string; cause: string }
  /** A start waits on a `healthy` edge for `dependency`, which turned unhealthy (or stopped) first. */
  | { kind: 'dependency-unhealthy'; dependency: string; message: string }
  /** A stop waits for `dependent` to stop, which failed (it is `cause`) or was skipped because `cause` failed. */
  | { kind: 'dependent-failed'; dependent: string; cause: string }
  /** The start phase of a change never runs once a stop failed (as s6-rc -p). */
  | { kind: 'stop-phase-failed'; failed: string[] }
  /** The global timeout expired before this step could start. */
  | { kind: 'timeout' }
  /** The change was cancelled (AbortSignal) before this step could start. */
  | { kind: 'cancelled' };

export interface FailedStep extends StepRef {
  failure: TransitionFailure;
}

export interface SkippedStep extends StepRef {
  reason: SkipReason;
}

export interface ExecutionSummary {
  /** Every step done, nothing failed, skipped, timed out or cancelled. */
  ok: boolean;
  timedOut: boolean;
  cancelled: boolean;
  /** Indices of the services whose transitions completed, each once, in completion order. */
  done: number[];
  started: number;
  stopped: number;
  restarted: number;
  failed: FailedStep[];
  skipped: SkippedStep[];
  kept: KeptService[];
  durationMs: number;
}

/** The plan as announced at the start of a change (the steps without their edges). */
export interface PlanSummary {
  kind: PlanKind;
  label: string;
  steps: Omit<PlanStep, 'after'>[];
  kept: KeptService[];
}

/**
 * Which part of a larger operation a change was, when it was one (set by the daemon, not the
 * engine): rc update's stop phase (under the old db), its start phase (under the new one), or
 * the restart of what a failed stop phase had stopped.
 */
export type ChangePhase = 'update-stop' | 'update-start' | 'update-restore';

export type EngineEvent =
  | { type: 'change-started'; plan: PlanSummary }
  | ({ type: 'service-starting' } & StepRef)
  | ({ type: 'service-stopping' } & StepRef)
  | ({ type: 'service-started'; durationMs: number } & StepRef)
  | ({ type: 'service-stopped'; durationMs: number } & StepRef)
  | ({ type: 'service-failed'; failure: TransitionFailure; durationMs: number } & StepRef)
  | ({ type: 'service-skipped'; reason: SkipReason } & StepRef)
  | ({ type: 'service-kept' } & KeptService)
  | { type: 'timeout'; timeoutMs: number; inFlight: StepRef[] }
  | { type: 'change-done'; summary: ExecutionSummary; phase?: ChangePhase };

export type EngineEventType = EngineEvent['type'];
