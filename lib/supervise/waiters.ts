// Pending "wait until" requests: re-checked after every transition, with a timeout and an abort signal.
import type { Clock, TimerHandle } from '../core/clock.js';
import type { WaitResult } from './types.js';

/** null = keep waiting; a result = settle with it. */
export type WaitCheck = () => WaitResult | null;

interface Waiter {
  check: WaitCheck;
  finish: (result: WaitResult) => void;
}

export class WaitSet {
  readonly #waiters = new Set<Waiter>();

  constructor(private readonly clock: Clock) {}

  /** Resolve when `check` gives a result, after `timeoutMs` (0 = never), or when `signal` aborts. */
  add(check: WaitCheck, timeoutMs: number, what: string, signal?: AbortSignal): Promise<WaitResult> {
    const now = check();
    if (now) return Promise.resolve(now);
    if (signal?.aborted) return Promise.resolve(aborted(what));
    return new Promise((resolve) => {
      let timer: TimerHandle | null = null;
      const onAbort = (): void => waiter.finish(aborted(what));
      const waiter: Waiter = {
        check,
        finish: (result) => {
          if (!this.#waiters.delete(waiter)) return;
          timer?.cancel();
          signal?.removeEventListener('abort', onAbort);
          resolve(result);
        },
      };
      this.#waiters.add(waiter);
      if (timeoutMs > 0) {
        timer = this.clock.setTimer(timeoutMs, () =>
          waiter.finish({ ok: false, reason: 'timeout', message: `${what}: timed out after ${timeoutMs} ms` }),
        );
      }
      signal?.addEventListener('abort', onAbort, { once: true });
    });
  }

  /** Re-run every check (call after each state change). */
  settle(): void {
    if (this.#waiters.size === 0) return;
    for (const w of [...this.#waiters]) {
      const result = w.check();
      if (result) w.finish(result);
    }
  }

  get size(): number {
    return this.#waiters.size;
  }
}

const aborted = (what: string): WaitResult => ({ ok: false, reason: 'aborted', message: `${what}: aborted` });
