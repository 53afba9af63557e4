// The live directory: created mode 0700, locked so only one daemon runs on it, and the paths of what lives in it.
//
// Trust: the directory must be this user's and writable by nobody else, and so must its parent
// when rc creates it (unless the parent is sticky, as /tmp): otherwise another user could plant
// links or a forged state there, or swap the directory. Checked before anything is created in it.
import { chmodSync, existsSync, lstatSync, readFileSync, statSync, type Stats } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { err, ok, type Result } from '../core/result.js';
import { makeDirs } from '../log/make-dirs.js';
import { lockFile, type FileLock } from './flock.js';
import { writeAtomicSync } from './atomic-write.js';

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
  /** Oneshot waiters' exit-status records (lib/live/oneshot-records.ts). */
  oneshots: string;
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
    oneshots: join(abs, 'oneshots'),
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

const octal = (mode: number): string => `0${(mode & 0o7777).toString(8)}`;

/** Why a directory with these stats cannot be trusted by user `uid`, or null. `sticky` accepts a sticky g/o-writable one (/tmp). */
function untrusted(path: string, st: Stats, uid: number, what: string, allow: { root: boolean; sticky: boolean }): string | null {
  if (!st.isDirectory()) return `${what} ${path} is not a directory`;
  const ownerOk = st.uid === uid || (allow.root && st.uid === 0);
  if (!ownerOk) {
    return `${what} ${path} is owned by uid ${st.uid}, not by this user (uid ${uid}): another user could plant files there; use a live directory of your own (--live DIR or RC_LIVE), or make this one yours (chown ${uid} ${path})`;
  }
  const writable = (st.mode & 0o022) !== 0;
  if (writable && !(allow.sticky && (st.mode & 0o1000) !== 0)) {
    return `${what} ${path} is writable by ${[(st.mode & 0o020) !== 0 ? 'its group' : '', (st.mode & 0o002) !== 0 ? 'others' : ''].filter(Boolean).join(' and ')} (mode ${octal(st.mode)}): another user could plant files there or replace it; fix it with chmod go-w ${path}, or use another live directory`;
  }
  return null;
}

export interface OpenLiveDirOptions {
  /** The user the live dir must belong to (default: the effective uid). */
  uid?: number;
}

function ensureDir(dir: string, uid: number): Result<void, LiveDirError> {
  try {
    const existed = existsSync(dir);
    if (!existed) {
      const parent = dirname(dir);
      makeDirs(parent, 0o700);
      const why = untrusted(parent, statSync(parent), uid, 'the parent of the live directory', { root: true, sticky: true });
      if (why) return err({ kind: 'system', message: why });
      makeDirs(dir, 0o700);
    }
    const why = untrusted(dir, statSync(dir), uid, 'the live directory', { root: false, sticky: false });
    if (why) return err({ kind: 'system', message: why });
    chmodSync(dir, 0o700);
    return ok(undefined);
  } catch (e) {
    return err({ kind: 'system', message: `unable to create the live directory ${dir}: ${(e as Error).message}` });
  }
}

/** A fixed name in the live directory that is a symlink is refused: rc never follows one there. */
function notALink(path: string): Result<void, LiveDirError> {
  try {
    if (lstatSync(path).isSymbolicLink()) return err({ kind: 'system', message: `${path} is a symbolic link: rc does not follow links in its live directory; remove it` });
  } catch {
    // absent: created below
  }
  return ok(undefined);
}

/** Create and lock the live directory for this daemon (`pid` is written once the lock is held). */
export function openLiveDir(dir: string, pid: number, options: OpenLiveDirOptions = {}): Result<LiveDir, LiveDirError> {
  const paths = livePaths(dir);
  const uid = options.uid ?? process.geteuid?.() ?? 0;
  const made = ensureDir(paths.dir, uid);
  if (!made.ok) return made;
  const linked = notALink(paths.lock);
  if (!linked.ok) return linked;
  const locked = lockFile(paths.lock);
  if (!locked.ok) {
    if (locked.error.kind === 'system') return err(locked.error);
    const other = readPid(paths.pid);
    const who = other === null ? 'another rc daemon' : `another rc daemon (pid ${other})`;
    return err({ kind: 'busy', pid: other, message: `${who} is already running on ${paths.dir}` });
  }
  const lock: FileLock = locked.value;
  try {
    writeAtomicSync(paths.pid, `${pid}\n`);
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
