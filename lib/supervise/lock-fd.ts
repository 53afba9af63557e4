// s6's lock-fd: the service lock a run holds (and passes to its children) so a next run waits for leftovers.
import { closeSync, mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { err, type Result } from '../core/result.js';
import { tryLockFd, type LockError } from '../sys/flock.js';

/** While a previous instance holds the lock, try again this often (ms). */
export const LOCK_RETRY_MS = 100;

/** Takes the service lock without blocking; the Supervisor's collaborator (fake it in tests). */
export interface Locker {
  /** The locked fd (close-on-exec), `busy` when someone else holds the lock. */
  tryLock(path: string): Result<number, LockError>;
  close(fd: number): void;
}

/** The real locker: flock(2) on `path`, its directory created first. */
export const fileLocker: Locker = {
  tryLock(path) {
    try {
      mkdirSync(dirname(path), { recursive: true, mode: 0o700 });
    } catch (e) {
      return err({ kind: 'system', message: `unable to create ${dirname(path)}: ${(e as Error).message}` });
    }
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
