// Exclusive advisory locks on files (flock(2) through koffi): the daemon's live-dir lock and s6's lock-fd.
import { closeSync, fstatSync, openSync } from 'node:fs';
import { createRequire } from 'node:module';
import { err, ok, type Result } from '../core/result.js';

const LOCK_EX = 2;
const LOCK_NB = 4;
const EWOULDBLOCK = 11;

export type LockError = { kind: 'busy' } | { kind: 'system'; message: string };

/** A held lock: the fd stays open (close-on-exec, so children never inherit it) until release. */
export interface FileLock {
  /** The locked file's identity: the lock is ours only while the path still names this inode. */
  readonly dev: number;
  readonly ino: number;
  release(): void;
}

type FlockLib = { flock: (fd: number, op: number) => number; errno: () => number };
let cached: Result<FlockLib, string> | undefined;

function loadFlock(): Result<FlockLib, string> {
  let koffi: typeof import('koffi');
  try {
    koffi = createRequire(import.meta.url)('koffi') as typeof import('koffi');
  } catch (e) {
    return err(`cannot load koffi: ${(e as Error).message}`);
  }
  for (const name of ['libc.so.6', 'libc.musl-x86_64.so.1', 'libc.musl-aarch64.so.1', 'libc.so']) {
    try {
      const flock = koffi.load(name).func('int flock(int fd, int op)') as FlockLib['flock'];
      return ok({ flock, errno: () => koffi.errno() });
    } catch {
      // try the next name
    }
  }
  return err('libc not found');
}

/**
 * Open `path` (created 0600 if missing) and take an exclusive, non-blocking lock on it; the raw fd
 * comes back (close-on-exec; close it to release). Synchronous, so a supervisor can lock right before a spawn.
 */
export function tryLockFd(path: string): Result<number, LockError> {
  // The loaded binding is immutable and shared on purpose: loading libc twice gains nothing.
  cached ??= loadFlock();
  const lib = cached;
  if (!lib.ok) return err({ kind: 'system', message: `unable to lock ${path}: ${lib.error}` });
  let fd: number;
  try {
    fd = openSync(path, 'a', 0o600);
  } catch (e) {
    return err({ kind: 'system', message: `unable to open ${path}: ${(e as Error).message}` });
  }
  if (lib.value.flock(fd, LOCK_EX | LOCK_NB) !== 0) {
    const errno = lib.value.errno();
    closeSync(fd);
    if (errno === EWOULDBLOCK) return err({ kind: 'busy' });
    return err({ kind: 'system', message: `unable to lock ${path}: errno ${errno}` });
  }
  return ok(fd);
}

/** Take an exclusive, non-blocking lock on `path` (created if missing), held until `release()`. */
export async function lockFile(path: string): Promise<Result<FileLock, LockError>> {
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
