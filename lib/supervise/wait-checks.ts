// When a wait for up / ready / down is satisfied or has failed, judged from the supervisor's state.
import { unreachable } from '../core/result.js';
import type { State } from './supervisor-state.js';
import type { WaitResult, WaitTarget } from './types.js';

export interface WaitContext {
  name: string;
  /** notification-fd or a probe is configured. */
  hasReadiness: boolean;
  /** Message of the last exec failure of ./run. */
  lastExecError: string;
  /** A health check is configured. */
  hasHealth: boolean;
}

const OK: WaitResult = { ok: true };

/** The failures that end a wait for up or ready, whatever the target. */
function startFailure(state: State, ctx: WaitContext): WaitResult | null {
  switch (state.kind) {
    case 'failed':
      return { ok: false, reason: 'permanent-failure', message: `${ctx.name}: ${state.reason}` };
    case 'exited':
      return { ok: false, reason: 'aborted', message: `${ctx.name}: the supervisor has exited` };
    case 'waiting':
      if (state.reason !== 'exec-retry') return null;
      return { ok: false, reason: 'exec-failed', message: `${ctx.name}: ${ctx.lastExecError}` };
    case 'down':
    case 'spawning':
    case 'up':
    case 'ready':
    case 'stopping':
    case 'finishing':
      return null;
    default:
      return unreachable(state, 'state');
  }
}

/** null = not yet. */
export function waitCheck(target: WaitTarget, state: State, ctx: WaitContext): WaitResult | null {
  switch (target) {
    case 'up':
      return state.kind === 'up' || state.kind === 'ready' ? OK : startFailure(state, ctx);
    case 'ready':
      if (state.kind === 'ready' || (state.kind === 'up' && !ctx.hasReadiness)) return OK;
      if (state.kind === 'up' && state.run.notReady === 'timeout') {
        return { ok: false, reason: 'timeout', message: `${ctx.name}: ${state.run.notReadyMessage}` };
      }
      return startFailure(state, ctx);
    case 'healthy':
      return healthyCheck(state, ctx);
    case 'down':
      return ['down', 'waiting', 'failed', 'exited'].includes(state.kind) ? OK : null;
    default:
      return unreachable(target, 'wait target');
  }
}

/** Healthy: the current run passed its health check; unhealthy, or no run (stopped, died), ends the wait. */
function healthyCheck(state: State, ctx: WaitContext): WaitResult | null {
  if (!ctx.hasHealth) return { ok: false, reason: 'unhealthy', message: `${ctx.name}: it has no health check` };
  if (state.kind === 'up' || state.kind === 'ready') {
    const h = state.run.health?.snapshot();
    if (h?.health === 'healthy') return OK;
    if (h?.health === 'unhealthy') return { ok: false, reason: 'unhealthy', message: `${ctx.name}: it turned unhealthy (${h.output || 'the check failed'})` };
    if (state.kind === 'up' && state.run.notReady === 'timeout') return { ok: false, reason: 'timeout', message: `${ctx.name}: ${state.run.notReadyMessage}` };
    return null;
  }
  if (state.kind === 'spawning') return null;
  return startFailure(state, ctx) ?? { ok: false, reason: 'unhealthy', message: `${ctx.name}: it stopped before it was healthy` };
}
