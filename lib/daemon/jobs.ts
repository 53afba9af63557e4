// Jobs: the queued requests (change/up/down/restart, scan), served one at a time in arrival order; the running one can be cancelled.
import { ExitCode } from '../core/exit-codes.js';
import { ok, type Result } from '../core/result.js';
import type { Request, StreamEvent, TransitionRequest } from '../control/protocol.js';
import { errorReply, eventReply, queuedReply, resultReply, type Connection } from '../control/server.js';
import { RequestQueue } from './queue.js';
import type { RequestError } from './resolve.js';
import { serveScan, type ScanHost, type Scanner } from '../scandir/scanner.js';
import { planNow, prepareTransition, runPlan, updateWanted, type PreparedTransition } from './transitions.js';

export interface JobsOptions {
  /** The daemon: its db, state and services (a rescan replaces the db). */
  host: ScanHost;
  /** Default cap on concurrent transitions (0 = none). */
  jobs: number;
  /** Scandir mode (`rc boot --scandir`): serves `rc scan`; absent otherwise. */
  scanner?: Scanner;
  /** Engine events also go to the daemon's subscribers. */
  broadcast(event: StreamEvent): void;
  log(message: string): void;
}

const SHUTTING_DOWN = 'the daemon is shutting down';

export class Jobs {
  readonly #o: JobsOptions;
  readonly #queue: RequestQueue;
  /** Aborts the job that runs now (at shutdown). */
  #current: AbortController | null = null;

  constructor(o: JobsOptions) {
    this.#o = o;
    this.#queue = new RequestQueue((e, job) => o.log(`internal error while serving '${job.label}': ${(e as Error)?.stack ?? String(e)}`));
  }

  /** The label of what runs now ("change default"), or null. */
  get running(): string | null {
    return this.#queue.running;
  }

  /** How many requests wait. */
  get length(): number {
    return this.#queue.length;
  }

  /** Shutdown: drop the waiting requests, cancel the running one; resolves once nothing runs. */
  stop(): Promise<void> {
    this.#queue.close();
    this.#current?.abort();
    return this.#queue.whenIdle();
  }

  /** A change/up/down/restart: names are checked now, the plan is made when its turn comes. */
  transition(r: TransitionRequest, conn: Connection): void {
    if (this.#queue.closed) return void conn.send(errorReply(r.id, ExitCode.system, SHUTTING_DOWN));
    const { host } = this.#o;
    const prepared = prepareTransition(host.db, r);
    if (!prepared.ok) return void conn.send(errorReply(r.id, prepared.error.exitCode, prepared.error.message, prepared.error.hint));
    const p = prepared.value;
    if (r.dryRun) {
      const planned = planNow(host, p);
      if (!planned.ok) return void conn.send(errorReply(r.id, planned.error.exitCode, planned.error.message));
      return void conn.send(resultReply(r.id, 0, { plan: planned.value, notes: [] }));
    }
    if (r.noWait && this.#queue.busy) {
      return void conn.send(errorReply(r.id, ExitCode.system, `the daemon is busy with '${this.#queue.running}' (run without --no-wait to queue)`));
    }
    const db = host.db;
    // Resolved again when a rescan replaced the db while the request waited.
    this.#enqueue(r.id, p.label, conn, (signal) => this.#runTransition(r, db === host.db ? ok(p) : prepareTransition(host.db, r), conn, signal));
  }

  /** `rc scan`: queued like a transition, so a rescan never runs next to a change. */
  scan(r: Extract<Request, { op: 'scan' }>, conn: Connection): void {
    const { scanner, host, broadcast } = this.#o;
    if (!scanner) return void conn.send(errorReply(r.id, ExitCode.usage, 'this daemon was not started with --scandir: there is nothing to scan'));
    if (this.#queue.closed) return void conn.send(errorReply(r.id, ExitCode.system, SHUTTING_DOWN));
    this.#enqueue(r.id, 'scan', conn, (signal) => serveScan(scanner, host, { request: r, conn, signal, broadcast }));
  }

  /** Queue `run`; the client hears when it waits, and leaving drops it. */
  #enqueue(id: number, label: string, conn: Connection, run: (signal: AbortSignal) => Promise<void>): void {
    const queued = this.#queue.enqueue({
      label,
      run: async () => {
        const abort = (this.#current = new AbortController());
        try {
          await run(abort.signal);
        } finally {
          this.#current = null;
        }
      },
      dropped: () => conn.send(errorReply(id, ExitCode.system, `'${label}' was dropped: ${SHUTTING_DOWN}`)),
    });
    if (queued.position > 0) conn.send(queuedReply(id, queued.position, this.#queue.running ?? ''));
    conn.onClose(() => queued.cancel());
  }

  async #runTransition(r: TransitionRequest, prepared: Result<PreparedTransition, RequestError>, conn: Connection, signal: AbortSignal): Promise<void> {
    if (conn.closed) return;
    if (!prepared.ok) return void conn.send(errorReply(r.id, prepared.error.exitCode, prepared.error.message, prepared.error.hint));
    const { host, broadcast } = this.#o;
    const planned = planNow(host, prepared.value);
    if (!planned.ok) return void conn.send(errorReply(r.id, planned.error.exitCode, planned.error.message));
    updateWanted(host, prepared.value, planned.value);
    host.services.setOutputListener((service, stream, line) => conn.send(eventReply(r.id, { kind: 'output', service, stream, line })));
    try {
      const res = await runPlan(host, planned.value, {
        timeoutMs: r.timeoutMs,
        jobs: r.jobs || this.#o.jobs,
        signal,
        onEvent: (e) => {
          conn.send(eventReply(r.id, { kind: 'engine', event: e }));
          broadcast({ kind: 'engine', event: e });
        },
      });
      conn.send(resultReply(r.id, res.exitCode, res.data));
    } catch (e) {
      conn.send(errorReply(r.id, ExitCode.system, `internal error in the daemon: ${(e as Error)?.message ?? String(e)}`));
      throw e;
    } finally {
      host.services.setOutputListener(null);
    }
  }
}
