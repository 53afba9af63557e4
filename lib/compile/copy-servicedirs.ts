// Fill COMPILED/servicedirs/NAME/ for every atomic service: run/finish 0755, canonical numbers, data/env/template.
import { chmodSync, copyFileSync, cpSync, mkdirSync, realpathSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { err, ok, type Result } from '../core/result.js';
import { SERVICEDIRS } from '../db/types.js';
import type { WriteDbError } from '../db/write.js';
import type { SourceAtomic, SourceLongrun, SourceOneshot } from '../source/types.js';

const EXECUTABLES = new Set(['run', 'finish']);
/** Oneshot entries that describe the service to the compiler and are not copied. */
const ONESHOT_SKIP = new Set(['dependencies.d', 'type']);

function copyExecutable(from: string, to: string): void {
  copyFileSync(from, to);
  chmodSync(to, 0o755);
}

function copyTree(from: string, to: string): void {
  cpSync(realpathSync(from), to, { recursive: true, verbatimSymlinks: true });
}

function fillLongrun(s: SourceLongrun, dst: string): void {
  copyExecutable(join(s.dir, 'run'), join(dst, 'run'));
  if (s.hasFinish) copyExecutable(join(s.dir, 'finish'), join(dst, 'finish'));
  const numbers: [string, number | null][] = [
    ['notification-fd', s.notificationFd],
    ['lock-fd', s.lockFd],
    ['timeout-kill', s.timeoutKill],
    ['timeout-finish', s.timeoutFinish],
    ['max-death-tally', s.maxDeathTally],
  ];
  for (const [file, value] of numbers) if (value !== null) writeFileSync(join(dst, file), `${value}\n`);
  if (s.downSignalText !== null) writeFileSync(join(dst, 'down-signal'), `${s.downSignalText}\n`);
  for (const d of s.copyDirs) copyTree(join(s.dir, d), join(dst, d));
  if (s.copyDirs.includes('template')) {
    mkdirSync(join(dst, 'instances'), { recursive: true });
    mkdirSync(join(dst, 'instance'), { recursive: true });
  }
}

/** A oneshot's folder gets every file of its definition (helper scripts beside `up`), except markers. */
function fillOneshot(s: SourceOneshot, dst: string): void {
  for (const name of s.entries) {
    if (name.startsWith('.') || ONESHOT_SKIP.has(name)) continue;
    const from = join(s.dir, name);
    const st = statSync(from, { throwIfNoEntry: false });
    if (st === undefined) continue;
    if (st.isDirectory()) copyTree(from, join(dst, name));
    else if (st.isFile()) {
      if (EXECUTABLES.has(name)) copyExecutable(from, join(dst, name));
      else copyFileSync(from, join(dst, name));
    }
  }
}

const isFsError = (e: unknown): e is NodeJS.ErrnoException => typeof (e as NodeJS.ErrnoException)?.code === 'string';

/** The populate step of writeDb: one folder per atomic service, in index order. */
export function copyServicedirs(definitions: readonly SourceAtomic[]) {
  return (tmp: string): Result<void, WriteDbError> => {
    const root = join(tmp, SERVICEDIRS);
    for (const s of definitions) {
      const dst = join(root, s.name);
      try {
        mkdirSync(dst);
        if (s.type === 'longrun') fillLongrun(s, dst);
        else fillOneshot(s, dst);
      } catch (e) {
        if (!isFsError(e)) throw e;
        const where = e.path ?? s.dir;
        return err({ code: 'system', path: where, message: `unable to copy ${s.dir} into the compiled database: ${e.code}: ${where}` });
      }
    }
    return ok(undefined);
  };
}
