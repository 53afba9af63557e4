// SupervisorDriver: the ServiceDriver (and ServiceSet) over one Supervisor per longrun and the OneshotRunner.
//
// start(longrun) = up(), then wait for 'ready' when it reports readiness (notification-fd or a
// probe), else for 'up'; on failure it is brought down. stop(longrun) = down(), wait for 'down'.
// A oneshot start runs its `up` argv, a stop its `down` argv. Every longrun has a supervisor
// from the start, wanted down; services are addressed by their db index.
import { setMaxListeners } from 'node:events';
import { join } from 'node:path';
import type { Clock } from '../core/clock.js';
import type { Db } from '../db/db.js';
import type { LongrunService, OneshotService } from '../db/types.js';
import type { HealthWaitResult, TransitionOptions, TransitionResult } from '../engine/driver.js';
import type { Awaited, SvcCommand, WaitCondition } from './types.js';
import { OneshotRunner, type OneshotResult } from '../supervise/oneshot.js';
import type { OneshotRecords } from '../supervise/oneshot-waiter.js';
import { Supervisor } from '../supervise/supervisor.js';
import { applySvcLetter } from '../supervise/svc-letters.js';
import type { OutputSink, StdioRouting, SupervisorEvent, WaitResult } from '../supervise/types.js';
import type { Spawner } from '../supervise/spawner.js';
import type { LiveView, OutputListener, ServiceSet, WaitOutcome } from './service-set.js';
import { waitHealthy } from './wait-healthy.js';
import { teeSink } from './tee-sink.js';
import { groupExists, killGroup } from '../sys/proc.js';

export interface DriverOptions {
  db: Db;
  /** Every process the services need is created through it (wrap it to track groups). */
  spawner: Spawner & { alive?(): { pgid: number }[] };
  clock: Clock;
  output: OutputSink;
  env: NodeJS.ProcessEnv;
  /** A longrun's stdio (pipelines); default: output to the sink. */
  stdio?: (name: string) => StdioRouting | undefined;
  /** How long a stop may take after a cancel or at shutdown before its group is SIGKILLed. */
  killGraceMs: number;
  onServiceEvent: (index: number, event: SupervisorEvent) => void;
  /** Notes on a start that drags on (a longrun restarting before it was ready), one line each. */
  progress?: (message: string) => void;
  /** Where longruns' lock-fd locks live (one file per service, e.g. LIVE/locks); none = lock-fd ignored. */
  lockDir?: string;
  /** Where oneshot waiters record their scripts' outcomes (LIVE/oneshots) and the shell; none = scripts run directly. */
  oneshotRecords?: OneshotRecords | null;
}

/** A longrun whose start waits for it: when the wait gives up, and when its deaths were last noted. */
interface AwaitedStart {
  /** The supervisor's restart count when the wait began: a higher one means it died meanwhile. */
  restarts: number;
  deadline: number | null;
  lastNoteAt: number | null;
}

/** A start or stop in flight: what it waits for, since when, and how to cancel it (a start only). */
interface InFlight {
  what: string;
  since: number;
  cancel: AbortController;
  /** Who cancelled it (`rc down`, `rc svc -d`), once cancelled. */
  cancelledBy: string | null;
}

/** At most one "died before it was ready" note per service this often. */
const EARLY_DEATH_NOTE_MS = 5000;

const exitText = (e: { code: number | null; signal: string | null }): string => (e.signal ? `killed by ${e.signal}` : `exit ${e.code ?? '?'}`);

interface OneshotLive {
  moving: 'starting' | 'stopping' | null;
  since: number | null;
  lastExit: { code: number | null; signal: string | null } | null;
}

/** The supervision core prefixes messages with the service name; the engine's events already carry it. */
const bare = (name: string, message: string): string => (message.startsWith(`${name}: `) ? message.slice(name.length + 2) : message);

const waitFailure = (name: string, w: Extract<WaitResult, { ok: false }>): TransitionResult => {
  const r = { ...w, message: bare(name, w.message) };
  switch (r.reason) {
    case 'timeout':
      return { ok: false, reason: 'timeout', message: r.message };
    case 'permanent-failure':
      return { ok: false, reason: 'permanent-failure', message: r.message };
    case 'exec-failed':
      return { ok: false, reason: 'exec-failed', message: r.message };
    case 'aborted':
      return { ok: false, reason: 'cancelled', message: r.message };
    case 'unhealthy':
      // Only a wait for 'healthy' reports it (see waitHealthy).
      return { ok: false, reason: 'permanent-failure', message: r.message };
  }
};

