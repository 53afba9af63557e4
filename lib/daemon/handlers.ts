// Handlers of the requests that do not go through the queue: status, list, wait, svc, logs.
import { ExitCode } from '../core/exit-codes.js';
import type { Clock } from '../core/clock.js';
import type { DaemonInfo, Request, WaitCondition } from '../control/protocol.js';
import { errorReply, eventReply, resultReply, type Connection } from '../control/server.js';
import { listNames, statusRows, tailLogs, type QueryHost } from './queries.js';
import { resolveNames } from './resolve.js';
import type { WaitOutcome } from './service-set.js';
import type { RingStore } from '../log/ring.js';

type Req<Op extends Request['op']> = Extract<Request, { op: Op }>;

export interface HandlerHost extends QueryHost {
  readonly ring: RingStore | null;
  readonly clock: Clock;
  info(): DaemonInfo;
  /** Subscribe to changes of the recorded state and of supervisors; returns the unsubscribe. */
  watchState(fn: () => void): () => void;
}

/** Resolve names, or reply with the error and return null. No names = null selection (everything). */
function select(host: QueryHost, names: readonly string[], conn: Connection, id: number): number[] | null | false {
  if (names.length === 0) return null;
  const r = resolveNames(host.db, names);
  if (r.ok) return r.value;
  conn.send(errorReply(id, r.error.exitCode, r.error.message, r.error.hint));
  return false;
}

export function handleStatus(host: HandlerHost, r: Req<'status'>, conn: Connection): void {
  const sel = select(host, r.names, conn, r.id);
  if (sel === false) return;
  conn.send(resultReply(r.id, 0, { daemon: host.info(), services: statusRows(host, sel) }));
}

export function handleList(host: HandlerHost, r: Req<'list'>, conn: Connection): void {
  const sel = select(host, r.names, conn, r.id);
  if (sel === false) return;
  conn.send(resultReply(r.id, 0, { names: listNames(host, sel, r.filter) }));
}

export function handleSvc(host: HandlerHost, r: Req<'svc'>, conn: Connection): void {
  const sel = select(host, r.names, conn, r.id);
  if (sel === false || sel === null) return;
  const oneshots = sel.filter((i) => host.db.service(i).type === 'oneshot').map((i) => host.db.service(i).name);
  if (oneshots.length > 0 && oneshots.length === sel.length) {
    conn.send(errorReply(r.id, ExitCode.usage, `${oneshots.join(', ')}: rc svc controls longruns only (use rc up/down/restart for oneshots)`));
    return;
  }
  for (const i of sel) if (host.db.service(i).type === 'longrun') host.services.svc(i, r.commands);
  conn.send(resultReply(r.id, 0, null));
}

/** A oneshot has no supervisor: it is up when rc records it up (ready = up). */
function oneshotReached(host: HandlerHost, i: number, until: WaitCondition): boolean {
  const up = host.state.get(i).up;
  return until === 'down' ? !up : up;
}

function waitOneshot(host: HandlerHost, i: number, until: WaitCondition, signal: AbortSignal): Promise<WaitOutcome> {
  return new Promise((resolve) => {
    if (oneshotReached(host, i, until)) return resolve('reached');
    const done = (o: WaitOutcome) => {
      stop();
      signal.removeEventListener('abort', onAbort);
      resolve(o);
    };
    const onAbort = () => done('aborted');
    const stop = host.watchState(() => oneshotReached(host, i, until) && done('reached'));
    signal.addEventListener('abort', onAbort);
  });
}

export function handleWait(host: HandlerHost, r: Req<'wait'>, conn: Connection): void {
  const sel = select(host, r.names, conn, r.id);
  if (sel === false || sel === null) return;
  const abort = new AbortController();
  let timedOut = false;
  const timer = r.timeoutMs > 0 ? host.clock.setTimer(r.timeoutMs, () => ((timedOut = true), abort.abort())) : null;
  conn.onClose(() => abort.abort());
  const waits = sel.map((i) =>
    host.db.service(i).type === 'longrun'
      ? host.services.waitFor(i, r.until, 0, abort.signal)
      : waitOneshot(host, i, r.until, abort.signal),
  );
  // Names now: a rescan (scandir mode) may replace the db while this waits.
  const names = sel.map((i) => host.db.service(i).name);
  // A permanent failure ends the whole wait at once.
  const failures = sel.map((_i, k) =>
    waits[k]!.then((o) => {
      if (o === 'failed') abort.abort();
      return { name: names[k]!, outcome: o };
    }),
  );
  void Promise.all(failures).then((results) => {
    timer?.cancel();
    const failed = results.filter((x) => x.outcome === 'failed').map((x) => x.name);
    const pending = results.filter((x) => x.outcome !== 'reached').map((x) => x.name);
    if (failed.length > 0) {
      conn.send(resultReply(r.id, ExitCode.failed, { message: `${failed.join(', ')} failed permanently`, failed }));
    } else if (pending.length > 0) {
      const why = timedOut ? `timed out after ${r.timeoutMs} ms waiting for` : 'stopped waiting for';
      conn.send(resultReply(r.id, timedOut ? ExitCode.timeout : ExitCode.system, { message: `${why} ${pending.join(', ')} to be ${r.until}`, pending }));
    } else {
      conn.send(resultReply(r.id, 0, null));
    }
  });
}

export function handleLogs(host: HandlerHost, r: Req<'logs'>, conn: Connection): void {
  const ring = host.ring;
  if (!ring) return void conn.send(errorReply(r.id, ExitCode.system, 'this daemon keeps no logs (it was started with its output going elsewhere)'));
  const sel = select(host, r.names, conn, r.id);
  if (sel === false) return;
  const names = sel === null ? host.db.index.services.map((s) => s.name) : sel.map((i) => host.db.service(i).name);
  const lines = tailLogs(ring, names, r.lines);
  if (!r.follow) return void conn.send(resultReply(r.id, 0, { lines }));
  const send = (l: { service: string; stream: 'stdout' | 'stderr'; line: string; time: number }) => conn.send(eventReply(r.id, { kind: 'log', ...l }));
  for (const l of lines) send(l);
  const wanted = new Set(names);
  const unsubscribe = ring.subscribe((l) => wanted.has(l.service) && send(l));
  conn.onClose(unsubscribe);
}
