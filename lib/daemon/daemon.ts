// Daemon: the running root behind the typed daemon API. Queues transitions, records state, reports every event, shuts down in order.
//
// Desired vs current state (dinit): `wanted` is what the last request asked for; `up` is what
// the engine achieved, recorded after every single success. Transitions run one at a time in
// arrival order (jobs.ts); read-only requests are answered at once, also while a transition runs
// (handlers.ts). Adapters (the control socket, HTTP) call the DaemonApi methods; the daemon knows
// none of them.
//
//   running ──shutdown(code)──▶ stopping ──(everything down, groups killed)──▶ stopped ─▶ 'exit'(code)
import type { Clock, TimerHandle } from '../core/clock.js';
import { ok } from '../core/result.js';
import type { Db } from '../db/db.js';
import type { RingStore } from '../log/ring.js';
import type { LivePaths } from '../live/live-dir.js';
import type { LiveStateStore } from '../live/live-state.js';
import type { DaemonEvent } from './events.js';
import * as handlers from './handlers.js';
import { Jobs, type Rescanner } from './jobs.js';
import { statusRows } from './queries.js';
import type { ServiceSet } from './service-set.js';
import { stopEverything } from './shutdown.js';
import { dryRunUpdate, prepareUpdate, runUpdate, updateLine, type UpdateWiring } from './update.js';
import type { TransitionHost } from './transitions.js';
import type {
  Answer,
  CallContext,
  DaemonApi,
  DaemonInfo,
  HaltOrigin,
  HaltResultData,
  ListFilter,
  ScanResultData,
  StreamEvent,
  SvcCommand,
  TransitionCall,
  TransitionResultData,
  UpdateCall,
  UpdateResultData,
  WaitCondition,
} from './types.js';
import { ExitCode } from '../core/exit-codes.js';
import { err } from '../core/result.js';

export interface DaemonOptions {
  paths: LivePaths;
  db: Db;
  state: LiveStateStore;
  services: ServiceSet;
  clock: Clock;
  pid: number;
  /** Bound on each stop at shutdown when the service has no timeout-down. */
  killGraceMs: number;
  /** Bound on the whole shutdown (0 or absent: none): when it runs out, everything left gets SIGKILL at once. */
  stopTimeoutMs?: number;
  /** Default cap on concurrent transitions (0 = none). */
  jobs?: number;
  /** Recent output of every service, for `rc logs`; null when not kept. */
  ring?: RingStore | null;
  /** Every event, from the first (rc boot renders them); subscribers get them too. */
  onEvent?: (event: DaemonEvent) => void;
  /** A mode's rescan (scandir mode: `rc scan` / SIGHUP); absent otherwise. */
  rescanner?: Rescanner;
  /** The pid that ran `rc halt` → the service whose process group it is in, if any. */
  serviceOfPid?: (pid: number) => string | null;
  /** DB mode: how `rc update` loads a new db and switches pipes, state and supervisors to it; absent: rc update is refused. */
  updates?: UpdateWiring;
}

export type DaemonPhase = 'running' | 'stopping' | 'stopped';

/** A line of the daemon's own as an event: "warning: ..." is a warning, "error: ..." an error, anything else info. */
export function messageEvent(text: string): DaemonEvent {
  const m = /^(warning|error): /.exec(text);
  return { type: 'daemon-message', level: (m?.[1] as 'warning' | 'error' | undefined) ?? 'info', message: text };
}

export class Daemon implements TransitionHost, handlers.HandlerHost, DaemonApi {
  #db: Db;
  #state: LiveStateStore;
  readonly services: ServiceSet;
  readonly clock: Clock;
  readonly ring: RingStore | null;
  readonly #opts: DaemonOptions;
  readonly #jobs: Jobs;
  readonly #subscribers = new Set<(e: StreamEvent) => void>();
  readonly #stateListeners = new Set<() => void>();
  readonly #exitListeners: ((code: number) => void)[] = [];
  readonly #beforeShutdown: (() => Promise<void>)[] = [];
  /** Run once everything is down, before the exit listeners (adapters close here). */
  readonly #afterShutdown: (() => Promise<void>)[] = [];
  /** `rc halt --wait` callers: answered once everything is down. */
  readonly #halters: ((code: number) => void)[] = [];
  readonly #startedAt: number;
  /** The targets of the last change (rc update re-resolves them in the new db). */
  lastTargets: string[] = [];
  #phase: DaemonPhase = 'running';
  /** Aborted by forceKill: the orderly stops are skipped. */
  readonly #shutdownAbort = new AbortController();
  #stopTimer: TimerHandle | null = null;
  #onStopTimeout: (() => void) | null = null;
  #shutdown: Promise<number> | null = null;
  #exitCode = 0;