const waitOutcome = (name: string, r: WaitResult): WaitOutcome => {
  if (r.ok) return { kind: 'reached' };
  const kind = r.reason === 'timeout' ? 'timeout' : r.reason === 'aborted' ? 'aborted' : 'failed';
  return { kind, message: `${name}: ${bare(name, r.message)}` };
};

function oneshotFailure(name: string, o: Extract<OneshotResult, { ok: false }>): TransitionResult {
  const r = { ...o, message: bare(name, o.message) };
  switch (r.reason) {
    case 'exit-code':
      return { ok: false, reason: 'exit-code', exitCode: r.exitCode ?? 1, message: r.message };
    case 'signal':
      return { ok: false, reason: 'signal', signal: r.signal ?? 'unknown', message: r.message };
    case 'timeout':
      return { ok: false, reason: 'timeout', message: r.message };
    case 'aborted':
      return { ok: false, reason: 'cancelled', message: r.message };
    case 'not-found':
    case 'exec-failed':
      return { ok: false, reason: 'exec-failed', message: r.message };
  }
}

const sleep = (clock: Clock, ms: number) => new Promise<void>((r) => clock.setTimer(ms, r));

export class SupervisorDriver implements ServiceSet {
  readonly #o: DriverOptions;
  /** The db served now (`switchDb` replaces it). */
  #db: Db;
  #supervisors: (Supervisor | null)[];
  #oneshots: (OneshotLive | null)[];
  /** Each supervisor's current index (its events are reported under it; `switchDb` moves it). */
  readonly #slots = new WeakMap<Supervisor, { index: number }>();
  readonly #runner: OneshotRunner;
  #listener: OutputListener | null = null;
  #shutdown = false;
  readonly #seenSignals = new WeakSet<AbortSignal>();
  readonly #awaited = new Map<number, AwaitedStart>();
  readonly #inFlight = new Map<number, InFlight>();

  constructor(o: DriverOptions) {
    this.#o = o;
    this.#db = o.db;
    this.#runner = new OneshotRunner({ spawner: o.spawner, clock: o.clock, records: o.oneshotRecords ?? null });
    this.#supervisors = o.db.index.services.map((s) => (s.type === 'longrun' ? this.#newSupervisor(o.db, s) : null));
    this.#oneshots = o.db.index.services.map((s) => (s.type === 'oneshot' ? { moving: null, since: null, lastExit: null } : null));
  }

  /** What a longrun's supervisor is given from `db`: its definition, directory, stdio and lock path. */
  #placement(db: Db, s: LongrunService): { service: LongrunService; dir: string; stdio?: StdioRouting; lockPath?: string } {
    const stdio = this.#o.stdio?.(s.name);
    return {
      service: s,
      dir: db.servicedir(s.index),
      ...(stdio ? { stdio } : {}),
      ...(this.#o.lockDir ? { lockPath: join(this.#o.lockDir, s.name) } : {}),
    };
  }

