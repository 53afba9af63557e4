// executePlan: runs a Plan through a ServiceDriver with pending-prerequisite counters, emitting EngineEvents.
//
// Every step counts its unfinished prerequisites; at zero it is queued, and queued steps start at
// once (up to `jobs`). Success decrements the dependents; failure skips them, transitively, with
// the reason; independent branches go on. The start phase opens when the stop phase is over, and
// is skipped entirely if any stop failed (s6-rc -p). The global timeout (or the caller's signal)
// aborts the transitions in flight through the driver's AbortSignal, skips everything not started,
// and waits for the driver to report, so the recorded state stays exact. O(V+E) overall.
import { systemClock, type Clock, type TimerHandle } from '../core/clock.js';
import { stepDependents, type StepDependents } from '../plan/step-graph.js';
import type { Plan, PlanStep } from '../plan/types.js';
import type { HealthWaitResult, ServiceDriver, TransitionResult } from './driver.js';
import { edgeKinds, hasEdgeOf, HEALTHY, READY, STARTED, type EdgeKind } from './edge-gates.js';
import type { EngineEvent, ExecutionSummary, FailedStep, SkippedStep, SkipReason, StepRef } from './events.js';
import { summarizePlan } from './summary.js';
import { runTransition, type TransitionContext } from './transition.js';

/** Steps launched in one turn of the event loop, at most; then the loop gets a turn (status queries, I/O). */
const LAUNCH_BATCH = 64;

export interface ExecuteOptions {
  /** At most this many transitions in flight; 0 or undefined = no cap. */
  jobs?: number;
  /** Global deadline for the whole change in ms; 0 or undefined = none. */
  timeoutMs?: number;
  /** Per-service timeout-up / timeout-down in ms (0 = none); capped by the global deadline. */
  timeouts: (index: number, direction: 'up' | 'down') => number;
  onEvent: (event: EngineEvent) => void;
  /** Called after every single success (and after a failed restart left a longrun down), before its event. */
  onStateChange?: (index: number, up: boolean) => void;
  /** Cancels the change like the global timeout does (e.g. daemon shutdown), without timedOut. */
  signal?: AbortSignal;
  clock?: Clock;
}

const PENDING = 0;
const RUNNING = 1;
const DONE = 2;
const FAILED = 3;
const SKIPPED = 4;

const refOf = (s: PlanStep): StepRef => ({ step: s.id, index: s.index, name: s.name, action: s.action });

class Execution {
  readonly #steps: PlanStep[];
  readonly #status: Uint8Array;
  readonly #pending: Int32Array;
  readonly #dependents: StepDependents;
  /** Per dependents-list position: the edge's condition (null: every edge is `ready`). */
  readonly #kinds: Uint8Array | null;
  /** 1 once a step's `started` edges were released (spawned, or done). */
  readonly #startedSent: Uint8Array;
  /** Aborts the waits for health still running when the change ends (their dependents settled otherwise). */
  readonly #healthWaits = new AbortController();
  readonly #queue: number[] = [];
  #head = 0;
  #running = 0;
  #settled = 0;
  #stopLeft: number;
  #startOpen = false;
  #halted: 'timeout' | 'cancelled' | undefined;
  #finished = false;
  #timer: TimerHandle | undefined;
  readonly #controller = new AbortController();
  readonly #clock: Clock;
  readonly #t0: number;
  readonly #ctx: TransitionContext;
  readonly #done: number[] = [];
  readonly #counts = { start: 0, stop: 0, restart: 0 };
  readonly #failed: FailedStep[] = [];
  readonly #skipped: SkippedStep[] = [];
  #resolve!: (s: ExecutionSummary) => void;
  #reject!: (e: unknown) => void;

