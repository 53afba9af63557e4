// The pids of the children this Node process spawned itself, so the reaper never takes their exit status.

/** What `track` needs from a spawned child (node:child_process ChildProcess and execa subprocesses fit). */
export interface TrackableChild {
  readonly pid?: number | undefined;
  once(event: 'exit', listener: (...args: unknown[]) => void): unknown;
}

/**
 * Node (libuv) reaps the children it spawned with waitpid(pid) and reports their exit; the
 * reaper must leave those alone. The spawner registers every child right after spawn()
 * returns (synchronously, so the reaper, which runs on the same event loop, cannot see the
 * zombie before the pid is known). A pid leaves the set when Node has reported its exit.
 */
export class ChildRegistry {
  readonly #pids = new Set<number>();

  add(pid: number): void {
    this.#pids.add(pid);
  }

  delete(pid: number): void {
    this.#pids.delete(pid);
  }

  has(pid: number): boolean {
    return this.#pids.has(pid);
  }

  get size(): number {
    return this.#pids.size;
  }

  /**
   * Register a child spawned by node:child_process or execa until Node has seen it exit.
   * Bound, so it can be handed over as is: `createNodeSpawner({ track: registry.track })`.
   */
  readonly track = <C extends TrackableChild>(child: C): C => {
    const pid = child.pid;
    if (pid !== undefined && pid > 0) {
      this.#pids.add(pid);
      child.once('exit', () => this.#pids.delete(pid));
    }
    return child;
  };

  /** Bound, to hand to `new Reaper({ isOwnChild })`. */
  readonly isOwnChild = (pid: number): boolean => this.#pids.has(pid);
}
