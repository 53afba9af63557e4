// The end of the daemon's services: everything down in reverse dependency order, each stop bounded, then SIGKILL to what is left.
import type { EngineEvent } from '../engine/events.js';
import { plan as makePlan } from '../plan/index.js';
import { runPlan, type TransitionHost } from './transitions.js';

export interface StopEverythingOptions {
  /** Bound on each stop when the service has no timeout-down. */
  killGraceMs: number;
  /** Aborted by a second signal: skip the orderly part, go to the kills. */
  signal: AbortSignal;
  onEvent: (event: EngineEvent) => void;
  log: (message: string) => void;
}

/**
 * Bring down every service rc records up (oneshots run their down scripts), SIGKILL every process
 * group left, and write the final state record. Never throws: a bug is logged and the kills follow.
 */
export async function stopEverything(host: TransitionHost, o: StopEverythingOptions): Promise<void> {
  const { db, state, services } = host;
  services.beginShutdown();
  const up = state.upSet();
  const planned = makePlan(db.index, { up }, { kind: 'down', targets: [...up], label: 'shutdown' }, { force: true });
  if (planned.ok && planned.value.steps.length > 0 && !o.signal.aborted) {
    try {
      await runPlan(host, planned.value, {
        timeoutMs: 0,
        jobs: 0,
        signal: o.signal,
        onEvent: o.onEvent,
        timeouts: (i, direction) => (direction === 'down' ? db.service(i).timeoutDown || o.killGraceMs : 0),
      });
    } catch (e) {
      // A bug must not keep the daemon from exiting: go on to the kills.
      o.log(`internal error during shutdown: ${(e as Error)?.stack ?? String(e)}`);
    }
  }
  await services.killAll();
  for (let i = 0; i < db.size; i++) state.update(i, { pid: null, pgid: null });
  await state.writeFinal(true);
}
