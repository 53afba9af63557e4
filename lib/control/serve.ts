// The control socket as an adapter over the typed daemon API: the only place that turns wire requests into API calls and answers into replies.
import type { Adapter, AdapterHost, Answer, CallContext, TransitionFlags } from '../daemon/types.js';
import type { Op, Request, ResultDataMap } from './protocol.js';
import { ControlServer, errorReply, eventReply, queuedReply, resultReply, type Connection } from './server.js';

const flagsOf = (r: TransitionFlags): TransitionFlags => ({ dryRun: r.dryRun, force: r.force, timeoutMs: r.timeoutMs, jobs: r.jobs, noWait: r.noWait });

/** Serve one valid request: call the API, stream its events, send its one answer. */
export function serveRequest(api: AdapterHost, r: Request, conn: Connection): void {
  const left = new AbortController();
  conn.onClose(() => left.abort());
  const ctx: CallContext & { signal: AbortSignal } = {
    signal: left.signal,
    onEvent: (e) => void conn.send(eventReply(r.id, e)),
    onQueued: (position, running) => void conn.send(queuedReply(r.id, position, running)),
  };
  const answer = (a: Answer<ResultDataMap[Op]>): void =>
    void conn.send(a.ok ? resultReply(r.id, a.value.exitCode, a.value.data) : errorReply(r.id, a.error.exitCode, a.error.message, a.error.hint));
  const later = (p: Promise<Answer<ResultDataMap[Op]>>): void => void p.then(answer);
  switch (r.op) {
    case 'change':
      return later(api.transition({ op: 'change', names: r.targets, ...flagsOf(r) }, ctx));
    case 'up':
    case 'down':
      return later(api.transition({ op: r.op, names: r.names, ...flagsOf(r) }, ctx));
    case 'restart':
      return later(api.transition({ op: 'restart', names: r.names, deps: r.deps, ...flagsOf(r) }, ctx));
    case 'status':
      return answer(api.status(r.names));
    case 'list':
      return answer(api.list(r.names, r.filter));
    case 'wait':
      return later(api.wait(r.names, r.until, r.timeoutMs, ctx));
    case 'svc':
      return answer(api.svc(r.names, r.commands));
    case 'halt':
      return later(api.halt(r.code, r.wait, api.originOfPid(r.pid ?? null)));
    case 'logs': {
      if (!r.follow) return answer(api.logs(r.names, r.lines));
      // A follow streams until the client hangs up; only a refusal is answered.
      const followed = api.followLogs(r.names, r.lines, ctx);
      if (!followed.ok) answer(followed);
      return;
    }
    case 'subscribe':
      return api.subscribe((e) => void conn.send(eventReply(r.id, e)), left.signal);
    case 'scan':
      return later(api.scan(r.timeoutMs, ctx));
    case 'update': {
      const { v: _v, id: _id, op: _op, ...call } = r;
      return later(api.update(call, ctx));
    }
  }
}

/** The control socket at LIVE/control, serving the daemon until its shutdown is over. */
export const controlSocket: Adapter = async (host) => {
  const server = new ControlServer({
    path: host.paths.socket,
    handler: (r, conn) => serveRequest(host, r, conn),
    onInternalError: (e) => host.message(`error: internal error: ${(e as Error)?.stack ?? String(e)}`),
  });
  const listening = await server.listen();
  return listening.ok ? { ok: true, value: { close: () => server.close() } } : listening;
};
