// Exclusive advisory lock on a file (flock(2) through koffi): one daemon per live directory, released by the kernel on death.
import { closeSync, fstatSync, openSync } from 'node:fs';
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

type FlockFn = (fd: number, op: number) => number;
let cached: Promise<Result<{ flock: FlockFn; errno: () => number }, string>> | undefined;

async function loadFlock(): Promise<Result<{ flock: FlockFn; errno: () => number }, string>> {
  try {
    const koffi = (await import('koffi')).default;
    for (const name of ['libc.so.6', 'libc.musl-x86_64.so.1', 'libc.musl-aarch64.so.1', 'libc.so']) {
      try {
        const fn = koffi.load(name).func('int flock(int fd, int op)') as FlockFn;
        return ok({ flock: fn, errno: () => koffi.errno() });
      } catch {
        // try the next name
      }
    }
    return err('libc not found');
  } catch (e) {
    return err(`cannot load koffi: ${(e as Error).message}`);
  }
}

/** Take an exclusive, non-blocking lock on `path` (created if missing). */
export async function lockFile(path: string): Promise<Result<FileLock, LockError>> {
  // The loaded binding is immutable and shared on purpose: loading libc twice gains nothing.
  cached ??= loadFlock();
  const lib = await cached;
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
