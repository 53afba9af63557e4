// libc through koffi, loaded once: every libc call rc makes (flock, mkfifo, fcntl, waitpid, prctl) is declared here
// (process creation, posix_spawn and its helpers, in spawn-calls.ts over the same handle).
import { createRequire } from 'node:module';
import { err, ok, type Result } from '../core/result.js';
import { decodeWaitStatus, type WaitOutcome } from './wait-status.js';

export { decodeWaitStatus, type ExitStatus, type WaitOutcome } from './wait-status.js';

const WNOHANG = 1;
/** prctl options: mark / ask whether the calling process is a child subreaper (Linux ≥ 3.4). */
const PR_SET_CHILD_SUBREAPER = 36;
const PR_GET_CHILD_SUBREAPER = 37;
const F_GETFL = 3;
const F_SETFL = 4;
const LIBC_NAMES = ['libc.so.6', 'libc.musl-x86_64.so.1', 'libc.musl-aarch64.so.1', 'libc.so'];

/** Every libc call rc makes. A call that fails returns its errno (never 0); success is 0. */
export interface Libc {
  /** flock(fd, op): 0 or the errno. */
  flock(fd: number, op: number): number;
  /** mkfifo(path, mode): 0 or the errno. */
  mkfifo(path: string, mode: number): number;
  /** fcntl(fd, F_GETFL): the file status flags, or -1. */
  getStatusFlags(fd: number): number;
  /** fcntl(fd, F_SETFL, flags): 0 or the errno. */
  setStatusFlags(fd: number, flags: number): number;
  waitNoHang(pid: number): WaitOutcome;
  /** prctl(PR_SET_CHILD_SUBREAPER, 1): 0 or the errno. */
  setChildSubreaper(): number;
  /** prctl(PR_GET_CHILD_SUBREAPER): true when this process is a subreaper. */
  isChildSubreaper(): boolean;
}

/** The part PID-1 duties use (the reaper, the subreaper switch); a fake in unit tests. */
export type ProcessLibc = Pick<Libc, 'waitNoHang' | 'setChildSubreaper' | 'isChildSubreaper'>;

export type Koffi = typeof import('koffi').default;

/** koffi and the libc it opened: what the declarations of spawn-calls.ts bind to. */
export interface LibcHandle {
  koffi: Koffi;
  lib: import('koffi').LibraryHandle;
}

const requireKoffi = (): Koffi => createRequire(import.meta.url)('koffi') as Koffi;

/** Load koffi and open libc. Never throws: the error says which of the two could not be loaded and why. */
export function openLibc(load: () => Koffi = requireKoffi): Result<LibcHandle, string> {
  let koffi: Koffi;
  try {
    koffi = load();
  } catch (e) {
    return err(`cannot load koffi (FFI): ${(e as Error).message}`);
  }
  const problems: string[] = [];
  for (const name of LIBC_NAMES) {
    try {
      return ok({ koffi, lib: koffi.load(name) });
    } catch (e) {
      problems.push(`${name}: ${(e as Error).message}`);
    }
  }
  return err(`cannot load libc through koffi (${problems.join('; ')})`);
}

/** Load koffi and libc and declare every function. Prefer `sharedLibc()`, which does this once per process. */
export function loadLibc(load: () => Koffi = requireKoffi): Result<Libc, string> {
  const handle = load === requireKoffi ? sharedLibcHandle() : openLibc(load);
  return handle.ok ? ok(bind(handle.value.koffi, handle.value.lib)) : handle;
}

// Loading is process-wide by nature (one dlopen); the results are immutable, so each is kept once.
let sharedHandle: Result<LibcHandle, string> | undefined;
let shared: Result<Libc, string> | undefined;

/** koffi and libc, opened on first use and shared by every declaration module. */
export function sharedLibcHandle(): Result<LibcHandle, string> {
  sharedHandle ??= openLibc();
  return sharedHandle;
}

/** libc, loaded on first use and shared by every caller; commands that never call it never load koffi. */
export function sharedLibc(): Result<Libc, string> {
  shared ??= loadLibc();
  return shared;
}

function bind(koffi: Koffi, lib: import('koffi').LibraryHandle): Libc {
  const flock = lib.func('int flock(int fd, int op)');
  const mkfifo = lib.func('int mkfifo(const char *path, uint32_t mode)');
  const fcntl = lib.func('int fcntl(int fd, int cmd, ...)');
  const waitpid = lib.func('int waitpid(int pid, _Out_ int *status, int options)');
  // prctl is variadic; passing five integer words is the usual fixed-arity way to call it.
  const prctl = lib.func('int prctl(int option, unsigned long a2, unsigned long a3, unsigned long a4, unsigned long a5)');
  const prctlGet = lib.func('int prctl(int option, _Out_ int *value, unsigned long a3, unsigned long a4, unsigned long a5)');
  const status = (r: number): number => (r === 0 ? 0 : koffi.errno());
  return {
    flock: (fd, op) => status(flock(fd, op) as number),
    mkfifo: (path, mode) => status(mkfifo(path, mode) as number),
    getStatusFlags: (fd) => fcntl(fd, F_GETFL) as number,
    setStatusFlags: (fd, flags) => status(fcntl(fd, F_SETFL, 'int', flags) as number),
    waitNoHang(pid) {
      const out = [0];
      const r = waitpid(pid, out, WNOHANG) as number;
      if (r > 0) return { kind: 'reaped', pid: r, status: decodeWaitStatus(out[0]!) };
      if (r === 0) return { kind: 'running' };
      return { kind: 'gone', errno: koffi.errno() };
    },
    setChildSubreaper: () => status(prctl(PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0) as number),
    isChildSubreaper() {
      const out = [0];
      return (prctlGet(PR_GET_CHILD_SUBREAPER, out, 0, 0, 0) as number) === 0 && out[0] !== 0;
    },
  };
}
