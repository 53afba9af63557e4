// The restart throttle: s6-supervise's 1 s rule, the restart-delay floor, and a crash-loop guard.

/** s6-supervise waits at least this long between two automatic starts. */
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
  /** Monotonic ms of the dead run's spawn. */
  spawnedAt: number;
  /** Monotonic ms now (finish done). */
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
 * How long to wait before an automatic restart. s6's rule: the next start is no earlier than
 * `floor` after the previous start. (A service that was ready for at least `floor` has run at
 * least that long, so it restarts at once; s6 states that case separately.)
 */
export function restartDelay(input: ThrottleInput): number {
  const floorWait = Math.max(0, input.spawnedAt + input.floorMs - input.now);
  if (input.floorMs >= S6_THROTTLE_MS) return floorWait;
  return Math.max(floorWait, crashLoopDelay(input.fastDeaths));
}
