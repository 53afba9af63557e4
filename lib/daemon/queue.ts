// RequestQueue: transition requests run one at a time, in arrival order; never refused as busy.

export interface QueuedJob {
  /** Shown to waiting clients: "change default". */
  readonly label: string;
  /** Runs the job; the queue moves on when it settles (a rejection is reported, not fatal). */
  run(): Promise<void>;
  /** The job was dropped before it ran (its client went away, or the daemon is shutting down). */
  dropped?(): void;
}

export interface Enqueued {
  /** Jobs ahead of this one (0 = runs now). */
  position: number;
  /** Remove the job if it has not started; false when it already runs or ran. */
  cancel(): boolean;
}

export class RequestQueue {
  readonly #waiting: QueuedJob[] = [];
  #current: QueuedJob | null = null;
  #closed = false;
  #idle: (() => void)[] = [];

  constructor(private readonly onJobError: (e: unknown, job: QueuedJob) => void) {}

  /** What runs now, or null. */
  get running(): string | null {
    return this.#current?.label ?? null;
  }

  get length(): number {
    return this.#waiting.length;
  }

  get busy(): boolean {
    return this.#current !== null;
  }

  /** True once close() was called: new jobs are dropped. */
  get closed(): boolean {
    return this.#closed;
  }

  enqueue(job: QueuedJob): Enqueued {
    if (this.#closed) {
      job.dropped?.();
      return { position: 0, cancel: () => false };
    }
    const position = this.#waiting.length + (this.#current ? 1 : 0);
    this.#waiting.push(job);
    if (!this.#current) this.#next();
    return {
      position,
      cancel: () => {
        const i = this.#waiting.indexOf(job);
        if (i < 0) return false;
        this.#waiting.splice(i, 1);
        job.dropped?.();
        return true;
      },
    };
  }

  /** Refuse new jobs and drop the waiting ones (shutdown); the running one finishes. */
  close(): void {
    this.#closed = true;
    for (const job of this.#waiting.splice(0)) job.dropped?.();
  }

  /** Resolves when nothing runs. */
  whenIdle(): Promise<void> {
    if (!this.#current) return Promise.resolve();
    return new Promise((resolve) => this.#idle.push(resolve));
  }

  #next(): void {
    const job = this.#waiting.shift();
    this.#current = job ?? null;
    if (!job) {
      for (const fn of this.#idle.splice(0)) fn();
      return;
    }
    // A synchronous throw from run() rejects p like an async one.
    const p = new Promise<void>((resolve) => resolve(job.run()));
    p.catch((e: unknown) => this.onJobError(e, job)).finally(() => this.#next());
  }
}