  constructor(
    readonly plan: Plan,
    driver: ServiceDriver,
    readonly options: ExecuteOptions,
  ) {
    this.#steps = plan.steps;
    this.#status = new Uint8Array(plan.steps.length);
    this.#pending = Int32Array.from(plan.steps, (s) => s.after.length);
    this.#dependents = stepDependents(plan.steps);
    this.#kinds = edgeKinds(plan.steps, this.#dependents);
    this.#startedSent = new Uint8Array(this.#kinds === null ? 0 : plan.steps.length);
    this.#stopLeft = plan.stopCount;
    this.#clock = options.clock ?? systemClock;
    this.#t0 = this.#clock.now();
    const timeoutMs = options.timeoutMs ?? 0;
    this.#ctx = {
      driver,
      signal: this.#controller.signal,
      timeouts: options.timeouts,
      deadline: timeoutMs > 0 ? this.#t0 + timeoutMs : undefined,
      clock: this.#clock,
      onStateChange: (i, up) => options.onStateChange?.(i, up),
    };
  }

  run(): Promise<ExecutionSummary> {
    return new Promise((resolve, reject) => {
      this.#resolve = resolve;
      this.#reject = reject;
      this.#guard(() => this.#begin());
    });
  }

  #begin(): void {
    const { options, plan } = this;
    this.#emit({ type: 'change-started', plan: summarizePlan(plan) });
    for (const k of plan.kept) this.#emit({ type: 'service-kept', ...k });
    if (this.#ctx.deadline !== undefined) this.#timer = this.#clock.setTimer(options.timeoutMs!, () => this.#guard(() => this.#halt('timeout')));
    options.signal?.addEventListener('abort', this.#onAbort);
    for (let id = 0; id < plan.stopCount; id++) if (this.#pending[id] === 0) this.#queue.push(id);
    if (options.signal?.aborted) this.#halt('cancelled');
    else this.#advance();
  }

  readonly #onAbort = (): void => this.#guard(() => this.#halt('cancelled'));

  /** Exceptions here are bugs (a throwing event sink or driver); they reject executePlan instead of hanging it. */
  #guard(fn: () => void): void {
    try {
      fn();
    } catch (e) {
      this.#halted ??= 'cancelled';
      this.#controller.abort();
      this.#finish();
      this.#reject(e);
    }
  }

  #emit(e: EngineEvent): void {
    this.options.onEvent(e);
  }

  #advance(): void {
    if (!this.#startOpen && this.#stopLeft === 0) {
      this.#startOpen = true;
      this.#openStartPhase();
    }
    const jobs = this.options.jobs ?? 0;
    let launched = 0;
    while (this.#head < this.#queue.length && (jobs <= 0 || this.#running < jobs) && this.#halted === undefined) {
      // A burst (hundreds of ready steps, each a spawn) yields to the event loop between batches,
      // so that the daemon answers `rc status` meanwhile.
      if (launched === LAUNCH_BATCH) return this.#resumeSoon();
      const id = this.#queue[this.#head++]!;
      if (this.#status[id] !== PENDING) continue;
      this.#launch(id);
      launched++;
    }
    if (this.#settled === this.#steps.length && !this.#finished) {
      this.#finish();
      const summary = this.#summary();
      this.#emit({ type: 'change-done', summary });
      this.#resolve(summary);
    }
  }

  #resumePending = false;

  /** Continue launching after the event loop has had a turn. */
  #resumeSoon(): void {
    if (this.#resumePending) return;
    this.#resumePending = true;
    setImmediate(() => {
      this.#resumePending = false;
      this.#guard(() => this.#advance());
    });
  }

  #openStartPhase(): void {
    if (this.#halted !== undefined) return;
    if (this.#failed.length > 0 || this.#skipped.length > 0) {
      const failed = this.#failed.map((f) => f.name);
      for (let id = this.plan.stopCount; id < this.#steps.length; id++) this.#skip(id, { kind: 'stop-phase-failed', failed });
      return;
    }
    for (let id = this.plan.stopCount; id < this.#steps.length; id++) if (this.#pending[id] === 0) this.#queue.push(id);
  }

  #launch(id: number): void {
    const step = this.#steps[id]!;
    this.#status[id] = RUNNING;
    this.#running++;
    this.#emit({ type: step.phase === 'stop' ? 'service-stopping' : 'service-starting', ...refOf(step) });
    const t0 = this.#clock.now();
    const onStarted =
      step.action === 'start' && hasEdgeOf(this.#kinds, this.#dependents, id, STARTED) ? () => this.#guard(() => this.#onStarted(id)) : undefined;
    runTransition(this.#ctx, step, onStarted).then(
      (result) => this.#guard(() => this.#settle(id, result, this.#clock.now() - t0)),
      (e: unknown) => this.#guard(() => {
        throw e;
      }),
    );
  }

  #settle(id: number, result: TransitionResult, durationMs: number): void {
    const step = this.#steps[id]!;
    this.#running--;
    this.#settled++;
    if (step.phase === 'stop') this.#stopLeft--;
    if (result.ok) {
      this.#status[id] = DONE;
      this.#done.push(step.index);
      this.#counts[step.action]++;
      if (step.action !== 'restart') this.#ctx.onStateChange(step.index, step.action === 'start');
      this.#emit({ type: step.phase === 'stop' ? 'service-stopped' : 'service-started', ...refOf(step), durationMs });
      if (this.#halted === undefined) this.#releaseDone(id);
    } else {
      const { ok: _ok, ...failure } = result;
      this.#status[id] = FAILED;
      this.#failed.push({ ...refOf(step), failure });
      this.#emit({ type: 'service-failed', ...refOf(step), failure, durationMs });
      this.#skipDependents(id);
    }
    this.#advance();
  }

  #release(id: number): void {
    const { offset, list } = this.#dependents;
    for (let k = offset[id]!; k < offset[id + 1]!; k++) {
      const d = list[k]!;
      if (--this.#pending[d]! === 0 && this.#status[d] === PENDING) this.#queue.push(d);
    }
  }

  /** Release the edges of `kind` out of step `id`. */
  #releaseKind(id: number, kind: EdgeKind): void {
    const { offset, list } = this.#dependents;
    for (let k = offset[id]!; k < offset[id + 1]!; k++) {
      if (this.#kinds![k] !== kind) continue;
      const d = list[k]!;
      if (--this.#pending[d]! === 0 && this.#status[d] === PENDING) this.#queue.push(d);
    }
  }

  /** A step is done: its `ready` edges go, its `started` ones if not yet, and its `healthy` ones wait for a check. */
  #releaseDone(id: number): void {
    if (this.#kinds === null) return this.#release(id);
    this.#releaseStarted(id);
    this.#releaseKind(id, READY);
    if (hasEdgeOf(this.#kinds, this.#dependents, id, HEALTHY)) this.#awaitHealthy(id);
  }

  #releaseStarted(id: number): void {
    if (this.#startedSent[id] === 1) return;
    this.#startedSent[id] = 1;
    this.#releaseKind(id, STARTED);
  }

  /** The driver says step `id`'s longrun is spawned: what waits on it as `started` may go. */
  #onStarted(id: number): void {
    if (this.#halted !== undefined || this.#finished || this.#status[id] !== RUNNING) return;
    this.#releaseStarted(id);
    this.#advance();
  }

  #awaitHealthy(id: number): void {
    const step = this.#steps[id]!;
    const driver = this.#ctx.driver;
    if (driver.waitHealthy === undefined) return this.#releaseKind(id, HEALTHY);
    const signal = AbortSignal.any([this.#controller.signal, this.#healthWaits.signal]);
    const settle = (r: HealthWaitResult): void => {
      if (this.#halted !== undefined || this.#finished) return;
      if (r.ok) this.#releaseKind(id, HEALTHY);
      else this.#skipUnhealthy(id, r.message);
      this.#advance();
    };
    driver.waitHealthy(step.index, { timeoutMs: 0, signal }).then(
      (r) => this.#guard(() => settle(r)),
      (e: unknown) => this.#guard(() => settle({ ok: false, message: `driver error: ${(e as Error)?.message ?? String(e)}` })),
    );
  }

  /** Skip what waits on step `id` as `healthy` (it turned unhealthy or stopped first), and, transitively, what waits on those. */
  #skipUnhealthy(id: number, message: string): void {
    const { offset, list } = this.#dependents;
    const dependency = this.#steps[id]!.name;
    for (let k = offset[id]!; k < offset[id + 1]!; k++) {
      const d = list[k]!;
      if (this.#kinds![k] !== HEALTHY || this.#status[d] !== PENDING) continue;
      this.#skip(d, { kind: 'dependency-unhealthy', dependency, message });
      this.#skipDependents(d, dependency);
    }
  }

  /** Skip, transitively, every step waiting for `root`, naming the direct prerequisite and the failed root (or `cause`). */
  #skipDependents(root: number, cause = this.#steps[root]!.name): void {
    const { offset, list } = this.#dependents;
    const stack = [root];
    while (stack.length > 0) {
      const s = stack.pop()!;
      const via = this.#steps[s]!.name;
      for (let k = offset[s]!; k < offset[s + 1]!; k++) {
        const d = list[k]!;
        if (this.#status[d] !== PENDING) continue;
        const reason: SkipReason = this.#steps[d]!.phase === 'start'
          ? { kind: 'dependency-failed', dependency: via, cause }
          : { kind: 'dependent-failed', dependent: via, cause };
        this.#skip(d, reason);
        stack.push(d);
      }
    }
  }

  #skip(id: number, reason: SkipReason): void {
    const step = this.#steps[id]!;
    this.#status[id] = SKIPPED;
    this.#settled++;
    if (step.phase === 'stop') this.#stopLeft--;
    this.#skipped.push({ ...refOf(step), reason });
    this.#emit({ type: 'service-skipped', ...refOf(step), reason });
  }

  /** Global timeout or cancellation: abort what is in flight, skip what has not started. */
  #halt(kind: 'timeout' | 'cancelled'): void {
    if (this.#halted !== undefined || this.#finished) return;
    this.#halted = kind;
    this.#timer?.cancel();
    this.#controller.abort();
    if (kind === 'timeout') {
      const inFlight = this.#steps.filter((s) => this.#status[s.id] === RUNNING).map(refOf);
      this.#emit({ type: 'timeout', timeoutMs: this.options.timeoutMs ?? 0, inFlight });
    }
    for (let id = 0; id < this.#steps.length; id++) if (this.#status[id] === PENDING) this.#skip(id, { kind });
    this.#advance();
  }

  #finish(): void {
    this.#finished = true;
    this.#healthWaits.abort();
    this.#timer?.cancel();
    this.options.signal?.removeEventListener('abort', this.#onAbort);
  }

  #summary(): ExecutionSummary {
    return {
      ok: this.#failed.length === 0 && this.#skipped.length === 0 && this.#halted === undefined,
      timedOut: this.#halted === 'timeout',
      cancelled: this.#halted === 'cancelled',
      done: [...new Set(this.#done)],
      started: this.#counts.start,
      stopped: this.#counts.stop,
      restarted: this.#counts.restart,
      failed: this.#failed,
      skipped: this.#skipped,
      kept: this.plan.kept,
      durationMs: this.#clock.now() - this.#t0,
    };
  }
}

/**
 * Execute a plan: drive every step through `driver`, report through `options.onEvent`, and
 * resolve with the summary once every step is done, failed or skipped (and nothing is in flight).
 * Never rejects for a failed service; it rejects only on a bug (a throwing event sink or driver).
 */
export function executePlan(plan: Plan, driver: ServiceDriver, options: ExecuteOptions): Promise<ExecutionSummary> {
  return new Execution(plan, driver, options).run();
}
