// FIFO system calls Node lacks (mkfifo, clearing O_NONBLOCK), through the shared libc (koffi, loaded on first use).
import { constants as fsConstants } from 'node:fs';
import { err, ok, type Result } from '../core/result.js';
import { errnoName } from './errno.js';
import { sharedLibc, type Libc } from './libc.js';

/** The two calls pipelines need; a fake can stand in for tests. */
export interface FifoOps {
  mkfifo(path: string, mode: number): Result<void, string>;
  /** Make a shared file description blocking again (a Node child may have set O_NONBLOCK). */
  clearNonBlock(fd: number): void;
}

type FifoLibc = Pick<Libc, 'mkfifo' | 'getStatusFlags' | 'setStatusFlags'>;

/** The real FIFO operations; libc is loaded on first use (rc boot has already checked that it loads). */
export function createFifoOps(libc: () => Result<FifoLibc, string> = sharedLibc): FifoOps {
  return {
    mkfifo(path, mode) {
      const lib = libc();
      if (!lib.ok) return err(`mkfifo ${path}: ${lib.error}`);
      const errno = lib.value.mkfifo(path, mode);
      return errno === 0 ? ok(undefined) : err(`mkfifo ${path}: ${errnoName(errno)}`);
    },
    clearNonBlock(fd) {
      const lib = libc();
      if (!lib.ok) return;
      const flags = lib.value.getStatusFlags(fd);
      if (flags >= 0 && (flags & fsConstants.O_NONBLOCK) !== 0) lib.value.setStatusFlags(fd, flags & ~fsConstants.O_NONBLOCK);
    },
  };
}