  constructor(opts: DaemonOptions) {
    this.#opts = opts;
    this.#db = opts.db;
    this.#state = opts.state;
    this.services = opts.services;
    this.clock = opts.clock;
    this.ring = opts.ring ?? null;
    this.#startedAt = opts.clock.wallNow();
    this.#jobs = new Jobs({ host: this, jobs: opts.jobs ?? 0, emit: (e) => this.emit(e), ...(opts.rescanner ? { rescanner: opts.rescanner } : {}) });
  }

  /** The db served now (immutable; a rescan in scandir mode replaces it as a whole). */
  get db(): Db {
    return this.#db;
  }

  get state(): LiveStateStore {
    return this.#state;
  }

  get paths(): LivePaths {
    return this.#opts.paths;
  }

  /** Scandir mode: switch to a rescanned db and its state record (the rescan's queued job only). */
  replaceDb(db: Db, state: LiveStateStore): void {
    this.#db = db;
    this.#state = state;
  }

  get phase(): DaemonPhase {
    return this.#phase;
  }

  wallNow(): number {
    return this.clock.wallNow();
  }

  info(): DaemonInfo {
    const since = this.#jobs.runningSince;
    return {
      pid: this.#opts.pid,
      live: this.#opts.paths.dir,
      db: this.db.dir,
      busy: this.#jobs.running,
      busyMs: since === null ? null : Math.max(0, this.clock.now() - since),
      waitingFor: this.services.inFlight(),
      queued: this.#jobs.length,
      startedAt: this.#startedAt,
    };
  }

