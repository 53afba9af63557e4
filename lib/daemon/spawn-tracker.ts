// A Spawner wrapper that records every process group the daemon creates (journal, shutdown kill list).
import type { ChildEnd, ChildHandle, Spawner } from '../supervise/spawner.js';
import { groupExists, scanProcessGroups } from './proc.js';

export interface SpawnHooks {
  /** A process (and, since every spawn starts a session, its group) was created. */
  spawned(pgid: number, name: string): void;
  /** Called just before a service's process is created (pipelines reset their pipe ends). */
  beforeSpawn?(name: string): void;
}

/**
 * Every spawn goes through `spawn` here. Groups are remembered until they are empty (checked
 * when the main process ends, and again whenever `alive()` is asked), so leftovers of a run
 * (children that outlived it) are still found and killed at shutdown.
 */
export class SpawnTracker implements Spawner {
  readonly #inner: Spawner;
  readonly #hooks: SpawnHooks;
  readonly #groups = new Map<number, string>();

  constructor(inner: Spawner, hooks: SpawnHooks) {
    this.#inner = inner;
    this.#hooks = hooks;
  }

  spawn(request: Parameters<Spawner['spawn']>[0]): ChildHandle {
    const name = request.env['RC_NAME'] ?? request.file;
    this.#hooks.beforeSpawn?.(name);
    const child = this.#inner.spawn(request);
    const pid = child.pid;
    if (pid === undefined) return child;
    this.#groups.set(pid, name);
    this.#hooks.spawned(pid, name);
    let consumer: ((end: ChildEnd) => void) | null = null;
    let ended: ChildEnd | null = null;
    child.onEnd((end) => {
      ended = end;
      if (!groupExists(pid)) this.#groups.delete(pid);
      consumer?.(end);
    });
    return {
      pid,
      stdout: child.stdout,
      stderr: child.stderr,
      notification: child.notification,
      kill: (sig) => child.kill(sig),
      onEnd(cb) {
        if (ended) {
          const e = ended;
          queueMicrotask(() => cb(e));
        } else consumer = cb;
      },
    };
  }

  killGroup(pgid: number, signal: NodeJS.Signals): boolean {
    return this.#inner.killGroup(pgid, signal);
  }

  /** Groups that still have a live member (zombies waiting for their reaper do not count). */
  alive(): { pgid: number; name: string }[] {
    const candidates: { pgid: number; name: string }[] = [];
    for (const [pgid, name] of this.#groups) {
      if (groupExists(pgid)) candidates.push({ pgid, name });
      else this.#groups.delete(pgid);
    }
    if (candidates.length === 0) return candidates;
    const groups = scanProcessGroups();
    return candidates.filter((c) => (groups.get(c.pgid)?.length ?? 0) > 0);
  }
}
