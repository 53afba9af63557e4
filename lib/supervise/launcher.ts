// Which spawner creates rc's processes: posix_spawn through koffi; node:child_process only where koffi cannot load, or with RC_SPAWNER=node.
import type { Result } from '../core/result.js';
import { sharedChildWaiter } from '../sys/child-waiter.js';
import { sharedSpawnCalls, type SpawnCalls } from '../sys/spawn-calls.js';
import { createPosixSpawner, spawnPosix } from './posix-spawner.js';
import { createNodeSpawner, spawnProcess, type ChildHandle, type ChildTracker, type ProcessSpec, type Spawner } from './spawner.js';

/** The implementation in use, the spawner, and what the PID-1 reaper must know about it. */
export interface Launcher {
  readonly kind: 'posix' | 'node';
  /** Said once (a warning) when the choice is not the default: why, and what it costs. */
  readonly note: string | null;
  readonly spawner: Spawner;
  /** The low-level form (the container's main command: stdio inherited, maybe in our session). */
  spawnProcess(spec: ProcessSpec): ChildHandle;
  /** True for a live child this launcher reaps itself: the PID-1 reaper must leave it alone. */
  isOwnChild(pid: number): boolean;
}

export interface LauncherOptions {
  /** Read for RC_SPAWNER (`posix`, the default, or `node`). */
  env?: NodeJS.ProcessEnv;
  /** The node spawner's tracker (the PID-1 reaper's registry of libuv's children). */
  track?: ChildTracker;
  /** The libc calls (default: the shared ones, koffi loaded on first use). */
  calls?: () => Result<SpawnCalls, string>;
}

function nodeLauncher(options: LauncherOptions, note: string | null): Launcher {
  return {
    kind: 'node',
    note,
    spawner: createNodeSpawner({ track: options.track }),
    spawnProcess: (spec) => spawnProcess(spec, options.track),
    isOwnChild: () => false,
  };
}

/** Pick the spawner: posix_spawn unless RC_SPAWNER=node or koffi/libc cannot provide it (then the note says why). */
export function createLauncher(options: LauncherOptions = {}): Launcher {
  const wanted = options.env?.['RC_SPAWNER'];
  if (wanted === 'node') return nodeLauncher(options, 'RC_SPAWNER=node: processes are created with node:child_process (slower, more memory per child)');
  const unknown = wanted !== undefined && wanted !== '' && wanted !== 'posix' ? `RC_SPAWNER=${wanted} is not a spawner (posix or node); using posix` : null;
  const calls = (options.calls ?? sharedSpawnCalls)();
  if (!calls.ok) return nodeLauncher(options, `${calls.error}; processes are created with node:child_process instead`);
  const deps = { calls: calls.value, waiter: sharedChildWaiter(calls.value) };
  return {
    kind: 'posix',
    note: unknown,
    spawner: createPosixSpawner(deps),
    spawnProcess: (spec) => spawnPosix(spec, deps),
    isOwnChild: deps.waiter.has,
  };
}

/** The spawner of `createLauncher(options)`. */
export const createSpawner = (options: LauncherOptions = {}): Spawner => createLauncher(options).spawner;
