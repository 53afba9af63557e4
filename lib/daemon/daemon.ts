// Daemon: the running root. Serves the control socket, queues transitions, records state, shuts down in order.
//
// Desired vs current state (dinit): `wanted` is what the last request asked for; `up` is what
// the engine achieved, recorded after every single success. Transitions run one at a time in
// arrival order; read-only requests are answered at once, also while a transition runs.
//
//   running ──shutdown(code)──▶ stopping ──(everything down, groups killed)──▶ stopped ─▶ 'exit'(code)
import type { Clock } from '../core/clock.js';
import { ExitCode } from '../core/exit-codes.js';
import type { Db } from '../db/db.js';
import type { EngineEvent } from '../engine/events.js';
import { plan as makePlan } from '../plan/index.js';
import type { RingStore } from '../log/ring.js';
import { ControlServer, errorReply, resultReply, type Connection } from '../control/server.js';
import { PROTOCOL_VERSION, isTransition, type DaemonInfo, type Reply, type Request, type StreamEvent, type TransitionRequest } from '../control/protocol.js';
import { ok, type Result } from '../core/result.js';
import type { LivePaths } from './live-dir.js';
import type { LiveStateStore } from './live-state.js';
import { RequestQueue } from './queue.js';
import type { RequestError } from './resolve.js';
import { statusRows } from './queries.js';
import type { ServiceSet } from './service-set.js';
import { planNow, prepareTransition, runPlan, updateWanted, type PreparedTransition, type TransitionHost } from './transitions.js';
import { handleList, handleLogs, handleStatus, handleSvc, handleWait, type HandlerHost } from './handlers.js';
import { serveScan, type Scanner } from './scandir.js';

export interface DaemonOptions {
  paths: LivePaths;
  db: Db;
  state: LiveStateStore;
  services: ServiceSet;
  clock: Clock;
  pid: number;
  /** Bound on each stop at shutdown when the service has no timeout-down. */
  killGraceMs: number;
  /** Default cap on concurrent transitions (0 = none). */
  jobs?: number;
  /** Recent output of every service, for `rc logs`; null when not kept. */
  ring?: RingStore | null;
  /** The daemon's own messages (one line each, without "rc: "). */
  log(message: string): void;
  /** Scandir mode (`rc boot --scandir`): serves `rc scan` / SIGHUP; absent otherwise. */
  scanner?: Scanner;
}

export type DaemonPhase = 'running' | 'stopping' | 'stopped';

