// Daemon: the running root. Serves the control socket, queues transitions, records state, shuts down in order.
//
// Desired vs current state (dinit): `wanted` is what the last request asked for; `up` is what
// the engine achieved, recorded after every single success. Transitions run one at a time in
// arrival order (jobs.ts); read-only requests are answered at once, also while a transition runs
// (handlers.ts).
//
//   running ──shutdown(code)──▶ stopping ──(everything down, groups killed)──▶ stopped ─▶ 'exit'(code)
import type { Clock } from '../core/clock.js';
import type { Result } from '../core/result.js';
import type { Db } from '../db/db.js';
import type { EngineEvent } from '../engine/events.js';
import type { RingStore } from '../log/ring.js';
import { callbackConnection, ControlServer, eventReply, resultReply, type Connection } from '../control/server.js';
import { PROTOCOL_VERSION, isTransition, type DaemonInfo, type Request, type StreamEvent } from '../control/protocol.js';
import type { LivePaths } from '../live/live-dir.js';
import type { LiveStateStore } from '../live/live-state.js';
import { Jobs } from './jobs.js';
import { statusRows } from './queries.js';
import type { ServiceSet } from './service-set.js';
import { stopEverything } from './shutdown.js';
import type { TransitionHost } from './transitions.js';
import { handleList, handleLogs, handleStatus, handleSvc, handleWait, type HandlerHost } from './handlers.js';
import type { Scanner } from '../scandir/scanner.js';

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
  readonly #jobs: Jobs;
  /** Subscribed connections and the id of their subscribe request (events are sent under it). */
  readonly #subscribers = new Map<Connection, number>();
  readonly #stateListeners = new Set<() => void>();
  readonly #exitListeners: ((code: number) => void)[] = [];
  readonly #beforeShutdown: (() => Promise<void>)[] = [];
  /** `rc halt --wait` clients: answered once everything is down. */
  readonly #halters: { conn: Connection; id: number }[] = [];
  readonly #startedAt: number;
  #phase: DaemonPhase = 'running';
  /** Aborted by forceKill: the orderly stops are skipped. */
  readonly #shutdownAbort = new AbortController();
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
    this.#jobs = new Jobs({ host: this, jobs: opts.jobs ?? 0, scanner: opts.scanner, broadcast: (e) => this.#broadcast(e), log: opts.log });
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
      busy: this.#jobs.running,
      queued: this.#jobs.length,
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
    return this.#call({ v: PROTOCOL_VERSION, id: 0, op: 'change', targets, dryRun: false, force: false, timeoutMs, jobs: 0, noWait: false }, onEvent);
  }

  /** Stream what a subscribed client gets (rc boot prints the progress of every transition, the shutdown's too). */
  subscribe(onEvent: (e: StreamEvent) => void): void {
    this.#handle({ v: PROTOCOL_VERSION, id: 0, op: 'subscribe' }, callbackConnection((reply) => void (reply.type === 'event' && onEvent(reply.event))));
  }

  /** SIGHUP in scandir mode: rescan, queued like `rc scan`; resolves with its exit code. */
  rescan(onEvent?: (e: StreamEvent) => void): Promise<number> {
    return this.#call({ v: PROTOCOL_VERSION, id: 0, op: 'scan', timeoutMs: 0 }, onEvent);
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
    if (!this.#shutdown) void this.shutdown(this.#exitCode);
    this.#shutdownAbort.abort();
    void this.services.killAll();
  }

  async #runShutdown(): Promise<number> {
    const { log, killGraceMs } = this.#opts;
    log('shutting down: stopping every service');
    await Promise.all([this.#jobs.stop(), ...this.#beforeShutdown.map((fn) => this.#guarded(fn))]);
    await stopEverything(this, { killGraceMs, signal: this.#shutdownAbort.signal, onEvent: (e) => this.#toHalters(e), log });
    this.#phase = 'stopped';
    log(`every service is down; exiting with code ${this.#exitCode}`);
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

  /** A request the daemon makes itself (the boot change, SIGHUP's rescan); resolves with its exit code. */
  #call(request: Request, onEvent?: (e: StreamEvent) => void): Promise<number> {
    return new Promise((resolve) => {
      const conn = callbackConnection((reply) => {
        if (reply.type === 'event') onEvent?.(reply.event);
        if (reply.type === 'result' || reply.type === 'error') resolve(reply.exitCode);
        if (reply.type === 'error') this.#opts.log(reply.message);
      });
      this.#handle(request, conn);
    });
  }

  #handle(r: Request, conn: Connection): void {
    if (isTransition(r)) return this.#jobs.transition(r, conn);
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
        return this.#halt(r, conn);
      case 'scan':
        return this.#jobs.scan(r, conn);
    }
  }

  #halt(r: Extract<Request, { op: 'halt' }>, conn: Connection): void {
    if (this.#phase === 'stopped') return void conn.send(resultReply(r.id, 0, { code: this.#exitCode }));
    // Without `wait` the reply comes at once: `rc halt` from a service's finish script must not
    // wait for a shutdown that itself waits for that finish script.
    if (r.wait) this.#halters.push({ conn, id: r.id });
    void this.shutdown(r.code);
    if (!r.wait) conn.send(resultReply(r.id, 0, { code: this.#exitCode, accepted: true }));
  }
}
