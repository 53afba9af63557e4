// ready-log under `rc run`: the first output line (stdout or stderr) matching the pattern makes the run ready.
import type { ReadinessCallbacks, ReadinessWatch } from './readiness.js';

/** A line longer than this is matched on its first part only (a runaway line must not grow a buffer). */
export const MAX_LINE = 64 * 1024;

/** Scan `streams` line by line; `cb.ready` once, at the first match; `cb.notReady` when all end without one. */
export function watchLogLines(streams: readonly NodeJS.ReadableStream[], pattern: RegExp, cb: ReadinessCallbacks): ReadinessWatch {
  let active = true;
  let open = streams.length;
  const detach: (() => void)[] = [];
  const stop = (): void => {
    active = false;
    for (const d of detach.splice(0)) d();
  };
  for (const stream of streams) {
    let partial = '';
    const test = (line: string): boolean => pattern.test(line.length > MAX_LINE ? line.slice(0, MAX_LINE) : line);
    const onData = (chunk: Buffer | string): void => {
      if (!active) return;
      const lines = (partial + chunk.toString()).split('\n');
      partial = (lines.pop() ?? '').slice(0, MAX_LINE);
      if (lines.some(test)) {
        stop();
        cb.ready();
      }
    };
    const onEnd = (): void => {
      if (!active) return;
      if (partial !== '' && test(partial)) {
        stop();
        return cb.ready();
      }
      if (--open === 0) {
        stop();
        cb.notReady('eof', `the output ended without a line matching ready-log ${pattern.source}`);
      }
    };
    stream.on('data', onData);
    stream.on('end', onEnd);
    detach.push(() => {
      stream.removeListener('data', onData);
      stream.removeListener('end', onEnd);
    });
  }
  return { stop };
}
