// The oneshot waiter: a tiny /bin/sh that runs a oneshot's script as its child and records the exit
// status in LIVE/oneshots/<its pid>, so the outcome survives a `kill -9` of the daemon.
import { accessSync, closeSync, constants, openSync, readSync, rmSync, statSync } from 'node:fs';
import { constants as osConstants } from 'node:os';
import { delimiter, isAbsolute, join, resolve } from 'node:path';
import type { ChildEnd } from './spawner.js';

/**
 * The waiter's script for records in `dir`; its arguments are the script's argv. The record is
 * named after the waiter's own pid ($$): the pgid the daemon journals. Signals that stop the group
 * (a timeout, the next daemon's recovery) are trapped so the waiter outlives the script and
 * records how it ended; a trap (unlike an ignored signal) is reset to the default in the script.
 * The record is one write(2) of a few bytes into a file created O_EXCL (`set -C`: never an
 * existing file or a planted link), after the script ended; a reader wants its final newline, so
 * a torn record (an empty file) reads as none. No temp file + mv: mv is one more exec per oneshot,
 * and a record is only read once its waiter is gone. sh's status 128+N (killed by signal N) is
 * recorded and exited as is.
 */
export function waiterScript(dir: string): string {
  return [
    'set -C',
    `r=${shellQuote(dir)}/$$`,
    "trap ':' HUP INT QUIT TERM",
    '"$@"',
    's=$?',
    "printf '%s\\n' \"$s\" > \"$r\"",
    'exit "$s"',
  ].join('\n');
}

/** Where records go and the shell that runs the waiter. */
export interface OneshotRecords {
  dir: string;
  shell: string;
}

/** The shell for the waiter, or null when there is none (oneshots then run directly, without a record). */
export function waiterShell(path = '/bin/sh'): string | null {
  try {
    accessSync(path, constants.X_OK);
    return path;
  } catch {
    return null;
  }
}

const isExecutableFile = (path: string): boolean => {
  try {
    if (!statSync(path).isFile()) return false;
    accessSync(path, constants.X_OK);
    return true;
  } catch {
    return false;
  }
};

/** The first bytes of a file (empty when unreadable). */
function head(path: string): Buffer {
  try {
    const fd = openSync(path, 'r');
    try {
      const buf = Buffer.alloc(256);
      return buf.subarray(0, readSync(fd, buf, 0, buf.length, 0));
    } finally {
      closeSync(fd);
    }
  } catch {
    return Buffer.alloc(0);
  }
}

/**
 * The path `file` would be executed from, when that exec will surely work: an executable ELF
 * file, or a `#!` script whose interpreter is an executable file. Anything else (missing, not
 * executable, no magic, a missing interpreter) gives null: the script then runs directly, so a
 * failed exec is reported exactly as without the waiter.
 */
export function surelyExecutable(file: string, cwd: string, env: NodeJS.ProcessEnv): string | null {
  const candidates = file.includes('/') ? [isAbsolute(file) ? file : resolve(cwd, file)] : (env['PATH'] ?? '').split(delimiter).filter(Boolean).map((d) => join(d, file));
  const path = candidates.find(isExecutableFile);
  if (path === undefined) return null;
  const h = head(path);
  if (h[0] === 0x7f && h.subarray(1, 4).toString('latin1') === 'ELF') return path;
  if (h[0] !== 0x23 || h[1] !== 0x21) return null;
  const interpreter = /^#!\s*(\S+)/.exec(h.toString('latin1'))?.[1];
  return interpreter !== undefined && isAbsolute(interpreter) && isExecutableFile(interpreter) ? path : null;
}

/** The argv that runs `path args` under the waiter, recording into `records.dir`. */
export function waiterArgs(records: OneshotRecords, path: string, args: readonly string[]): { file: string; args: string[] } {
  return { file: records.shell, args: ['-c', waiterScript(records.dir), 'rc-oneshot', path, ...args] };
}

const shellQuote = (s: string): string => `'${s.replace(/'/g, `'\\''`)}'`;

const SIGNAL_NAMES = new Map(Object.entries(osConstants.signals).map(([name, n]) => [n, name as NodeJS.Signals]));

/**
 * The script's end as the waiter tells it: its exit code, and a status of 128+N (N a signal)
 * read as "killed by signal N" — ambiguous with a script that exits 129..192 itself.
 */
export function endThroughWaiter(end: ChildEnd): ChildEnd {
  if (end.kind !== 'exit' || end.code === null || end.code <= 128) return end;
  const signal = SIGNAL_NAMES.get(end.code - 128);
  return signal ? { kind: 'exit', code: null, signal } : end;
}

/** Remove the record of the waiter `pid` once the daemon saw its end itself. */
export function dropRecord(records: OneshotRecords, pid: number): void {
  rmSync(join(records.dir, String(pid)), { force: true });
}
