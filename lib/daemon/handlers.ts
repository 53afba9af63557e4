// The requests served at once (never queued): status, list, wait, svc, logs; each returns a typed answer.
import { ExitCode } from '../core/exit-codes.js';
import type { Clock } from '../core/clock.js';
import { err, ok } from '../core/result.js';
import type { RingStore } from '../log/ring.js';
import { listNames, statusRows, tailLogs, type QueryHost } from './queries.js';
import { resolveNames } from './resolve.js';
import type { WaitOutcome } from './service-set.js';
import { waitTargets } from './wait-targets.js';
import type {
  Answer,
  CallContext,
  DaemonInfo,
  ListFilter,
  ListResultData,
  LogsResultData,
  StatusResultData,
  SvcCommand,
  WaitCondition,
  WaitResultData,
} from './types.js';

export interface HandlerHost extends QueryHost {
  readonly ring: RingStore | null;
  readonly clock: Clock;
  info(): DaemonInfo;
  /** Subscribe to changes of the recorded state and of supervisors; returns the unsubscribe. */
  watchState(fn: () => void): () => void;
  /** `rc svc -d` / `rc down`: cancel the starts in flight of these services. */
  cancelStarts(indices: readonly number[], by: string): void;
}

const answer = <T>(data: T, exitCode = 0): Answer<T> => ok({ exitCode, data });

/** Resolve names; no names = null selection (everything). */
function select(host: QueryHost, names: readonly string[]): Answer<number[] | null> {
  if (names.length === 0) return answer(null);
  const r = resolveNames(host.db, names);
  return r.ok ? answer(r.value) : r;
}

export function status(host: HandlerHost, names: string[]): Answer<StatusResultData> {
  const sel = select(host, names);
  if (!sel.ok) return sel;
  return answer({ daemon: host.info(), services: statusRows(host, sel.value.data) });
}

export function list(host: HandlerHost, names: string[], filter: ListFilter): Answer<ListResultData> {
  const sel = select(host, names);
  if (!sel.ok) return sel;
  return answer({ names: listNames(host, sel.value.data, filter) });
}

export function svc(host: HandlerHost, names: string[], commands: SvcCommand[]): Answer<null> {
  const sel = select(host, names);
  if (!sel.ok) return sel;
  const chosen = sel.value.data ?? [];
  const oneshots = chosen.filter((i) => host.db.service(i).type === 'oneshot').map((i) => host.db.service(i).name);
  if (oneshots.length > 0 && oneshots.length === chosen.length) {
    return err({ exitCode: ExitCode.usage, message: `${oneshots.join(', ')}: rc svc controls longruns only (use rc up/down/restart for oneshots)` });
  }
  const longruns = chosen.filter((i) => host.db.service(i).type === 'longrun');
  // Down while a change waits for its start: that start is cancelled now, not after the change.
  if (commands.includes('d')) host.cancelStarts(longruns, 'rc svc -d');
  for (const i of longruns) host.services.svc(i, commands);
  return answer(null);
}

/** A oneshot has no supervisor: it is up when rc records it up (ready = up). */
function oneshotReached(host: HandlerHost, i: number, until: WaitCondition): boolean {
  const up = host.state.get(i).up;
  return until === 'down' ? !up : up;
}

function waitOneshot(host: HandlerHost, i: number, until: WaitCondition, signal: AbortSignal): Promise<WaitOutcome> {
  return new Promise((resolve) => {
    if (oneshotReached(host, i, until)) return resolve({ kind: 'reached' });
    const done = (o: WaitOutcome) => {
      stop();
      signal.removeEventListener('abort', onAbort);
      resolve(o);
    };
    const onAbort = () => done({ kind: 'aborted' });
    const stop = host.watchState(() => oneshotReached(host, i, until) && done({ kind: 'reached' }));
    signal.addEventListener('abort', onAbort);
  });
}