  #newSupervisor(db: Db, s: LongrunService): Supervisor {
    const o = this.#o;
    const slot = { index: s.index };
    const sup = new Supervisor({
      ...this.#placement(db, s),
      spawner: o.spawner,
      clock: o.clock,
      output: o.output,
      env: o.env,
      onEvent: (e) => {
        // A supervisor an update dropped: what it still says is of no service any more.
        if (slot.index < 0) return;
        if (e.type === 'spawned') this.#noteRestart(slot.index);
        o.onServiceEvent(slot.index, e);
      },
    });
    this.#slots.set(sup, slot);
    return sup;
  }

  /**
   * `rc update`: serve `next`. `keep` maps old indices to new ones for the services that did not
   * change: a longrun keeps its supervisor (its process, counters, state) under its new index and
   * takes the new definition for its next spawn; a oneshot keeps what rc knows of its last run.
   * Every other longrun of `next` gets a new supervisor (down). The supervisors of old services
   * not kept (removed or changed: the update stopped them) stop supervising. Call between
   * transitions only (nothing in flight).
   */
  async switchDb(next: Db, keep: ReadonlyMap<number, number>): Promise<void> {
    const supervisors: (Supervisor | null)[] = new Array<Supervisor | null>(next.size).fill(null);
    const oneshots: (OneshotLive | null)[] = new Array<OneshotLive | null>(next.size).fill(null);
    const dropped = new Set(this.#supervisors.filter((s): s is Supervisor => s !== null));
    for (const [o, n] of keep) {
      const sup = this.#supervisors[o];
      const svc = next.service(n);
      if (sup && svc.type === 'longrun') {
        sup.adopt(this.#placement(next, svc));
        this.#slots.get(sup)!.index = n;
        supervisors[n] = sup;
        dropped.delete(sup);
      } else if (!sup && svc.type === 'oneshot') oneshots[n] = this.#oneshots[o] ?? null;
    }
    for (const s of next.index.services) {
      if (s.type === 'longrun' && supervisors[s.index] === null) supervisors[s.index] = this.#newSupervisor(next, s);
      else if (s.type === 'oneshot' && oneshots[s.index] === null) oneshots[s.index] = { moving: null, since: null, lastExit: null };
    }
    for (const sup of dropped) this.#slots.set(sup, { index: -1 });
    this.#db = next;
    this.#supervisors = supervisors;
    this.#oneshots = oneshots;
    this.#awaited.clear();
    this.#inFlight.clear();
    await Promise.all([...dropped].map((s) => s.exit()));
  }

  supervisor(i: number): Supervisor | null {
    return this.#supervisors[i] ?? null;
  }

  /** Every in-flight transition listens on the change's signal: hundreds of listeners are expected. */
  #unlimited(signal: AbortSignal): void {
    if (this.#seenSignals.has(signal)) return;
    this.#seenSignals.add(signal);
    setMaxListeners(0, signal);
  }

  async start(i: number, opts: TransitionOptions): Promise<TransitionResult> {
    this.#unlimited(opts.signal);
    const sup = this.#supervisors[i];
    const svc = this.#db.service(i);
    const readiness = svc.type === 'longrun' && (svc.notificationFd !== null || svc.readiness !== null);
    return this.#tracked(i, sup ? (readiness ? 'ready' : 'up') : 'up script', opts, async (signal) => {
      if (!sup) return this.#runOneshot(i, 'up', { ...opts, signal });
      sup.up();
      this.#awaited.set(i, { restarts: sup.status().restarts, deadline: opts.timeoutMs > 0 ? this.#o.clock.now() + opts.timeoutMs : null, lastNoteAt: null });
      // A dependent on a `started` edge may go once the process is spawned (not waited for: the start
      // goes on); that wait ends with the start's.
      const spawnWait = readiness && opts.onStarted ? new AbortController() : null;
      if (spawnWait) void sup.waitFor('up', 0, AbortSignal.any([signal, spawnWait.signal])).then((u) => u.ok && opts.onStarted?.());
      const r = await sup.waitFor(readiness ? 'ready' : 'up', opts.timeoutMs, signal).finally(() => {
        this.#awaited.delete(i);
        spawnWait?.abort();
      });
      if (r.ok) return { ok: true };
      sup.down();
      // After a cancel the engine does not stop it: make sure it is down before reporting.
      if (r.reason === 'aborted') await this.#settleDown(sup, true);
      return waitFailure(sup.name, r);
    });
  }

  /** A `healthy` edge: wait for the longrun's first passed health check (its supervisor judges). */
  async waitHealthy(i: number, opts: TransitionOptions): Promise<HealthWaitResult> {
    const sup = this.#supervisors[i];
    if (!sup) return { ok: false, message: 'it is a oneshot: it has no health check' };
    const r = await sup.waitFor('healthy', opts.timeoutMs, opts.signal);
    return r.ok ? r : { ok: false, message: bare(sup.name, r.message) };
  }

  /**
   * Run a start or stop of `i` as the one in flight for it: `rc status` shows what it waits for,
   * and a start can be cancelled on its own (cancelStart) besides through the change's signal.
   */
  async #tracked(i: number, what: string, opts: TransitionOptions, fn: (signal: AbortSignal) => Promise<TransitionResult>): Promise<TransitionResult> {
    const entry: InFlight = { what, since: this.#o.clock.now(), cancel: new AbortController(), cancelledBy: null };
    const forward = (): void => entry.cancel.abort();
    if (opts.signal.aborted) forward();
    else opts.signal.addEventListener('abort', forward, { once: true });
    this.#inFlight.set(i, entry);
    try {
      const r = await fn(entry.cancel.signal);
      if (r.ok || entry.cancelledBy === null || opts.signal.aborted) return r;
      return { ok: false, reason: 'cancelled', message: `start cancelled by ${entry.cancelledBy}` };
    } finally {
      opts.signal.removeEventListener('abort', forward);
      if (this.#inFlight.get(i) === entry) this.#inFlight.delete(i);
    }
  }

  /** Cancel the start of `i` in flight (a longrun waiting to be ready, a oneshot's `up` running); false when none is. */
  cancelStart(i: number, by: string): boolean {
    const entry = this.#inFlight.get(i);
    if (!entry || entry.cancelledBy !== null || !(entry.what === 'ready' || entry.what === 'up' || entry.what === 'up script')) return false;
    entry.cancelledBy = by;
    entry.cancel.abort();
    return true;
  }

  /** The starts and stops in flight, longest first. */
  inFlight(): Awaited[] {
    const now = this.#o.clock.now();
    return [...this.#inFlight]
      .map(([i, e]) => ({ name: this.#db.service(i).name, what: e.what, sinceMs: Math.max(0, now - e.since) }))
      .sort((a, b) => b.sinceMs - a.sinceMs);
  }

  async stop(i: number, opts: TransitionOptions): Promise<TransitionResult> {
    this.#unlimited(opts.signal);
    const sup = this.#supervisors[i];
    return this.#tracked(i, sup ? 'down' : 'down script', opts, () => (sup ? this.#stopLongrun(i, sup, opts) : this.#runOneshot(i, 'down', opts)));
  }

  async #stopLongrun(i: number, sup: Supervisor, opts: TransitionOptions): Promise<TransitionResult> {
    sup.down();
    const r = await sup.waitFor('down', opts.timeoutMs, opts.signal);
    if (r.ok) return { ok: true };
    // Cancelled or, at shutdown, out of time: finish the stop by force so the state stays exact.
    if (r.reason === 'aborted' || (r.reason === 'timeout' && this.#shutdown)) {
      if (r.reason === 'timeout') {
        const bound = this.#db.service(i).timeoutDown > 0 ? 'timeout-down' : 'the kill grace';
        this.#o.progress?.(`${sup.name} did not stop within ${opts.timeoutMs} ms (${bound}): SIGKILL to its process group`);
      }
      return (await this.#settleDown(sup, r.reason === 'aborted')) ? { ok: true } : waitFailure(sup.name, r);
    }
    return waitFailure(sup.name, r);
  }

  async restart(i: number, opts: TransitionOptions): Promise<TransitionResult> {
    this.#unlimited(opts.signal);
    const sup = this.#supervisors[i];
    if (!sup) {
      const down = await this.#runOneshot(i, 'down', opts);
      return down.ok ? this.#runOneshot(i, 'up', opts) : down;
    }
    const state = sup.status().state;
    if (state === 'up' || state === 'ready') {
      sup.restart();
      const gone = await sup.waitFor('down', opts.timeoutMs, opts.signal);
      if (!gone.ok) return waitFailure(sup.name, gone);
    }
    return this.start(i, opts);
  }

  /**
   * A longrun restarted while its start waits for it to be ready: it died before it was. Without
   * a word the wait could look hung (with no timeout-up and no --timeout it lasts for ever, as in
   * s6-rc), so say so, at most every EARLY_DEATH_NOTE_MS per service.
   */
  #noteRestart(i: number): void {
    const awaited = this.#awaited.get(i);
    const st = this.#supervisors[i]?.status();
    if (!awaited || !st || st.restarts <= awaited.restarts || st.lastExit === null) return;
    const now = this.#o.clock.now();
    if (awaited.lastNoteAt !== null && now - awaited.lastNoteAt < EARLY_DEATH_NOTE_MS) return;
    awaited.lastNoteAt = now;
    const bound = awaited.deadline === null ? 'no timeout-up, no --timeout' : `gives up in ${(Math.max(0, awaited.deadline - now) / 1000).toFixed(1)} s`;
    this.#o.progress?.(`${st.name} died before it was ready (${exitText(st.lastExit)}); restart ${st.restarts}, still waiting (${bound})`);
  }

  /** Wait for a longrun to be down (after the kill grace, if `grace`), then SIGKILL its group. False if it never went. */
  async #settleDown(sup: Supervisor, grace: boolean): Promise<boolean> {
    if (grace && (await sup.waitFor('down', this.#o.killGraceMs)).ok) return true;
    const pgid = sup.status().pgid;
    if (pgid !== null) killGroup(pgid, 'SIGKILL');
    return (await sup.waitFor('down', this.#o.killGraceMs)).ok;
  }

  async #runOneshot(i: number, direction: 'up' | 'down', opts: TransitionOptions): Promise<TransitionResult> {
    const svc = this.#db.service(i) as OneshotService;
    const live = this.#oneshots[i]!;
    live.moving = direction === 'up' ? 'starting' : 'stopping';
    const output = this.#listener ? teeSink(this.#o.output, this.#listener) : this.#o.output;
    try {
      const r = await this.#runner.run({
        name: svc.name,
        dir: this.#db.servicedir(i),
        argv: direction === 'up' ? svc.up : svc.down,
        timeoutMs: opts.timeoutMs,
        signal: opts.signal,
        output,
        env: this.#o.env,
        direction,
      });
      live.lastExit = r.ok ? { code: 0, signal: null } : { code: r.exitCode, signal: r.signal };
      if (!r.ok) return oneshotFailure(svc.name, r);
      live.since = this.#o.clock.wallNow();
      return { ok: true };
    } finally {
      live.moving = null;
    }
  }

  view(i: number, recordedUp: boolean): LiveView {
    const sup = this.#supervisors[i];
    if (sup) {
      const st = sup.status();
      const svc = this.#db.service(i) as LongrunService;
      const hasReadiness = svc.notificationFd !== null || svc.readiness !== null;
      // Spawned but not ready yet, and not recorded up: for rc (and its dependents) it is still
      // starting. Its supervisor says "up" (run is running); `rc status` must not (issue 16).
      const starting = hasReadiness && st.state === 'up' && !recordedUp;
      return {
        state: starting ? 'starting' : st.state,
        pid: st.pid,
        since: st.since,
        ready: hasReadiness ? st.state === 'ready' : null,
        restarts: st.restarts,
        lastExit: st.lastExit,
        health: st.health,
        healthCheckedAt: st.healthCheckedAt,
      };
    }
    const live = this.#oneshots[i]!;
    return {
      state: live.moving ?? (recordedUp ? 'up' : 'down'),
      pid: null,
      since: live.since,
      ready: null,
      restarts: 0,
      lastExit: live.lastExit,
    };
  }

  svc(i: number, commands: readonly SvcCommand[]): void {
    const sup = this.#supervisors[i];
    if (!sup) return;
    for (const c of commands) applySvcLetter(sup, c);
  }

  async waitFor(i: number, until: WaitCondition, timeoutMs: number, signal: AbortSignal): Promise<WaitOutcome> {
    const sup = this.#supervisors[i];
    if (!sup) return { kind: 'reached' };
    // --healthy loops over runs: rc wait's own timer (it passes 0 here) bounds it through `signal`.
    const r = until === 'healthy' ? await waitHealthy(sup, signal) : await sup.waitFor(until, timeoutMs, signal);
    return waitOutcome(sup.name, r);
  }

  setOutputListener(listener: OutputListener | null): void {
    this.#listener = listener;
  }

  beginShutdown(): void {
    this.#shutdown = true;
  }

  /** Stop supervising (no more restarts), SIGKILL every group we created until all are gone. */
  async killAll(): Promise<void> {
    const exits = this.#supervisors.flatMap((s) => (s ? [s.exit()] : []));
    const done = Promise.all(exits).then(() => true);
    const deadline = this.#o.clock.now() + Math.max(5000, this.#o.killGraceMs);
    for (;;) {
      const groups = this.liveGroups();
      for (const g of groups) killGroup(g, 'SIGKILL');
      const finished = await Promise.race([done, sleep(this.#o.clock, 25).then(() => false)]);
      if ((finished && this.liveGroups().length === 0) || this.#o.clock.now() > deadline) return;
    }
  }

  liveGroups(): number[] {
    const fromSpawner = this.#o.spawner.alive?.().map((g) => g.pgid);
    if (fromSpawner) return fromSpawner;
    return this.#supervisors.map((s) => s?.status().pgid ?? null).filter((p): p is number => p !== null && groupExists(p));
  }

  close(): void {
    this.#listener = null;
  }
}
