// The health rule of one run (rc extension): timed checks, start period, consecutive failures, healthy/unhealthy.
//
//   start() ─▶ starting ──success──▶ healthy ◀──success──┐
//                 │                     │                │
//                 └── retries consecutive failures ──▶ unhealthy ──▶ action (restart | none)
//
// The first check runs at once, each next one `intervalMs` after the previous one ended: timers
// only, a check never overlaps itself. Failures within `startPeriodMs` of start() do not count.
import type { Clock, TimerHandle } from '../core/clock.js';
import type { HealthCheck } from '../db/types.js';

export type HealthState = 'starting' | 'healthy' | 'unhealthy';

/** One check's outcome: `output` is the command's last output, or what failed (connect error, HTTP status, timeout). */
export interface CheckOutcome {
  ok: boolean;
  output: string;
}

/** One check; must settle by itself (its own timeout), and soon after `signal` aborts. */
export type HealthAttempt = (signal: AbortSignal) => Promise<CheckOutcome>;

export interface HealthHooks {
  /** The state changed (never called for the initial `starting`); `output` is the last check's. */
  changed(health: HealthState, output: string, checkedAt: number): void;
}

export interface HealthSnapshot {
  health: HealthState;
  /** Wall ms of the end of the last check, null before the first. */
  checkedAt: number | null;
  /** Consecutive counted failures. */
  failures: number;
  output: string;
}

export class HealthMonitor {
  #health: HealthState = 'starting';
  #failures = 0;
  #checkedAt: number | null = null;
  #output = '';
  #startedAt = 0;
  #timer: TimerHandle | null = null;
  #abort: AbortController | null = null;
  #active = false;

  constructor(
    private readonly check: Pick<HealthCheck, 'intervalMs' | 'retries' | 'startPeriodMs'>,
    private readonly attempt: HealthAttempt,
    private readonly clock: Clock,
    private readonly hooks: HealthHooks,
  ) {}

  /** Begin checking (the run is up, and ready if it has readiness). */
  start(): void {
    if (this.#active) return;
    this.#active = true;
    this.#startedAt = this.clock.now();
    this.#runCheck();
  }

  /** Stop: cancel the next check, abort the one in flight; no hook fires afterwards. */
  stop(): void {
    if (!this.#active) return;
    this.#active = false;
    this.#timer?.cancel();
    this.#timer = null;
    this.#abort?.abort();
    this.#abort = null;
  }

  snapshot(): HealthSnapshot {
    return { health: this.#health, checkedAt: this.#checkedAt, failures: this.#failures, output: this.#output };
  }

  #runCheck(): void {
    this.#timer = null;
    const abort = (this.#abort = new AbortController());
    this.attempt(abort.signal).then(
      (outcome) => this.#onOutcome(abort, outcome),
      (e: unknown) => this.#onOutcome(abort, { ok: false, output: `check error: ${(e as Error)?.message ?? String(e)}` }),
    );
  }

  #onOutcome(abort: AbortController, outcome: CheckOutcome): void {
    if (!this.#active || abort !== this.#abort) return;
    this.#abort = null;
    this.#checkedAt = this.clock.wallNow();
    this.#output = outcome.output;
    const next = this.#judge(outcome.ok);
    // Schedule before reporting: a hook may stop() the monitor (a restart), which cancels it.
    this.#timer = this.clock.setTimer(this.check.intervalMs, () => this.#runCheck());
    if (next !== this.#health) {
      this.#health = next;
      this.hooks.changed(next, outcome.output, this.#checkedAt);
    }
  }

  /** The state after one outcome. */
  #judge(ok: boolean): HealthState {
    if (ok) {
      this.#failures = 0;
      return 'healthy';
    }
    if (this.clock.now() - this.#startedAt < this.check.startPeriodMs) return this.#health;
    this.#failures++;
    return this.#failures >= this.check.retries ? 'unhealthy' : this.#health;
  }
}
