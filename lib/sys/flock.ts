// Exclusive advisory locks on files (flock(2) through lib/sys/libc): the daemon's live-dir lock and s6's lock-fd.
import { closeSync, constants, fstatSync, openSync } from 'node:fs';
import { err, ok, type Result } from '../core/result.js';
import { errnoName } from './errno.js';
import { sharedLibc } from './libc.js';

const LOCK_EX = 2;
const LOCK_NB = 4;
const EWOULDBLOCK = 11;
/**
 * Open (or create, 0600) a lock file without following a link at its name (ELOOP), without
 * blocking on a planted FIFO (ENXIO), never truncating; Node adds O_CLOEXEC.
 */
const LOCK_OPEN = constants.O_WRONLY | constants.O_APPEND | constants.O_CREAT | constants.O_NOFOLLOW | constants.O_NONBLOCK;

export type LockError = { kind: 'busy' } | { kind: 'system'; message: string };

/** A held lock: the fd stays open (close-on-exec, so children never inherit it) until release. */
export interface FileLock {
  /** The locked file's identity: the lock is ours only while the path still names this inode. */
  readonly dev: number;
  readonly ino: number;
  release(): void;
}

/**
 * Open `path` (created 0600 if missing) and take an exclusive, non-blocking lock on it; the raw fd
 * comes back (close-on-exec; close it to release). Synchronous, so a supervisor can lock right before a spawn.
 */
export function tryLockFd(path: string): Result<number, LockError> {
  const lib = sharedLibc();
  if (!lib.ok) return err({ kind: 'system', message: `unable to lock ${path}: ${lib.error}` });
  const opened = openLockFile(path);
  if (!opened.ok) return opened;
  const fd = opened.value;
  const errno = lib.value.flock(fd, LOCK_EX | LOCK_NB);
  if (errno !== 0) {
    closeSync(fd);
    if (errno === EWOULDBLOCK) return err({ kind: 'busy' });
    return err({ kind: 'system', message: `unable to lock ${path}: ${errnoName(errno)}` });
  }
  return ok(fd);
}

/** Open `path` for locking: a regular file of this user's, never through a link (see LOCK_OPEN). */
function openLockFile(path: string): Result<number, LockError> {
  let fd: number;
  try {
    fd = openSync(path, LOCK_OPEN, 0o600);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === 'ELOOP') return err({ kind: 'system', message: `unable to open ${path}: it is a symbolic link, which rc does not follow; remove it` });
    return err({ kind: 'system', message: `unable to open ${path}: ${(e as Error).message}` });
  }
  const st = fstatSync(fd);
  const uid = process.geteuid?.();
  const why = !st.isFile() ? 'it is not a regular file' : uid !== undefined && st.uid !== uid ? `it is owned by uid ${st.uid}, not by this user (uid ${uid})` : null;
  if (why === null) return ok(fd);
  closeSync(fd);
  return err({ kind: 'system', message: `unable to lock ${path}: ${why}; remove it` });
}

/** Take an exclusive, non-blocking lock on `path` (created if missing), held until `release()`. */
export function lockFile(path: string): Result<FileLock, LockError> {
  const locked = tryLockFd(path);
  if (!locked.ok) return locked;
  const fd = locked.value;
  const { dev, ino } = fstatSync(fd);
  let held = true;
  return ok({
    dev,
    ino,
    release() {
      if (!held) return;
      held = false;
      closeSync(fd);
    },
  });
}