export class Daemon implements TransitionHost, HandlerHost {
  #db: Db;
  #state: LiveStateStore;
  readonly services: ServiceSet;
  readonly clock: Clock;
  readonly ring: RingStore | null;
  readonly #opts: DaemonOptions;
  readonly #server: ControlServer;
  readonly #queue: RequestQueue;
  /** Subscribed connections and the id of their subscribe request (events are sent under it). */
  readonly #subscribers = new Map<Connection, number>();
  readonly #stateListeners = new Set<() => void>();
  readonly #exitListeners: ((code: number) => void)[] = [];
  readonly #beforeShutdown: (() => Promise<void>)[] = [];
  readonly #halters: { conn: Connection; id: number }[] = [];
  readonly #startedAt: number;
  #phase: DaemonPhase = 'running';
  #current: AbortController | null = null;
  #shutdownAbort: AbortController | null = null;
  #forced = false;
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
    this.#queue = new RequestQueue((e, job) => opts.log(`internal error while serving '${job.label}': ${(e as Error)?.stack ?? String(e)}`));
    this.#server = new ControlServer({
      path: opts.paths.socket,
      handler: (r, c) => this.#handle(r, c),
      onInternalError: (e) => opts.log(`internal error: ${(e as Error)?.stack ?? String(e)}`),
    });
  }

  /** The db served now (immutable; a rescan in scandir mode replaces it as a whole). */
  get db(): Db {
    return this.#db;
  }

  get state(): LiveStateStore {
    return this.#state;
  }

  /** Scandir mode: switch to a rescanned db and its state record (the scanner's queued job only). */
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
    return {
      pid: this.#opts.pid,
      live: this.#opts.paths.dir,
      db: this.db.dir,
      busy: this.#queue.running,
      queued: this.#queue.length,
      startedAt: this.#startedAt,
    };
  }

  /** Start serving the control socket. */
  listen(): Promise<Result<void, string>> {
    return this.#server.listen();
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

  /** Called whenever rc's recorded state changes (waiters on oneshots). */
  watchState(fn: () => void): () => void {
    this.#stateListeners.add(fn);
    return () => void this.#stateListeners.delete(fn);
  }

  onStateChange(index: number, up: boolean): void {
    this.state.update(index, { up });
    this.#broadcast({ kind: 'state', service: this.db.service(index).name, up });
    for (const fn of [...this.#stateListeners]) fn();
  }

  /** Forward a supervisor's event to subscribers. */
  serviceEvent(service: string, event: unknown): void {
    if (this.#subscribers.size > 0) this.#broadcast({ kind: 'service', service, event });
    for (const fn of [...this.#stateListeners]) fn();
  }

  /** Queue a change to `targets` (the boot change); resolves with its exit code. */
  change(targets: string[], timeoutMs: number, onEvent?: (e: StreamEvent) => void): Promise<number> {
    return new Promise((resolve) => {
      const conn = callbackConnection((reply) => {
        if (reply.type === 'event') onEvent?.(reply.event);
        if (reply.type === 'result' || reply.type === 'error') resolve(reply.exitCode);
        if (reply.type === 'error') this.#opts.log(reply.message);
      });
      this.#handle({ v: PROTOCOL_VERSION, id: 0, op: 'change', targets, dryRun: false, force: false, timeoutMs, jobs: 0, noWait: false }, conn);
    });
  }

  /** Stream what a subscribed client gets (rc boot prints the progress of every transition, the shutdown's too). */
  subscribe(onEvent: (e: StreamEvent) => void): void {
    this.#handle({ v: PROTOCOL_VERSION, id: 0, op: 'subscribe' }, callbackConnection((reply) => void (reply.type === 'event' && onEvent(reply.event))));
  }

  /** SIGHUP in scandir mode: rescan, queued like `rc scan`; resolves with its exit code. */
  rescan(onEvent?: (e: StreamEvent) => void): Promise<number> {
    return new Promise((resolve) => {
      const conn = callbackConnection((reply) => {
        if (reply.type === 'event') onEvent?.(reply.event);
        if (reply.type === 'result' || reply.type === 'error') resolve(reply.exitCode);
        if (reply.type === 'error') this.#opts.log(reply.message);
      });
      this.#handle({ v: PROTOCOL_VERSION, id: 0, op: 'scan', timeoutMs: 0 }, conn);
    });
  }

  /**
   * Orderly shutdown: drop queued requests, cancel the running one, bring everything down in
   * reverse dependency order (each stop bounded by its timeout-down or the kill grace), SIGKILL
   * any group left, then stop. Idempotent; the first code given wins. Resolves with the exit code.
   */
  shutdown(code = 0): Promise<number> {
    if (this.#shutdown) return this.#shutdown;
    this.#exitCode = code;
    this.#phase = 'stopping';
    this.#shutdown = this.#runShutdown();
    return this.#shutdown;
  }

  /** A second signal: skip to the kills (SIGKILL every process group now). */
  forceKill(): void {
    this.#forced = true;
    if (!this.#shutdown) void this.shutdown(this.#exitCode);
    this.#shutdownAbort?.abort();
    void this.services.killAll();
  }

  async #runShutdown(): Promise<number> {
    this.#opts.log('shutting down: stopping every service');
    this.#queue.close();
    this.#current?.abort();
    await Promise.all([this.#queue.whenIdle(), ...this.#beforeShutdown.map((fn) => this.#guarded(fn))]);
    this.services.beginShutdown();
    this.#shutdownAbort = new AbortController();
    if (this.#forced) this.#shutdownAbort.abort();
    const up = this.state.upSet();
    const planned = makePlan(this.db.index, { up }, { kind: 'down', targets: [...up], label: 'shutdown' }, { force: true });
    if (planned.ok && planned.value.steps.length > 0 && !this.#shutdownAbort.signal.aborted) {
      const grace = this.#opts.killGraceMs;
      try {
        await runPlan(this, planned.value, {
          timeoutMs: 0,
          jobs: 0,
          signal: this.#shutdownAbort.signal,
          onEvent: (e) => this.#toHalters(e),
          timeouts: (i, direction) => (direction === 'down' ? this.db.service(i).timeoutDown || grace : 0),
        });
      } catch (e) {
        // A bug must not keep the daemon from exiting: go on to the kills.
        this.#opts.log(`internal error during shutdown: ${(e as Error)?.stack ?? String(e)}`);
      }
    }
    await this.services.killAll();
    for (let i = 0; i < this.db.size; i++) this.state.update(i, { pid: null, pgid: null });
    this.state.writeFinal(true);
    this.#phase = 'stopped';
    this.#opts.log(`every service is down; exiting with code ${this.#exitCode}`);
    for (const h of this.#halters) h.conn.send(resultReply(h.id, 0, { code: this.#exitCode }));
    await this.#server.close();
    this.services.close();
    for (const fn of this.#exitListeners) fn(this.#exitCode);
    return this.#exitCode;
  }

  /** A bug in a shutdown hook is logged; it never keeps the services from going down. */
  async #guarded(fn: () => Promise<void>): Promise<void> {
    try {
      await fn();
    } catch (e) {
      this.#opts.log(`internal error before the shutdown: ${(e as Error)?.stack ?? String(e)}`);
    }
  }

  #toHalters(e: EngineEvent): void {
    for (const h of this.#halters) h.conn.send(eventReply(h.id, { kind: 'engine', event: e }));
    this.#broadcast({ kind: 'engine', event: e });
  }

  #broadcast(event: StreamEvent): void {
    for (const [c, id] of this.#subscribers) c.send(eventReply(id, event));
  }

  #handle(r: Request, conn: Connection): void {
    if (isTransition(r)) return this.#transition(r, conn);
    switch (r.op) {
      case 'status':
        return handleStatus(this, r, conn);
      case 'list':
        return handleList(this, r, conn);
      case 'wait':
        return handleWait(this, r, conn);
      case 'svc':
        return handleSvc(this, r, conn);
      case 'logs':
        return handleLogs(this, r, conn);
      case 'subscribe':
        this.#subscribers.set(conn, r.id);
        conn.onClose(() => this.#subscribers.delete(conn));
        conn.send(eventReply(r.id, { kind: 'snapshot', daemon: this.info(), services: statusRows(this, null) }));
        return;
      case 'halt':
        if (this.#phase === 'stopped') return void conn.send(resultReply(r.id, 0, { code: this.#exitCode }));
        // Without `wait` the reply comes at once: `rc halt` from a service's finish script must not
        // wait for a shutdown that itself waits for that finish script.
        if (r.wait) this.#halters.push({ conn, id: r.id });
        void this.shutdown(r.code);
        if (!r.wait) conn.send(resultReply(r.id, 0, { code: this.#exitCode, accepted: true }));
        return;
      case 'scan':
        return this.#scan(r, conn);
    }
  }

  /** `rc scan`: queued like a transition, so a rescan never runs next to a change. */
  #scan(r: Extract<Request, { op: 'scan' }>, conn: Connection): void {
    const scanner = this.#opts.scanner;
    if (!scanner) return void conn.send(errorReply(r.id, ExitCode.usage, 'this daemon was not started with --scandir: there is nothing to scan'));
    if (this.#phase !== 'running') return void conn.send(errorReply(r.id, ExitCode.system, 'the daemon is shutting down'));
    const run = async (): Promise<void> => {
      const abort = (this.#current = new AbortController());
      try {
        await serveScan(scanner, this, { request: r, conn, signal: abort.signal, broadcast: (e) => this.#broadcast(e) });
      } finally {
        this.#current = null;
      }
    };
    const queued = this.#queue.enqueue({ label: 'scan', run, dropped: () => conn.send(errorReply(r.id, ExitCode.system, "'scan' was dropped: the daemon is shutting down")) });
    if (queued.position > 0) conn.send({ v: PROTOCOL_VERSION, id: r.id, type: 'queued', position: queued.position, running: this.#queue.running ?? '' });
    conn.onClose(() => queued.cancel());
  }

  #transition(r: TransitionRequest, conn: Connection): void {
    if (this.#phase !== 'running') return void conn.send(errorReply(r.id, ExitCode.system, 'the daemon is shutting down'));
    const prepared = prepareTransition(this.db, r);
    if (!prepared.ok) return void conn.send(errorReply(r.id, prepared.error.exitCode, prepared.error.message, prepared.error.hint));
    const p = prepared.value;
    if (r.dryRun) {
      const planned = planNow(this, p);
      if (!planned.ok) return void conn.send(errorReply(r.id, planned.error.exitCode, planned.error.message));
      return void conn.send(resultReply(r.id, 0, { plan: planned.value, notes: [] }));
    }
    if (r.noWait && this.#queue.busy) {
      return void conn.send(errorReply(r.id, ExitCode.system, `the daemon is busy with '${this.#queue.running}' (run without --no-wait to queue)`));
    }
    const db = this.db;
    const job = {
      label: p.label,
      run: () => this.#runJob(r, db === this.db ? ok(p) : prepareTransition(this.db, r), conn),
      dropped: () => conn.send(errorReply(r.id, ExitCode.system, `'${p.label}' was dropped: the daemon is shutting down`)),
    };
    const queued = this.#queue.enqueue(job);
    if (queued.position > 0) {
      conn.send({ v: PROTOCOL_VERSION, id: r.id, type: 'queued', position: queued.position, running: this.#queue.running ?? '' });
    }
    conn.onClose(() => queued.cancel());
  }

  /** `prepared` is resolved again when a rescan replaced the db while the request waited. */
  async #runJob(r: TransitionRequest, prepared: Result<PreparedTransition, RequestError>, conn: Connection): Promise<void> {
    if (conn.closed) return;
    if (!prepared.ok) return void conn.send(errorReply(r.id, prepared.error.exitCode, prepared.error.message, prepared.error.hint));
    const p = prepared.value;
    const planned = planNow(this, p);
    if (!planned.ok) return void conn.send(errorReply(r.id, planned.error.exitCode, planned.error.message));
    updateWanted(this, p, planned.value);
    const abort = new AbortController();
    this.#current = abort;
    this.services.setOutputListener((service, stream, line) => conn.send(eventReply(r.id, { kind: 'output', service, stream, line })));
    try {
      const res = await runPlan(this, planned.value, {
        timeoutMs: r.timeoutMs,
        jobs: r.jobs || (this.#opts.jobs ?? 0),
        signal: abort.signal,
        onEvent: (e) => {
          conn.send(eventReply(r.id, { kind: 'engine', event: e }));
          this.#broadcast({ kind: 'engine', event: e });
        },
      });
      conn.send(resultReply(r.id, res.exitCode, res.data));
    } catch (e) {
      conn.send(errorReply(r.id, ExitCode.system, `internal error in the daemon: ${(e as Error)?.message ?? String(e)}`));
      throw e;
    } finally {
      this.services.setOutputListener(null);
      this.#current = null;
    }
  }
}

export const eventReply = (id: number | null, event: StreamEvent): Reply => ({ v: PROTOCOL_VERSION, id, type: 'event', event });

/** A Connection that hands replies to a callback (requests the daemon makes itself, like the boot change). */
export function callbackConnection(onReply: (reply: Reply) => void): Connection {
  return {
    id: 0,
    closed: false,
    send: (reply) => {
      onReply(reply);
      return true;
    },
    onClose: () => undefined,
    close: () => undefined,
  };
}
