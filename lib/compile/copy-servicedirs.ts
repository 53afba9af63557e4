// Fill COMPILED/servicedirs/NAME/ for every atomic service: run/finish 0755, canonical numbers, data/env/template.
import { chmodSync, closeSync, copyFileSync, cpSync, fchmodSync, fstatSync, mkdirSync, openSync, realpathSync, statSync, writeFileSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { err, ok, type Result } from '../core/result.js';
import { SERVICEDIRS } from '../db/types.js';
import type { WriteDbError } from '../db/write.js';
import type { ScriptCopy, SourceAtomic, SourceLongrun, SourceOneshot } from '../source/types.js';

const EXECUTABLES = new Set(['run', 'finish']);
/** Oneshot files the compiler reads (into the index) rather than copies. */
const ONESHOT_SKIP = new Set(['type', 'up', 'down', 'dependencies', 'dependencies.d', 'timeout-up', 'timeout-down', 'flag-essential']);

function copyExecutable(from: string, to: string): void {
  copyFileSync(from, to);
  chmodSync(to, 0o755);
}

/**
 * Writes scripts read earlier with mode 0755: open, write, close, plus fchmod until one file shows
 * the umask leaves 0755 intact (then the fchmod is skipped: one system call less per longrun).
 */
class ScriptWriter {
  #umaskKeeps0755 = false;

  write(script: ScriptCopy, from: string, to: string): void {
    if (script.bytes === null) {
      copyExecutable(from, to);
      return;
    }
    const fd = openSync(to, 'w', 0o755);
    try {
      writeSync(fd, script.bytes, null, 'latin1');
      if (!this.#umaskKeeps0755) {
        this.#umaskKeeps0755 = (fstatSync(fd).mode & 0o777) === 0o755;
        if (!this.#umaskKeeps0755) fchmodSync(fd, 0o755);
      }
    } finally {
      closeSync(fd);
    }
  }
}

function copyTree(from: string, to: string): void {
  cpSync(realpathSync(from), to, { recursive: true, verbatimSymlinks: true });
}

function fillLongrun(s: SourceLongrun, dst: string, scripts: ScriptWriter): void {
  scripts.write(s.run, `${s.dir}/run`, `${dst}/run`);
  if (s.finish !== null) scripts.write(s.finish, `${s.dir}/finish`, `${dst}/finish`);
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
    const scripts = new ScriptWriter();
    for (const s of definitions) {
      const dst = `${root}/${s.name}`;
      try {
        mkdirSync(dst);
        if (s.type === 'longrun') fillLongrun(s, dst, scripts);
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
