// The live directory: created mode 0700, locked so only one daemon runs on it, and the paths of what lives in it.
import { chmodSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { err, ok, type Result } from '../core/result.js';
import { makeDirs } from '../log/make-dirs.js';
import { lockFile, type FileLock } from './flock.js';

export { DEFAULT_LIVE } from '../core/defaults.js';
/** The control socket's file name inside the live directory. */
export const CONTROL_SOCKET = 'control';

export interface LivePaths {
  dir: string;
  lock: string;
  pid: string;
  state: string;
  journal: string;
  socket: string;
}

export const livePaths = (dir: string): LivePaths => {
  const abs = resolve(dir);
  return {
    dir: abs,
    lock: join(abs, 'lock'),
    pid: join(abs, 'pid'),
    state: join(abs, 'state.json'),
    journal: join(abs, 'pgids'),
    socket: join(abs, CONTROL_SOCKET),
  };
};

export interface LiveDir {
  paths: LivePaths;
  /**
   * True while LIVE/lock is still the file this daemon locked. False once the live directory was
   * removed or replaced (e.g. `rm -rf` and a new daemon on the same path): from then on, the
   * files under it belong to nobody or to another daemon, and this one must not touch them.
   */
  owned(): boolean;
  /** Release the lock (at daemon exit). */
  release(): void;
}

export type LiveDirError =
  | { kind: 'busy'; pid: number | null; message: string }
  | { kind: 'system'; message: string };

function readPid(path: string): number | null {
  try {
    const n = Number(readFileSync(path, 'utf8').trim());
    return Number.isInteger(n) && n > 0 ? n : null;
  } catch {
    return null;
  }
}

function ensureDir(dir: string): Result<void, LiveDirError> {
  try {
    makeDirs(dir, 0o700);
    if (!statSync(dir).isDirectory()) return err({ kind: 'system', message: `${dir} is not a directory` });
    chmodSync(dir, 0o700);
    return ok(undefined);
  } catch (e) {
    return err({ kind: 'system', message: `unable to create the live directory ${dir}: ${(e as Error).message}` });
  }
}

/** Create and lock the live directory for this daemon (`pid` is written once the lock is held). */
export function openLiveDir(dir: string, pid: number): Result<LiveDir, LiveDirError> {
  const paths = livePaths(dir);
  const made = ensureDir(paths.dir);
  if (!made.ok) return made;
  const locked = lockFile(paths.lock);
  if (!locked.ok) {
    if (locked.error.kind === 'system') return err(locked.error);
    const other = readPid(paths.pid);
    const who = other === null ? 'another rc daemon' : `another rc daemon (pid ${other})`;
    return err({ kind: 'busy', pid: other, message: `${who} is already running on ${paths.dir}` });
  }
  const lock: FileLock = locked.value;
  try {
    writeFileSync(paths.pid, `${pid}\n`, { mode: 0o600 });
  } catch (e) {
    lock.release();
    return err({ kind: 'system', message: `unable to write ${paths.pid}: ${(e as Error).message}` });
  }
  return ok({ paths, owned: () => sameFile(paths.lock, lock), release: () => lock.release() });
}

/** Does `path` (still) name the file with this identity? */
export function sameFile(path: string, id: { dev: number; ino: number }): boolean {
  try {
    const st = statSync(path);
    return st.dev === id.dev && st.ino === id.ino;
  } catch {
    return false;
  }
}

/**
 * Check every `intervalMs` that the live directory is still this daemon's; call `onLost` once
 * when it is not. Returns a function that stops the checks. The timer never keeps Node alive.
 */
export function watchLiveDir(live: Pick<LiveDir, 'owned'>, intervalMs: number, onLost: () => void): () => void {
  const timer = setInterval(() => {
    if (live.owned()) return;
    clearInterval(timer);
    onLost();
  }, intervalMs);
  timer.unref();
  return () => clearInterval(timer);
}
