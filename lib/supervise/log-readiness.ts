// ready-log (rc extension): readiness from the first output line (stdout or stderr) that matches a regular expression.
import { StringDecoder } from 'node:string_decoder';
import type { Clock, TimerHandle } from '../core/clock.js';
import type { LogReadiness } from '../db/types.js';

/** A line longer than this is matched in pieces of this size (a daemon printing without newlines cannot grow memory). */
export const MAX_MATCHED_LINE = 64 * 1024;

/** Calls `onLine` with each whole line of `stream` (and the rest at its end); returns the detach function. */
function eachLine(stream: NodeJS.ReadableStream, onLine: (line: string) => void): () => void {
  const decoder = new StringDecoder('utf8');
  let pending = '';
  const onData = (chunk: Buffer | string): void => {
    pending += typeof chunk === 'string' ? chunk : decoder.write(chunk);
    let nl = pending.indexOf('\n');
    while (nl !== -1) {
      onLine(pending.slice(0, nl));
      pending = pending.slice(nl + 1);
      nl = pending.indexOf('\n');
    }
    while (pending.length > MAX_MATCHED_LINE) {
      onLine(pending.slice(0, MAX_MATCHED_LINE));
      pending = pending.slice(MAX_MATCHED_LINE);
    }
  };
  const onEnd = (): void => {
    if (pending !== '') onLine(pending);
    pending = '';
  };
  stream.on('data', onData);
  stream.on('end', onEnd);
  return () => {
    stream.removeListener('data', onData);
    stream.removeListener('end', onEnd);
  };
}

/**
 * Watch the run's output streams (those the daemon reads: stdout unless it feeds a pipeline, and
 * stderr) for a line matching `probe.pattern`: the first match is ready. With `timeoutMs` > 0 the
 * run is never ready once it passes without a match. Lines still go to the service's log as before.
 */
export function watchLogLine(
  probe: LogReadiness,
  streams: readonly (NodeJS.ReadableStream | null)[],
  clock: Clock,
  cb: { ready(): void; notReady(reason: 'timeout', message: string): void },
): { stop(): void } {
  const pattern = new RegExp(probe.pattern);
  let active = true;
  const detach: (() => void)[] = [];
  let deadline: TimerHandle | null = null;
  const stop = (): void => {
    if (!active) return;
    active = false;
    deadline?.cancel();
    for (const d of detach) d();
  };
  const onLine = (line: string): void => {
    if (!active || !pattern.test(line)) return;
    stop();
    cb.ready();
  };
  for (const s of streams) if (s) detach.push(eachLine(s, onLine));
  if (probe.timeoutMs > 0) {
    deadline = clock.setTimer(probe.timeoutMs, () => {
      if (!active) return;
      stop();
      cb.notReady('timeout', `ready-log: no output line matched /${probe.pattern}/ within ${probe.timeoutMs} ms`);
    });
  }
  return { stop };
}
