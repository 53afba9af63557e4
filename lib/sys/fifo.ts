// FIFO system calls Node lacks (mkfifo, clearing O_NONBLOCK), through koffi, loaded on first use.
import { execFileSync } from 'node:child_process';
import { constants as fsConstants } from 'node:fs';
import { createRequire } from 'node:module';
import { constants as osConstants } from 'node:os';
import { err, ok, type Result } from '../core/result.js';

const F_GETFL = 3;
const F_SETFL = 4;
const LIBC_NAMES = ['libc.so.6', 'libc.musl-x86_64.so.1', 'libc.musl-aarch64.so.1', 'libc.so'];

/** The two calls pipelines need; a fake can stand in for tests. */
export interface FifoOps {
  mkfifo(path: string, mode: number): Result<void, string>;
  /** Make a shared file description blocking again (a Node child may have set O_NONBLOCK). */
  clearNonBlock(fd: number): void;
}

interface Bound {
  mkfifo: (path: string, mode: number) => number;
  fcntl: (fd: number, cmd: number, ...rest: unknown[]) => number;
  errno: () => number;
}

/** koffi bindings, or null when koffi/libc cannot be loaded (then the fallbacks are used). */
function bind(): Bound | null {
  let bound: Bound | null = null;
  try {
    const koffi = createRequire(import.meta.url)('koffi') as typeof import('koffi').default;
    for (const name of LIBC_NAMES) {
      try {
        const lib = koffi.load(name);
        const fcntl = lib.func('int fcntl(int, int, ...)');
        bound = {
          mkfifo: lib.func('int mkfifo(const char *, uint32_t)'),
          fcntl: (fd, cmd, ...rest) => fcntl(fd, cmd, ...rest) as number,
          errno: () => koffi.errno(),
        };
        break;
      } catch {
        // try the next libc name
      }
    }
  } catch {
    // no koffi: fall back below
  }
  return bound;
}

function errnoName(code: number): string {
  const entry = Object.entries(osConstants.errno).find(([, v]) => v === code);
  return entry ? entry[0] : `errno ${code}`;
}

/** The real FIFO operations: koffi (bound on first use) when available, else the `mkfifo` program. */
export function createFifoOps(): FifoOps {
  let cached: Bound | null | undefined;
  const bound = (): Bound | null => (cached === undefined ? (cached = bind()) : cached);
  return {
    mkfifo: (path, mode) => mkfifo(bound(), path, mode),
    clearNonBlock: (fd) => clearNonBlock(bound(), fd),
  };
}

function mkfifo(b: Bound | null, path: string, mode: number): Result<void, string> {
  if (b) {
    if (b.mkfifo(path, mode) === 0) return ok(undefined);
    return err(`mkfifo ${path}: ${errnoName(b.errno())}`);
  }
  try {
    execFileSync('mkfifo', ['-m', mode.toString(8), path], { stdio: ['ignore', 'ignore', 'pipe'] });
    return ok(undefined);
  } catch (e) {
    return err(`mkfifo ${path}: ${String((e as { stderr?: Buffer }).stderr ?? (e as Error).message).trim()}`);
  }
}

function clearNonBlock(b: Bound | null, fd: number): void {
  if (!b) return;
  const flags = b.fcntl(fd, F_GETFL);
  if (flags >= 0 && (flags & fsConstants.O_NONBLOCK) !== 0) b.fcntl(fd, F_SETFL, 'int', flags & ~fsConstants.O_NONBLOCK);
}
