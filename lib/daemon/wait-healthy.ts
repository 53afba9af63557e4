// rc wait --healthy for one longrun: through starts and restarts until a run passes its check; an unhealthy verdict fails.
import type { Supervisor } from '../supervise/supervisor.js';
import type { WaitResult } from '../supervise/types.js';

/**
 * Wait for a run of `sup` to be up, then let the supervision core judge that run (`healthy`).
 * A run that stops or dies before any verdict is not the end: the next run is waited for, as
 * `--ready` waits across restarts; a permanent failure or an exec failure of ./run ends it (as
 * for `--up`). An unhealthy verdict ends it, and so does a readiness that gave up (ready-timeout:
 * no check will run on that run).
 */
export async function waitHealthy(sup: Supervisor, signal: AbortSignal): Promise<WaitResult> {
  for (;;) {
    const up = await sup.waitFor('up', 0, signal);
    if (!up.ok) return up;
    const r = await sup.waitFor('healthy', 0, signal);
    if (r.ok) return r;
    if (r.reason === 'timeout') return { ...r, reason: 'unhealthy' };
    if (r.reason !== 'unhealthy') return r;
    const now = sup.status();
    // A verdict (a restart for it may have begun already), or a run that is up without a check
    // (`rc update` removed it): the end. Otherwise the run is gone or going: wait for the next.
    if (now.health === 'unhealthy' || now.state === 'up' || now.state === 'ready') return r;
  }
}
