// Clock: time and timers behind an interface, so state machines can be tested with a fake clock.
export interface TimerHandle {
  cancel(): void;
}

export interface Clock {
  /** Milliseconds, monotonic. */
  now(): number;
  /** Wall-clock milliseconds since the epoch (for status "since" fields). */
  wallNow(): number;
  setTimer(ms: number, fn: () => void): TimerHandle;
}

export const systemClock: Clock = {
  now: () => performance.now(),
  wallNow: () => Date.now(),
  setTimer(ms, fn) {
    const t = setTimeout(fn, Math.max(0, ms));
    return { cancel: () => clearTimeout(t) };
  },
};

/** A manual clock for unit tests: time moves only when `advance` is called. */
export class FakeClock implements Clock {
  #now = 0;
  #timers: { at: number; fn: () => void; seq: number; live: boolean }[] = [];
  #seq = 0;
  constructor(private readonly wallBase = 1_700_000_000_000) {}
  now(): number {
    return this.#now;
  }
  wallNow(): number {
    return this.wallBase + this.#now;
  }
  setTimer(ms: number, fn: () => void): TimerHandle {
    const t = { at: this.#now + Math.max(0, ms), fn, seq: this.#seq++, live: true };
    this.#timers.push(t);
    return { cancel: () => void (t.live = false) };
  }
  /** Move time forward, firing due timers in order. */
  advance(ms: number): void {
    const end = this.#now + ms;
    for (;;) {
      const due = this.#timers.filter((t) => t.live && t.at <= end).sort((a, b) => a.at - b.at || a.seq - b.seq)[0];
      if (!due) break;
      due.live = false;
      this.#now = due.at;
      due.fn();
    }
    this.#timers = this.#timers.filter((t) => t.live);
    this.#now = end;
  }
  pendingTimers(): number {
    return this.#timers.filter((t) => t.live).length;
  }
}