  /** Report an event: to the in-process listener (rc boot), every subscriber, and the caller of the transition it concerns. */
  emit(event: DaemonEvent): void {
    this.#opts.onEvent?.(event);
    if (this.#subscribers.size > 0) for (const fn of [...this.#subscribers]) fn({ kind: 'event', event });
    if ('service' in event && 'time' in event) this.#jobs.forward(event);
  }

  /** One line of the daemon's own ("warning: ..." and "error: ..." set the level). */
  message(text: string): void {
    this.emit(messageEvent(text));
  }

  /** Called with the exit code once the daemon has stopped (after shutdown). */
  onExit(fn: (code: number) => void): void {
    this.#exitListeners.push(fn);
  }

  /**
   * Run `fn` when the shutdown begins, before any service is stopped (the container's main
   * command is stopped this way). The services go down once every such promise has settled.
   */
  beforeShutdown(fn: () => Promise<void>): void {
    this.#beforeShutdown.push(fn);
  }

  /** Run `fn` once everything is down and waiting halts are answered (an adapter closes its listener). */
  afterShutdown(fn: () => Promise<void>): void {
    this.#afterShutdown.push(fn);
  }

  /** Called whenever rc's recorded state changes (waiters on oneshots). */
  watchState(fn: () => void): () => void {
    this.#stateListeners.add(fn);
    return () => void this.#stateListeners.delete(fn);
  }

  onStateChange(index: number, up: boolean): void {
    this.state.update(index, { up });
    this.emit({ type: 'recorded', service: this.db.service(index).name, up });
    for (const fn of [...this.#stateListeners]) fn();
  }

  /** A supervisor's event: reported, and waiters look again. */
  serviceEvent(event: DaemonEvent): void {
    this.emit(event);
    for (const fn of [...this.#stateListeners]) fn();
  }

  cancelStarts(indices: Iterable<number>, by: string): void {
    for (const i of indices) {
      if (this.services.cancelStart(i, by)) this.emit({ type: 'start-cancelled', service: this.db.service(i).name, by });
    }
  }

  // --- DaemonApi ---

  transition(call: TransitionCall, ctx: CallContext = {}): Promise<Answer<TransitionResultData>> {
    return this.#jobs.transition(call, ctx, (indices, by) => this.cancelStarts(indices, by));
  }

  /** Queue a change to `targets` (the boot change); resolves with its exit code. */
  async change(targets: string[], timeoutMs: number, onEvent?: (e: StreamEvent) => void): Promise<number> {
    const r = await this.transition({ op: 'change', names: targets, dryRun: false, force: false, timeoutMs, jobs: 0, noWait: false }, onEvent ? { onEvent } : {});
    if (!r.ok) this.message(`error: ${r.error.message}`);
    return r.ok ? r.value.exitCode : r.error.exitCode;
  }

  status(names: string[]) {
    return handlers.status(this, names);
  }

  list(names: string[], filter: ListFilter) {
    return handlers.list(this, names, filter);
  }

  wait(names: string[], until: WaitCondition, timeoutMs: number, ctx: CallContext = {}) {
    return handlers.wait(this, names, until, timeoutMs, ctx);
  }

  svc(names: string[], commands: SvcCommand[]) {
    return handlers.svc(this, names, commands);
  }

  logs(names: string[], lines: number) {
    return handlers.logs(this, names, lines);
  }

  followLogs(names: string[], lines: number, ctx: CallContext & { signal: AbortSignal }) {
    return handlers.followLogs(this, names, lines, ctx);
  }

  /** A snapshot, then every event until `signal` aborts (rc boot prints the progress of every transition this way). */
  subscribe(onEvent: (e: StreamEvent) => void, signal?: AbortSignal): void {
    onEvent({ kind: 'snapshot', daemon: this.info(), services: statusRows(this, null) });
    if (signal?.aborted) return;
    this.#subscribers.add(onEvent);
    signal?.addEventListener('abort', () => this.#subscribers.delete(onEvent), { once: true });
  }

  /** SIGHUP in scandir mode: rescan, queued like `rc scan`; resolves with its exit code. */
  async rescan(): Promise<number> {
    const r = await this.scan(0);
    if (!r.ok) this.message(`error: ${r.error.message}`);
    return r.ok ? r.value.exitCode : r.error.exitCode;
  }

  scan(timeoutMs: number, ctx: CallContext = {}): Promise<Answer<ScanResultData>> {
    return this.#jobs.scan(timeoutMs, ctx);
  }

  /**
   * `rc update`: switch to a new compiled db, restarting only what changed. A dry run is planned
   * at once; a real one is queued like a change and planned when its turn comes.
   */
  async update(call: UpdateCall, ctx: CallContext = {}): Promise<Answer<UpdateResultData>> {
    const wiring = this.#opts.updates;
    if (!wiring) {
      return err({
        exitCode: ExitCode.usage,
        message: this.#opts.rescanner ? 'this daemon serves a scan directory (rc boot --scandir): rc update is for a compiled database' : 'this daemon cannot switch databases',
        ...(this.#opts.rescanner ? { hint: 'run rc scan to pick up the changes of the scan directory' } : {}),
      });
    }
    if (call.dryRun) return dryRunUpdate(this, wiring, call);
    const label = `update ${call.compiled ?? `--source ${(call.source ?? []).join(' ')}`}`;
    return this.#jobs.exclusive(label, ctx, call.noWait, async (signal, names) => {
      const p = await prepareUpdate(this, wiring, call);
      if (!p.ok) return p;
      const onEvent = (e: DaemonEvent): void => {
        ctx.onEvent?.({ kind: 'event', event: e });
        this.emit(e);
      };
      const r = await runUpdate(this, wiring, p.value, { timeoutMs: call.timeoutMs, jobs: call.jobs || (this.#opts.jobs ?? 0), signal, onEvent, names, onStream: (e) => ctx.onEvent?.(e) });
      this.message(updateLine(r.data));
      return ok(r);
    });
  }

  /**
   * `rc halt`: shut down with `code`. Without `wait` the answer comes at once: `rc halt` from a
   * service's finish script must not wait for a shutdown that itself waits for that script.
   */
  async halt(code: number, wait: boolean, origin: HaltOrigin): Promise<Answer<HaltResultData>> {
    if (this.#phase === 'stopped') return ok({ exitCode: 0, data: { code: this.#exitCode } });
    const done = wait ? new Promise<number>((resolve) => this.#halters.push(resolve)) : null;
    void this.shutdown(code, origin);
    if (!done) return ok({ exitCode: 0, data: { code: this.#exitCode, accepted: true } });
    return ok({ exitCode: 0, data: { code: await done } });
  }

  /** The origin of a halt asked for by a process: the service whose process group it runs in, else a client. */
  originOfPid(pid: number | null): HaltOrigin {
    const name = pid === null ? null : (this.#opts.serviceOfPid?.(pid) ?? null);
    return name === null ? { kind: 'client', pid } : { kind: 'service', name, pid };
  }

  /**
   * Orderly shutdown: drop queued requests, cancel the running one, bring everything down in
   * reverse dependency order (each stop bounded by its timeout-down or the kill grace), SIGKILL
   * any group left, then stop. Idempotent; the first code given wins. Resolves with the exit code.
   */
  shutdown(code = 0, origin?: HaltOrigin): Promise<number> {
    if (this.#shutdown) return this.#shutdown;
    if (origin) this.emit({ type: 'halt-requested', code, origin });
    this.#exitCode = code;
    this.beginStopBudget();
    this.#phase = 'stopping';
    this.#shutdown = this.#runShutdown();
    return this.#shutdown;
  }

  /**
   * Start the shutdown's overall budget (`stopTimeoutMs`), once: the shutdown starts it, and so
   * does a container that first stops its main command. When it runs out, the handler given to
   * `onStopTimeout` runs (the container kills CMD first), else `forceKill`.
   */
  beginStopBudget(): void {
    const ms = this.#opts.stopTimeoutMs ?? 0;
    if (this.#stopTimer || ms <= 0 || this.#phase === 'stopped') return;
    this.#stopTimer = this.#opts.clock.setTimer(ms, () => {
      if (this.#phase === 'stopped') return;
      this.message(`warning: the stop timeout (${ms} ms) ran out: killing everything left now`);
      if (this.#onStopTimeout) this.#onStopTimeout();
      else this.forceKill();
    });
  }

  /** What to do when the stop timeout runs out (instead of `forceKill`). */
  onStopTimeout(fn: () => void): void {
    this.#onStopTimeout = fn;
  }

  /** A second signal: skip to the kills (SIGKILL every process group now). */
  forceKill(): void {
    if (!this.#shutdown) void this.shutdown(this.#exitCode);
    this.#shutdownAbort.abort();
    void this.services.killAll();
  }

  async #runShutdown(): Promise<number> {
    const { killGraceMs } = this.#opts;
    this.emit({ type: 'shutdown-started', code: this.#exitCode });
    const signal = this.#shutdownAbort.signal;
    // forceKill (a second signal, the stop timeout) does not wait for a hook that hangs.
    const aborted = new Promise<void>((resolve) => (signal.aborted ? resolve() : signal.addEventListener('abort', () => resolve(), { once: true })));
    await Promise.race([Promise.all([this.#jobs.stop(), ...this.#beforeShutdown.map((fn) => this.#guarded(fn))]), aborted]);
    await stopEverything(this, { killGraceMs, signal, onEvent: (e) => this.emit(e), log: (m) => this.message(m) });
    this.#stopTimer?.cancel();
    this.#phase = 'stopped';
    this.emit({ type: 'daemon-exiting', code: this.#exitCode });
    for (const answer of this.#halters.splice(0)) answer(this.#exitCode);
    // Let the answers reach their callers before the adapters close.
    await new Promise((resolve) => setImmediate(resolve));
    await Promise.all(this.#afterShutdown.map((fn) => this.#guarded(fn)));
    this.services.close();
    for (const fn of this.#exitListeners) fn(this.#exitCode);
    return this.#exitCode;
  }

  /** A bug in a shutdown hook is reported; it never keeps the services from going down. */
  async #guarded(fn: () => Promise<void>): Promise<void> {
    try {
      await fn();
    } catch (e) {
      this.message(`error: internal error in a shutdown hook: ${(e as Error)?.stack ?? String(e)}`);
    }
  }
}
