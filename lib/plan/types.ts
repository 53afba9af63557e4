// Plan vocabulary: what the planner is asked, what it answers (steps, reasons, kept services).
import type { AtomicType } from '../db/types.js';

/** The part of a compiled db the planner reads; a DbIndex (or Db.index) fits as is. */
export interface PlanGraph {
  readonly services: readonly PlanService[];
}

export interface PlanService {
  readonly index: number;
  readonly name: string;
  readonly type: AtomicType;
  readonly flags: { readonly essential: boolean };
  /** Direct dependencies (atomic indices). */
  readonly deps: readonly number[];
  /** Direct reverse dependencies. */
  readonly rdeps: readonly number[];
  /** Non-default edge conditions, keyed by dependency index (db `conditions`; absent = every edge `ready`). */
  readonly conditions?: Readonly<Record<string, 'ready' | 'started' | 'healthy'>>;
}

export type PlanKind = 'up' | 'down' | 'change' | 'restart';

export interface PlanRequest {
  kind: PlanKind;
  /** Atomic indices; the caller resolves names and bundles. */
  targets: readonly number[];
  /** restart --deps: stop the targets and their up dependents (dependents first), then start them all again. */
  deps?: boolean;
  /** What the targets are called in reasons, e.g. the bundle name "default". */
  label?: string;
}

export interface PlanOptions {
  /** Stop essential services too (--force). */
  force?: boolean;
}

/** The live state the plan starts from. */
export interface CurrentState {
  /** What rc records up. */
  up: ReadonlySet<number>;
  /**
   * Recorded up, but not running: a longrun whose supervisor was told to stop behind rc's back
   * (`rc svc -d`) or gave up on it (permanent failure). A request that wants it up starts it
   * again; one that wants it down still stops it (so it is recorded down).
   */
  notRunning?: ReadonlySet<number>;
}

export type StepAction = 'start' | 'stop' | 'restart';
export type Phase = 'stop' | 'start';

/** A service named in a reason (index and name, so nobody needs the db to print it). */
export interface ServiceRef {
  index: number;
  name: string;
}

/** Why a step is in the plan. */
export type StepReason =
  | { kind: 'requested' }
  | { kind: 'in-target'; target: string }
  | { kind: 'not-in-target'; target: string }
  | ({ kind: 'needed-by' } & ServiceRef)
  | ({ kind: 'depends-on' } & ServiceRef)
  /** rc update: not in the new db. */
  | { kind: 'removed' }
  /** rc update: its definition differs in the new db (the fields that do). */
  | { kind: 'changed'; fields: string[] }
  /** rc update: restarted because it depends on a restarted service. */
  | ({ kind: 'dependent-of' } & ServiceRef)
  /** rc update: new in the new db, and wanted through this target of the last change. */
  | { kind: 'added'; target: string };

/** Why a service that would have been stopped stays up. */
export type KeepReason = { kind: 'essential' } | ({ kind: 'needed-by-essential' } & ServiceRef);

export interface KeptService extends ServiceRef {
  reason: KeepReason;
}

export interface PlanStep {
  /** Position in Plan.steps. */
  id: number;
  index: number;
  name: string;
  type: AtomicType;
  /** 'restart' = a longrun restarted in place; a oneshot restart is a stop step plus a start step. */
  action: StepAction;
  phase: Phase;
  reason: StepReason;
  /** Ids of the steps that must be done first (same phase: the deps being started, or the rdeps being stopped). */
  after: number[];
  /**
   * A start step's non-default edges, keyed by prerequisite step id (one of `after`): `started` =
   * it may start once that one is spawned; `healthy` = once that one passed a health check.
   * Absent when every prerequisite is waited for as `ready` (done).
   */
  conditions?: Record<string, 'started' | 'healthy'>;
  /** 0-based wave over the whole plan: every stop wave comes before every start wave. */
  wave: number;
}

/** A pure, JSON-serializable plan: the stop phase (steps[0..stopCount)) then the start phase. */
export interface Plan {
  kind: PlanKind;
  /** The label used in reasons ("default", or "the targets"). */
  label: string;
  steps: PlanStep[];
  stopCount: number;
  /** Number of stop waves (start waves are numbered from here). */
  stopWaves: number;
  waves: number;
  kept: KeptService[];
}

export type PlanError =
  | { kind: 'unknown-index'; index: number; message: string }
  | { kind: 'cycle'; message: string };
