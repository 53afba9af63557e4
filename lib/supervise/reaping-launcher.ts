// The launcher of a process that may reap orphans (rc boot, rc run as PID 1): every child it spawns is known, so the reaper never takes their exit status.
import { ChildRegistry } from './child-registry.js';
import { createLauncher, type Launcher } from './launcher.js';

export interface ReapingLauncher {
  launcher: Launcher;
  /** True for a child this process spawned (libuv's, or the posix spawner's child waiter's): the reaper must leave it alone. */
  readonly isOwnChild: (pid: number) => boolean;
}

/** A launcher whose node:child_process children are registered too (the posix spawner's waiter knows its own). */
export function createReapingLauncher(env: NodeJS.ProcessEnv): ReapingLauncher {
  const registry = new ChildRegistry();
  const launcher = createLauncher({ env, track: registry.track });
  return { launcher, isOwnChild: (pid) => registry.isOwnChild(pid) || launcher.isOwnChild(pid) };
}
