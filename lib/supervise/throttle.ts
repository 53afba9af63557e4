// The restart throttle: s6-supervise's rule (1 s after the death, or 1 s after readiness), the
// restart-delay floor in place of s6's 1 s, and a crash-loop guard below 1 s.

/** s6-supervise's throttle: 1 s (after the death, or after the run became ready). */
export const S6_THROTTLE_MS = 1000;
/** Retry delay after `./run` could not be executed (s6: 10 s). */
export const EXEC_RETRY_MS = 10_000;
/** A run shorter than this counts as a fast death for the crash-loop guard. */
export const FAST_DEATH_MS = 1000;
/** The guard never waits longer than this. */
export const CRASH_GUARD_MAX_MS = 1000;

export interface ThrottleInput {
  /** restart-delay, or S6_THROTTLE_MS when the file is absent. */
  floorMs: number;
  /**
   * Monotonic ms when the dead run became ready (notification-fd newline, or a ready-* probe);
   * null when it never did, which is always the case for a longrun without readiness.
   */
  readyAt: number | null;
  /** Monotonic ms now: the run is dead and its finish done. */
  now: number;
  /** Consecutive runs that lived less than FAST_DEATH_MS, including the one that just died. */
  fastDeaths: number;
}

/**
 * The crash-loop guard, used only when the floor is below s6's 1 s (restart-delay < 1000):
 * the first fast death restarts at once, the next ones wait 10, 20, 40 ... ms, capped at 1 s.
 */
export function crashLoopDelay(fastDeaths: number): number {
  if (fastDeaths < 2) return 0;
  return Math.min(CRASH_GUARD_MAX_MS, 10 * 2 ** Math.min(fastDeaths - 2, 10));
}

/**
 * How long to wait before an automatic restart, once the run is dead and its finish done.
 * s6-supervise 2.11's rule, with `floor` (1 s by default) in place of its 1 s: a run that became
 * ready restarts `floor` after it became ready (at once when that is past: it was ready for at
 * least `floor`); a run that never became ready (any longrun without notification-fd or a
 * ready-* probe) restarts `floor` after now, however long it lived. Below 1 s the crash-loop
 * guard may wait longer.
 */
export function restartDelay(input: ThrottleInput): number {
  const wait = input.readyAt === null ? input.floorMs : Math.max(0, input.readyAt + input.floorMs - input.now);
  if (input.floorMs >= S6_THROTTLE_MS) return wait;
  return Math.max(wait, crashLoopDelay(input.fastDeaths));
}
