// s6's lock-fd: the service lock a run holds (and passes to its children) so a next run waits for leftovers.
import { closeSync } from 'node:fs';
import { dirname } from 'node:path';
import { err, type Result } from '../core/result.js';
import { tryLockFd, type LockError } from '../sys/flock.js';
import { ensurePrivateDir } from '../sys/private-dir.js';

/** While a previous instance holds the lock, try again this often (ms). */
export const LOCK_RETRY_MS = 100;

/** Takes the service lock without blocking; the Supervisor's collaborator (fake it in tests). */
export interface Locker {
  /** The locked fd (close-on-exec), `busy` when someone else holds the lock. */
  tryLock(path: string): Result<number, LockError>;
  close(fd: number): void;
}

/**
 * The real locker: flock(2) on `path`. Its directory (LIVE/locks) is created first and must be a
 * real directory of ours, writable by nobody else; the file is never opened through a link.
 */
export const fileLocker: Locker = {
  tryLock(path) {
    const dir = ensurePrivateDir(dirname(path));
    if (!dir.ok) return err({ kind: 'system', message: dir.error });
    return tryLockFd(path);
  },
  close(fd) {
    try {
      closeSync(fd);
    } catch {
      // already closed: nothing is held any more
    }
  },
};

export const lockBusyMessage = (name: string, path: string): string =>
  `${name}: a previous instance still holds the lock ${path}; the new run waits until it is released`;
