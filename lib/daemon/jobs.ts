// Jobs: the queued requests (change/up/down/restart, a mode's rescan), served one at a time in arrival order; the running one can be cancelled.
import { ExitCode } from '../core/exit-codes.js';
import { err, ok, type Result } from '../core/result.js';
import type { Db } from '../db/db.js';
import type { LiveStateStore } from '../live/live-state.js';
import type { DaemonEvent } from './events.js';
import { RequestQueue } from './queue.js';
import type { RequestError } from './resolve.js';
import { planNow, prepareTransition, runPlan, settleCancelledWanted, updateWanted, type PreparedTransition, type TransitionHost } from './transitions.js';
import type { Answer, CallContext, ScanResultData, StreamEvent, TransitionCall, TransitionResultData } from './types.js';

/** What a rescan may do to the daemon besides running plans: switch to a new db and state record. */
export interface RescanHost extends TransitionHost {
  replaceDb(db: Db, state: LiveStateStore): void;
}

export interface RescanJob {
  signal: AbortSignal;
  /** Global deadline of each step; 0 = none. */
  timeoutMs: number;
  onEvent: (e: StreamEvent) => void;
}

/** A mode's rescan (scandir: `rc scan`, SIGHUP), plugged into the queue: it never runs next to a change. */
export interface Rescanner {
  scan(host: RescanHost, job: RescanJob): Promise<Result<{ exitCode: number; data: ScanResultData }, string>>;
}

export interface JobsOptions {
  /** The daemon: its db, state and services (a rescan replaces the db). */
  host: RescanHost;
  /** Default cap on concurrent transitions (0 = none). */
  jobs: number;
  rescanner?: Rescanner;
  /** Every event of a job also goes to the daemon's subscribers. */
  emit: (event: DaemonEvent) => void;
}

const SHUTTING_DOWN = 'the daemon is shutting down';

/** The job running now: how to cancel it, and who hears of its services' events. */
interface Running {
  abort: AbortController;
  since: number;
  /** Services of the running transition: their supervisors' events go to its caller too. */
  names: Set<string>;
  ctx: CallContext;
}

export class Jobs {
  readonly #o: JobsOptions;
  readonly #queue: RequestQueue;
  #current: Running | null = null;

  constructor(o: JobsOptions) {
    this.#o = o;
    this.#queue = new RequestQueue((e, job) => o.emit({ type: 'daemon-message', level: 'error', message: `internal error while serving '${job.label}': ${(e as Error)?.stack ?? String(e)}` }));
  }

  /** The label of what runs now ("change default"), or null. */
  get running(): string | null {
    return this.#queue.running;
  }

  /** When the running job began (clock ms), or null. */
  get runningSince(): number | null {
    return this.#current?.since ?? null;
  }

  /** How many requests wait. */
  get length(): number {
    return this.#queue.length;
  }

  /** Shutdown: drop the waiting requests, cancel the running one; resolves once nothing runs. */
  stop(): Promise<void> {
    this.#queue.close();
    this.#current?.abort.abort();
    return this.#queue.whenIdle();
  }

  /** A supervisor's event about a service of the running transition also goes to that transition's caller. */
  forward(event: DaemonEvent & { service: string }): void {
    const c = this.#current;
    if (c?.names.has(event.service)) c.ctx.onEvent?.({ kind: 'event', event });
  }

  /** A change/up/down/restart: names are checked now, the plan is made when its turn comes. */
  transition(call: TransitionCall, ctx: CallContext, cancelStarts: (indices: Iterable<number>, by: string) => void): Promise<Answer<TransitionResultData>> {
    if (this.#queue.closed) return Promise.resolve(err({ exitCode: ExitCode.system, message: SHUTTING_DOWN }));
    const { host } = this.#o;
    const prepared = prepareTransition(host.db, call);
    if (!prepared.ok) return Promise.resolve(prepared);
    const p = prepared.value;
    if (call.dryRun) {
      const planned = planNow(host, p);
      return Promise.resolve(planned.ok ? ok({ exitCode: 0, data: { plan: planned.value, notes: [] } }) : planned);
    }
    if (call.noWait && this.#queue.busy) {
      return Promise.resolve(err({ exitCode: ExitCode.system, message: `the daemon is busy with '${this.#queue.running}' (run without --no-wait to queue)` }));
    }
    // `rc down X` while a change waits for X (or what needs X) to start: that start is cancelled now.
    if (call.op === 'down') cancelStarts(host.db.closure(p.request.targets, 'reverse'), 'rc down');
    const db = host.db;
    return this.#enqueue(p.label, ctx, !call.noWait, (signal) =>
      // Resolved again when a rescan replaced the db while the request waited.
      this.#runTransition(call, db === host.db ? ok(p) : prepareTransition(host.db, call), ctx, signal),
    );
  }