/** "db, cache to be healthy, init to be up": the names not reached, by condition (--healthy mixes them in a bundle). */
function pendingText(outcomes: readonly { name: string; until: WaitCondition; outcome: WaitOutcome }[]): string {
  const by = new Map<WaitCondition, string[]>();
  for (const x of outcomes) if (x.outcome.kind !== 'reached') by.set(x.until, [...(by.get(x.until) ?? []), x.name]);
  return [...by].map(([until, names]) => `${names.join(', ')} to be ${until}`).join(', ');
}

export async function wait(host: HandlerHost, names: string[], until: WaitCondition, timeoutMs: number, ctx: CallContext = {}): Promise<Answer<WaitResultData>> {
  const targets = waitTargets(host.db, names, until);
  if (!targets.ok) return targets;
  const abort = new AbortController();
  let timedOut = false;
  const timer = timeoutMs > 0 ? host.clock.setTimer(timeoutMs, () => ((timedOut = true), abort.abort())) : null;
  const leave = (): void => abort.abort();
  ctx.signal?.addEventListener('abort', leave, { once: true });
  // Names now: a rescan (scandir mode) may replace the db while this waits.
  const outcomes = await Promise.all(
    targets.value.data.map(async (t) => {
      const name = host.db.service(t.index).name;
      const longrun = host.db.service(t.index).type === 'longrun';
      const o = await (longrun ? host.services.waitFor(t.index, t.until, 0, abort.signal) : waitOneshot(host, t.index, t.until, abort.signal));
      // A permanent failure (for --healthy: also an unhealthy verdict) ends the whole wait at once.
      if (o.kind === 'failed') abort.abort();
      return { name, until: t.until, outcome: o };
    }),
  );
  timer?.cancel();
  ctx.signal?.removeEventListener('abort', leave);
  const failures = outcomes.filter((x) => x.outcome.kind === 'failed');
  const failed = failures.map((x) => x.name);
  const pending = outcomes.filter((x) => x.outcome.kind !== 'reached').map((x) => x.name);
  if (failed.length > 0) {
    const message = until === 'healthy' ? failures.map((x) => x.outcome.message ?? `${x.name} failed`).join('; ') : `${failed.join(', ')} failed permanently`;
    return answer({ message, failed }, ExitCode.failed);
  }
  if (pending.length === 0) return answer({});
  const why = timedOut ? `timed out after ${timeoutMs} ms waiting for` : 'stopped waiting for';
  return answer({ message: `${why} ${pendingText(outcomes)}`, pending }, timedOut ? ExitCode.timeout : ExitCode.system);
}

function logNames(host: HandlerHost, names: string[]): Answer<{ ring: RingStore; names: string[] }> {
  const ring = host.ring;
  if (!ring) return err({ exitCode: ExitCode.system, message: 'this daemon keeps no logs (it was started with its output going elsewhere)' });
  const sel = select(host, names);
  if (!sel.ok) return sel;
  const chosen = sel.value.data;
  return answer({ ring, names: chosen === null ? host.db.index.services.map((s) => s.name) : chosen.map((i) => host.db.service(i).name) });
}

export function logs(host: HandlerHost, names: string[], lines: number): Answer<LogsResultData> {
  const r = logNames(host, names);
  if (!r.ok) return r;
  return answer({ lines: tailLogs(r.value.data.ring, r.value.data.names, lines) });
}

/** The recent lines, then each new one, as `log` events until the caller goes away. */
export function followLogs(host: HandlerHost, names: string[], lines: number, ctx: CallContext & { signal: AbortSignal }): Answer<null> {
  const r = logNames(host, names);
  if (!r.ok) return r;
  const { ring, names: chosen } = r.value.data;
  for (const l of tailLogs(ring, chosen, lines)) ctx.onEvent?.({ kind: 'log', ...l });
  const wanted = new Set(chosen);
  const unsubscribe = ring.subscribe((l) => wanted.has(l.service) && ctx.onEvent?.({ kind: 'log', ...l }));
  if (ctx.signal.aborted) unsubscribe();
  else ctx.signal.addEventListener('abort', unsubscribe, { once: true });
  return answer(null);
}
