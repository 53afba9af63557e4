// A ServiceDriver for tests: every call is recorded and resolved by the test (or automatically).
import type { HealthWaitResult, ServiceDriver, TransitionOptions, TransitionResult } from '../../../lib/engine/driver.js';

export interface FakeCall {
  action: 'start' | 'stop' | 'restart';
  index: number;
  options: TransitionOptions;
  /** Settle the call; a second settle is ignored. */
  resolve: (result?: TransitionResult) => void;
  settled: boolean;
}

export class FakeDriver implements ServiceDriver {
  readonly calls: FakeCall[] = [];
  /** When set, answers every call at once (after a microtask) with this function's result. */
  auto: ((call: FakeCall) => TransitionResult | undefined) | undefined;
  /** While true, an abort settles the calls in flight with a 'cancelled' failure (the driver cleans up). */
  honourAbort = true;
  #waiters: { pred: (c: FakeCall) => boolean; resolve: (c: FakeCall) => void }[] = [];

  start(index: number, options: TransitionOptions): Promise<TransitionResult> {
    return this.#record('start', index, options);
  }
  stop(index: number, options: TransitionOptions): Promise<TransitionResult> {
    return this.#record('stop', index, options);
  }
  restart(index: number, options: TransitionOptions): Promise<TransitionResult> {
    return this.#record('restart', index, options);
  }
  /** Waits for health (healthy edges), settled by the test; aborted ones answer not ok. */
  readonly healthWaits: { index: number; resolve: (r: HealthWaitResult) => void; aborted: boolean }[] = [];
  waitHealthy(index: number, options: TransitionOptions): Promise<HealthWaitResult> {
    return new Promise((resolve) => {
      const w = { index, resolve, aborted: false };
      options.signal.addEventListener('abort', () => ((w.aborted = true), resolve({ ok: false, message: 'aborted' })), { once: true });
      this.healthWaits.push(w);
    });
  }

  /** Calls still waiting for the test. */
  inFlight(): FakeCall[] {
    return this.calls.filter((c) => !c.settled);
  }

  /** The first call matching, now or when it happens. */
  next(pred: (c: FakeCall) => boolean): Promise<FakeCall> {
    const found = this.calls.find((c) => !c.settled && pred(c));
    if (found) return Promise.resolve(found);
    return new Promise((resolve) => this.#waiters.push({ pred, resolve }));
  }

  #record(action: FakeCall['action'], index: number, options: TransitionOptions): Promise<TransitionResult> {
    return new Promise((resolvePromise) => {
      const call: FakeCall = {
        action,
        index,
        options,
        settled: false,
        resolve: (result = { ok: true }) => {
          if (call.settled) return;
          call.settled = true;
          resolvePromise(result);
        },
      };
      this.calls.push(call);
      const cancel = () => this.honourAbort && call.resolve({ ok: false, reason: 'cancelled', message: 'cancelled' });
      if (options.signal.aborted) queueMicrotask(cancel);
      else options.signal.addEventListener('abort', cancel, { once: true });
      if (this.auto) {
        const r = this.auto(call);
        if (r !== undefined) queueMicrotask(() => call.resolve(r));
      }
      this.#waiters = this.#waiters.filter((w) => (w.pred(call) ? (w.resolve(call), false) : true));
    });
  }
}

/** Let pending promise callbacks run. */
export async function flush(rounds = 5): Promise<void> {
  for (let i = 0; i < rounds; i++) await new Promise<void>((r) => setImmediate(r));
}