  /** A rescan, queued like a transition. */
  scan(timeoutMs: number, ctx: CallContext): Promise<Answer<ScanResultData>> {
    const { rescanner, host } = this.#o;
    if (!rescanner) return Promise.resolve(err({ exitCode: ExitCode.usage, message: 'this daemon was not started with --scandir: there is nothing to scan' }));
    if (this.#queue.closed) return Promise.resolve(err({ exitCode: ExitCode.system, message: SHUTTING_DOWN }));
    return this.#enqueue('scan', ctx, false, async (signal) => {
      const onEvent = (e: StreamEvent): void => {
        ctx.onEvent?.(e);
        if (e.kind === 'event') this.#o.emit(e.event);
      };
      const r = await rescanner.scan(host, { signal, timeoutMs, onEvent });
      return r.ok ? ok(r.value) : err({ exitCode: ExitCode.system, message: r.error });
    });
  }

  /**
   * Queue a job of the daemon's own (rc update) like a transition: `run` gets the cancel signal
   * and the set of service names whose supervisor events go to this caller too.
   */
  exclusive<T>(label: string, ctx: CallContext, noWait: boolean, run: (signal: AbortSignal, names: Set<string>) => Promise<Answer<T>>): Promise<Answer<T>> {
    if (this.#queue.closed) return Promise.resolve(err({ exitCode: ExitCode.system, message: SHUTTING_DOWN }));
    if (noWait && this.#queue.busy) {
      return Promise.resolve(err({ exitCode: ExitCode.system, message: `the daemon is busy with '${this.#queue.running}' (run without --no-wait to queue)` }));
    }
    return this.#enqueue(label, ctx, !noWait, (signal) => run(signal, this.#current?.names ?? new Set()));
  }

  /**
   * Queue `run`; the caller hears when it waits. A caller that goes away drops its waiting job,
   * and cancels it while it runs when `cancelOnLeave` (as the global timeout does).
   */
  #enqueue<T>(label: string, ctx: CallContext, cancelOnLeave: boolean, run: (signal: AbortSignal) => Promise<Answer<T>>): Promise<Answer<T>> {
    return new Promise((resolve) => {
      const queued = this.#queue.enqueue({
        label,
        run: async () => {
          if (ctx.signal?.aborted) return resolve(err({ exitCode: ExitCode.system, message: `'${label}' was dropped: its client went away` }));
          const current: Running = { abort: new AbortController(), since: this.#o.host.clock.now(), names: new Set(), ctx };
          this.#current = current;
          const leave = (): void => {
            if (current.abort.signal.aborted) return;
            this.#o.emit({ type: 'transition-cancelled', label, reason: 'its client went away' });
            current.abort.abort();
          };
          if (cancelOnLeave) ctx.signal?.addEventListener('abort', leave, { once: true });
          try {
            resolve(await run(current.abort.signal));
          } catch (e) {
            resolve(err({ exitCode: ExitCode.system, message: `internal error in the daemon: ${(e as Error)?.message ?? String(e)}` }));
            throw e;
          } finally {
            ctx.signal?.removeEventListener('abort', leave);
            this.#current = null;
          }
        },
        dropped: () => resolve(err({ exitCode: ExitCode.system, message: `'${label}' was dropped: ${SHUTTING_DOWN}` })),
      });
      if (queued.position > 0) ctx.onQueued?.(queued.position, this.#queue.running ?? '');
      ctx.signal?.addEventListener('abort', () => queued.cancel(), { once: true });
    });
  }

  async #runTransition(call: TransitionCall, prepared: Result<PreparedTransition, RequestError>, ctx: CallContext, signal: AbortSignal): Promise<Answer<TransitionResultData>> {
    if (!prepared.ok) return prepared;
    const { host, emit } = this.#o;
    const planned = planNow(host, prepared.value);
    if (!planned.ok) return planned;
    const plan = planned.value;
    if (call.op === 'change') host.lastTargets = [...call.names];
    if (this.#current) for (const s of plan.steps) this.#current.names.add(s.name);
    const wanted = updateWanted(host, prepared.value, plan);
    if (wanted.up.length > 0 || wanted.down.length > 0) emit({ type: 'wanted-changed', by: prepared.value.label, ...wanted });
    host.services.setOutputListener((service, stream, line) => ctx.onEvent?.({ kind: 'output', service, stream, line }));
    try {
      const r = await runPlan(host, plan, {
        timeoutMs: call.timeoutMs,
        jobs: call.jobs || this.#o.jobs,
        signal,
        onEvent: (e) => {
          ctx.onEvent?.({ kind: 'event', event: e });
          emit(e);
        },
      });
      if (r.data.summary?.cancelled) {
        const back = settleCancelledWanted(host, wanted);
        if (back.up.length > 0 || back.down.length > 0) emit({ type: 'wanted-changed', by: `${prepared.value.label} (cancelled)`, ...back });
      }
      return ok(r);
    } finally {
      host.services.setOutputListener(null);
    }
  }
}
