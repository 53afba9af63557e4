// One step's transition through the driver: its timeout, the clean-up of a longrun that failed to come up.
import type { Clock } from '../core/clock.js';
import type { PlanStep, StepAction } from '../plan/types.js';
import type { ServiceDriver, TransitionOptions, TransitionResult } from './driver.js';

export interface TransitionContext {
  driver: ServiceDriver;
  /** Aborted on the global timeout or cancellation. */
  signal: AbortSignal;
  timeouts: (index: number, direction: 'up' | 'down') => number;
  /** Absolute deadline on `clock`, or undefined for none. */
  deadline: number | undefined;
  clock: Clock;
  onStateChange: (index: number, up: boolean) => void;
}

/**
 * The driver's limit for a step: timeout-up to start, timeout-down to stop, both to restart in
 * place (none when timeout-up is 0); never past the global deadline. 0 = none.
 */
export function stepTimeout(ctx: TransitionContext, index: number, action: StepAction): number {
  const up = ctx.timeouts(index, 'up');
  const down = ctx.timeouts(index, 'down');
  const own = action === 'start' ? up : action === 'stop' ? down : up > 0 ? up + down : 0;
  if (ctx.deadline === undefined) return own;
  const left = Math.max(1, Math.ceil(ctx.deadline - ctx.clock.now()));
  return own === 0 ? left : Math.min(own, left);
}

/** Call the driver; a throw or rejection (a driver bug) becomes a failure instead of escaping. */
async function call(driver: ServiceDriver, action: StepAction, index: number, options: TransitionOptions): Promise<TransitionResult> {
  try {
    switch (action) {
      case 'start':
        return await driver.start(index, options);
      case 'stop':
        return await driver.stop(index, options);
      case 'restart':
        return await driver.restart(index, options);
    }
  } catch (e) {
    return { ok: false, reason: 'exec-failed', message: `driver error: ${(e as Error)?.message ?? String(e)}` };
  }
}

/**
 * Run a step. A longrun that failed to come up (start or restart) is stopped so it does not
 * linger half-started (s6-rc sends `s6-svc -d`); after an abort the driver has cleaned up itself.
 * A restart that failed leaves the longrun down, which is reported through onStateChange.
 */
export async function runTransition(ctx: TransitionContext, step: PlanStep, onStarted?: () => void): Promise<TransitionResult> {
  const options = { timeoutMs: stepTimeout(ctx, step.index, step.action), signal: ctx.signal, ...(onStarted ? { onStarted } : {}) };
  const result = await call(ctx.driver, step.action, step.index, options);
  if (result.ok || step.type !== 'longrun' || step.action === 'stop') return result;
  if (ctx.signal.aborted) {
    if (step.action === 'restart') ctx.onStateChange(step.index, false);
    return result;
  }
  const cleanup = await call(ctx.driver, 'stop', step.index, { timeoutMs: stepTimeout(ctx, step.index, 'stop'), signal: ctx.signal });
  if (cleanup.ok) {
    if (step.action === 'restart') ctx.onStateChange(step.index, false);
    return result;
  }
  return { ...result, message: `${result.message}; stopping it failed too: ${cleanup.message}` };
}
