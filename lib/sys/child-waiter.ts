// One reaping loop for the children rc creates itself: on SIGCHLD, waitpid(pid, WNOHANG) for the registered pids only.
import type { ExitStatus, WaitOutcome } from './wait-status.js';

/** Where SIGCHLD comes from (`process`). */
export interface SigchldSource {
  on(signal: 'SIGCHLD', listener: () => void): unknown;
}

/** The two calls the loop makes (SpawnCalls has them; unit tests fake them). */
export interface ReapCalls {
  /** A child that has ended, not reaped: its pid, 0 when none, -1 when there are no children. */
  peekEnded(): number;
  reap(pid: number): WaitOutcome;
}

/** How a watched child ended; `null` fields both: it was reaped by someone else (its status is lost). */
export type ChildExit = ExitStatus;

/** Told once, when its child has been reaped (an object, not a closure: one less allocation per child). */
export interface ChildExitListener {
  childExited(exit: ChildExit): void;
}

export interface ChildWaiterOptions {
  calls: ReapCalls;
  signals: SigchldSource;
  /** Safety-net poll while children are watched (ms); it also keeps the event loop alive for them. Default 1000. */
  pollMs?: number;
}

const LOST: ChildExit = { code: null, signal: null };

/**
 * Every child the posix spawner creates is watched here: no libuv process handle per child.
 * On SIGCHLD (coalesced by the kernel and libuv: one call may stand for many deaths) the loop
 * asks waitid(WNOWAIT) which child has ended and, while that is one of ours, reaps it: the
 * usual cost is one call per death, whatever the number of children. A child that is not ours
 * (Node's own child_process child, which libuv reaps, or an orphan, which the PID-1 reaper
 * reaps) hides the others from waitid; then every registered pid is asked with
 * waitpid(pid, WNOHANG) instead. Nothing else in rc reaps these pids: the PID-1 reaper skips
 * them (`has`), libuv only waits for its own.
 */
export class ChildWaiter {
  readonly #calls: ReapCalls;
  readonly #signals: SigchldSource;
  readonly #pollMs: number;
  readonly #watched = new Map<number, ChildExitListener>();
  #listening = false;
  #poll: NodeJS.Timeout | null = null;

  constructor(options: ChildWaiterOptions) {
    this.#calls = options.calls;
    this.#signals = options.signals;
    this.#pollMs = options.pollMs ?? 1000;
  }

  /** Listen for SIGCHLD; call before creating a child, so that its death cannot go unnoticed. */
  arm(): void {
    if (this.#listening) return;
    this.#listening = true;
    this.#signals.on('SIGCHLD', this.drain);
  }

  /** Report the end of `pid` (a child of this process, just created) once, to `listener`. */
  watch(pid: number, listener: ChildExitListener): void {
    this.arm();
    this.#watched.set(pid, listener);
    if (this.#poll) this.#poll.ref();
    else this.#poll = setInterval(this.drain, this.#pollMs);
  }

  /** True while `pid` is watched (for the PID-1 reaper: not an orphan). */
  readonly has = (pid: number): boolean => this.#watched.has(pid);

  get size(): number {
    return this.#watched.size;
  }

  /** Reap every watched child that has ended; returns how many. Bound: it is the SIGCHLD listener. */
  readonly drain = (): number => {
    let count = 0;
    for (;;) {
      const pid = this.#calls.peekEnded();
      if (pid <= 0) return this.#idle(count);
      if (!this.#watched.has(pid)) break;
      if (this.#reap(pid)) count++;
      else break;
    }
    for (const pid of [...this.#watched.keys()]) if (this.#reap(pid)) count++;
    return this.#idle(count);
  };

  #reap(pid: number): boolean {
    const outcome = this.#calls.reap(pid);
    if (outcome.kind === 'running') return false;
    const listener = this.#watched.get(pid)!;
    this.#watched.delete(pid);
    listener.childExited(outcome.kind === 'reaped' ? outcome.status : LOST);
    return true;
  }

  #idle(count: number): number {
    if (this.#watched.size === 0) this.#poll?.unref();
    return count;
  }
}

let shared: ChildWaiter | undefined;

/** The process's one waiter (there is one SIGCHLD and one set of children per process). */
export function sharedChildWaiter(calls: ReapCalls): ChildWaiter {
  shared ??= new ChildWaiter({ calls, signals: process });
  return shared;
}
