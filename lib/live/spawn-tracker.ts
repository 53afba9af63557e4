// A Spawner wrapper that records every process group the daemon creates (journal, shutdown kill list).
import type { ChildEnd, ChildHandle, OneshotRole, Spawner } from '../supervise/spawner.js';
import { groupExists, scanProcessGroups } from '../sys/proc.js';

export interface TrackedGroup {
  pgid: number;
  name: string;
  /** Wall ms of the spawn. */
  spawnedAt: number;
  /** Set for a oneshot's up or down script. */
  role?: OneshotRole;
}

export interface SpawnHooks {
  /** A process (and, since every spawn starts a session, its group) was created. */
  spawned(group: TrackedGroup): void;
  /** Called just before a service's process is created (pipelines reset their pipe ends). */
  beforeSpawn?(name: string): void;
  /** A oneshot's script ended (called before whoever waits for it hears of it). */
  oneshotEnded?(group: TrackedGroup, end: ChildEnd): void;
}

/**
 * Every spawn goes through `spawn` here. Groups are remembered until they are empty (checked
 * when the main process ends, and again whenever `alive()` is asked), so leftovers of a run
 * (children that outlived it) are still found and killed at shutdown.
 */
export class SpawnTracker implements Spawner {
  readonly #inner: Spawner;
  readonly #hooks: SpawnHooks;
  readonly #groups = new Map<number, TrackedGroup>();
  readonly #wallNow: () => number;

  constructor(inner: Spawner, hooks: SpawnHooks, wallNow: () => number) {
    this.#inner = inner;
    this.#hooks = hooks;
    this.#wallNow = wallNow;
  }

  spawn(request: Parameters<Spawner['spawn']>[0]): ChildHandle {
    const name = request.env['RC_NAME'] ?? request.file;
    this.#hooks.beforeSpawn?.(name);
    const child = this.#inner.spawn(request);
    const pid = child.pid;
    if (pid === undefined) return child;
    const group: TrackedGroup = { pgid: pid, name, spawnedAt: this.#wallNow(), ...(request.role ? { role: request.role } : {}) };
    this.#groups.set(pid, group);
    this.#hooks.spawned(group);
    let consumer: ((end: ChildEnd) => void) | null = null;
    let ended: ChildEnd | null = null;
    child.onEnd((end) => {
      ended = end;
      if (group.role) this.#hooks.oneshotEnded?.(group, end);
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

  /** How many groups may still have members. */
  get size(): number {
    return this.#groups.size;
  }

  /** The groups that may still have members (cheap: no /proc scan). */
  tracked(): TrackedGroup[] {
    return [...this.#groups.values()];
  }

  /** Groups that still have a live member (zombies waiting for their reaper do not count). */
  alive(): TrackedGroup[] {
    const candidates: TrackedGroup[] = [];
    for (const [pgid, g] of this.#groups) {
      if (groupExists(pgid)) candidates.push(g);
      else this.#groups.delete(pgid);
    }
    if (candidates.length === 0) return candidates;
    const groups = scanProcessGroups();
    return candidates.filter((c) => (groups.get(c.pgid)?.length ?? 0) > 0);
  }
}
