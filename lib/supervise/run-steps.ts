// The Supervisor's process work for one longrun: its options, spawning ./run (lock-fd), readiness, ./finish.
import type { Clock } from '../core/clock.js';
import type { LongrunService } from '../db/types.js';
import { describeExecFailure } from './exec-errors.js';
import { HealthMonitor, type HealthAttempt, type HealthHooks } from './health.js';
import { healthAttempt } from './health-probes.js';
import { runFinish, type FinishHooks } from './finish.js';
import type { ExitInfo } from './history.js';
import { fileLocker, type Locker } from './lock-fd.js';
import { DEFAULT_STDIO, finishRequest, runRequest, serviceEnv } from './programs.js';
import type { ProbeContext } from './probes.js';
import { watchRunReadiness, type ProbeFactory, type ReadinessCallbacks, type ReadinessWatch } from './readiness.js';
import type { ChildHandle, Spawner } from './spawner.js';
import type { OutputSink, StdioRouting, SupervisorEvent } from './types.js';

export interface SupervisorOptions {
  service: LongrunService;
  /** The service's compiled directory (cwd of run and finish). */
  dir: string;
  spawner: Spawner;
  clock: Clock;
  output: OutputSink;
  stdio?: StdioRouting;
  /** Base environment (default: the daemon's); RC_NAME is added. */
  env?: NodeJS.ProcessEnv;
  onEvent: (e: SupervisorEvent) => void;
  /** Replace the probe implementation (tests). */
  probe?: ProbeFactory;
  /** Replace the health check implementation (tests). */
  healthProbe?: (check: NonNullable<LongrunService['health']>, ctx: ProbeContext) => HealthAttempt;
  /** A writable file for lock-fd (the daemon's LIVE/locks/NAME); without it lock-fd is ignored. */
  lockPath?: string;
  /** Takes that lock (default: flock(2); tests fake it). */
  locker?: Locker;
}

/** The options with their defaults filled in. */
export interface RunContext extends SupervisorOptions {
  stdio: StdioRouting;
  env: NodeJS.ProcessEnv;
  locker: Locker;
}

export const runContext = (o: SupervisorOptions): RunContext => ({
  ...o,
  stdio: o.stdio ?? DEFAULT_STDIO,
  env: o.env ?? process.env,
  locker: o.locker ?? fileLocker,
});

/** Spawn ./run, passing `lockFd` (when taken) at the service's lock-fd. */
export function spawnRun(c: RunContext, lockFd: number | null): ChildHandle {
  const request = runRequest(c.service, c.dir, c.env, c.stdio);
  const child = c.spawner.spawn(lockFd === null ? request : { ...request, passFd: { at: c.service.lockFd!, fd: lockFd } });
  // Only the service holds the lock from now on: it goes away with its last process.
  if (lockFd !== null) c.locker.close(lockFd);
  return child;
}

/** True when the service reports readiness (notification-fd or a probe); otherwise up = ready. */
export const hasReadiness = (service: LongrunService): boolean =>
  service.notificationFd !== null || service.readiness !== null;

/** Watch one run for readiness; null when the service has none configured. */
export function watchReadiness(c: RunContext, child: ChildHandle, cb: ReadinessCallbacks): ReadinessWatch | null {
  if (!hasReadiness(c.service)) return null;
  const { spawner, clock, dir, env, service } = c;
  const ctx: ProbeContext = { spawner, clock, dir, env: serviceEnv(env, service.name) };
  return watchRunReadiness(service, child, ctx, c.probe, cb);
}

/** The health monitor of one run (not started yet); null when the service has no health check. */
export function healthMonitor(c: RunContext, hooks: HealthHooks): HealthMonitor | null {
  const check = c.service.health;
  if (check === undefined) return null;
  const { spawner, clock, dir, env, service } = c;
  const ctx: ProbeContext = { spawner, clock, dir, env: serviceEnv(env, service.name) };
  return new HealthMonitor(check, (c.healthProbe ?? healthAttempt)(check, ctx), clock, hooks);
}

/** Start ./finish for the run that died with `exit`; the rest is reported through `hooks`. */
export function startFinish(c: RunContext, exit: ExitInfo, hooks: FinishHooks): void {
  const { service, dir, spawner, clock, output } = c;
  const request = finishRequest(service, dir, c.env, c.stdio, exit);
  runFinish({ spawner, clock, output, name: service.name, request, timeoutMs: service.timeoutFinish }, hooks);
}

/** What an exec failure of ./run or ./finish reports: the path and the explained message. */
export function execFailure(c: RunContext, program: 'run' | 'finish', errno: string): { path: string; message: string } {
  const path = `${c.dir}/${program}`;
  return { path, message: describeExecFailure(path, errno, c.dir, c.env).message };
}
