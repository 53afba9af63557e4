// ServiceDriver: what the engine needs from the supervision core, and nothing more.
// The daemon implements it with Supervisors and the OneshotRunner; tests use fakes.

export type TransitionFailure =
  | { reason: 'exit-code'; exitCode: number; message: string }
  | { reason: 'signal'; signal: string; message: string }
  | { reason: 'timeout'; message: string }
  | { reason: 'permanent-failure'; message: string }
  | { reason: 'exec-failed'; message: string }
  | { reason: 'cancelled'; message: string };

export type TransitionResult = { ok: true } | ({ ok: false } & TransitionFailure);

export interface TransitionOptions {
  /** Per-service limit in ms (timeout-up / timeout-down, capped by the global deadline); 0 = none. */
  timeoutMs: number;
  /** Aborted when the global deadline expires or the change is cancelled: the driver cleans up. */
  signal: AbortSignal;
  /**
   * start of a longrun only, when a dependent waits on a `started` edge: called once its process
   * is spawned (before it is ready). A driver may ignore it: the step's success releases the edge.
   */
  onStarted?: () => void;
}

/** The outcome of waiting for a service's first passed health check. */
export type HealthWaitResult = { ok: true } | { ok: false; message: string };

/**
 * What the engine relies on (lib/engine/execute.ts):
 * - every call resolves (a rejection or throw is treated as an 'exec-failed' failure);
 * - when `signal` aborts, the driver cancels the transition, cleans up (kills a oneshot's process
 *   group, stops a half-started longrun) and then resolves, normally with 'cancelled'; the engine
 *   waits for that before it reports, so the recorded state stays exact;
 * - after a failed start/restart of a longrun (not aborted) the engine itself calls `stop`, so
 *   `stop` must accept a service that is already down or failed.
 */
export interface ServiceDriver {
  /** Bring an atomic service up. A longrun resolves when ready (with readiness) or spawned. */
  start(index: number, options: TransitionOptions): Promise<TransitionResult>;
  /** Bring it down. A longrun resolves when dead and finish is done; a oneshot runs `down`. */
  stop(index: number, options: TransitionOptions): Promise<TransitionResult>;
  /** Restart in place: a longrun gets its down-signal and comes back (s6-svc -r), resolving when up again. */
  restart(index: number, options: TransitionOptions): Promise<TransitionResult>;
  /**
   * After a successful start: resolve once the longrun passed a health check (a `healthy` edge),
   * or fail when it turns unhealthy or stops first. Must resolve soon after `options.signal`
   * aborts. A driver without it lets `healthy` edges through as `ready`.
   */
  waitHealthy?(index: number, options: TransitionOptions): Promise<HealthWaitResult>;
}
