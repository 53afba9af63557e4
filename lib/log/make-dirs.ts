// makeDirs: create a directory and its missing parents one level at a time (never Node's recursive mkdir).
//
// `mkdirSync(dir, { recursive: true })` never returns when mkdir of the leaf fails with ENOENT
// although its parent exists (a path under /proc, for instance): Node retries for ever at 100 %
// CPU. Here every level is created once; such an error is thrown like any other, and callers
// report it and retry on their own schedule.
import { existsSync, mkdirSync } from 'node:fs';
import { dirname, resolve } from 'node:path';

/** Create `dir` and any missing parent (an existing one is fine); throws the first mkdir error. */
export function makeDirs(dir: string, mode = 0o777): void {
  const missing: string[] = [];
  for (let d = resolve(dir); !existsSync(d); d = dirname(d)) {
    missing.push(d);
    if (dirname(d) === d) break;
  }
  for (const d of missing.reverse()) {
    try {
      mkdirSync(d, { mode });
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
    }
  }
}
