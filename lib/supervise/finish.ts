// Running a longrun's ./finish: spawn it, bound its lifetime (timeout-finish), sweep its process group.
import type { Clock, TimerHandle } from '../core/clock.js';
import { attachOutput } from './programs.js';
import type { ChildEnd, SpawnRequest, Spawner } from './spawner.js';
import type { OutputSink } from './types.js';

/** SIGKILL is repeated this often while a process refuses to die (s6: 5 s). */
export const KILL_REPEAT_MS = 5000;

/** SIGKILL the group `pgid` after `afterMs`, then every 5 s, until cancelled; `onKill` after each. */
export function escalateKill(clock: Clock, spawner: Spawner, pgid: number, afterMs: number, onKill: () => void): TimerHandle {
  let timer: TimerHandle;
  const fire = (): void => {
    spawner.killGroup(pgid, 'SIGKILL');
    onKill();
    timer = clock.setTimer(KILL_REPEAT_MS, fire);
  };
  timer = clock.setTimer(afterMs, fire);
  return { cancel: () => timer.cancel() };
}

export interface FinishOptions {
  spawner: Spawner;
  clock: Clock;
  output: OutputSink;
  name: string;
  request: SpawnRequest;
  /** timeout-finish in ms; 0 = no limit. */
  timeoutMs: number;
}

export interface FinishHooks {
  started(pid: number): void;
  timedOut(pid: number): void;
  /** Exactly once: finish exited (its group already swept) or could not be executed. */
  ended(end: ChildEnd): void;
}

/** Start ./finish; everything after that is reported through `hooks`. */
export function runFinish(o: FinishOptions, hooks: FinishHooks): void {
  const child = o.spawner.spawn(o.request);
  const pid = child.pid;
  if (pid === undefined) {
    child.onEnd((end) => hooks.ended(end));
    return;
  }
  attachOutput(child, o.name, o.output);
  hooks.started(pid);
  const timer = o.timeoutMs > 0 ? escalateKill(o.clock, o.spawner, pid, o.timeoutMs, () => hooks.timedOut(pid)) : null;
  child.onEnd((end) => {
    timer?.cancel();
    o.spawner.killGroup(pid, 'SIGKILL');
    hooks.ended(end);
  });
}
