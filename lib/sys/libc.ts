// The few libc calls PID-1 duties need (waitpid, prctl), loaded through koffi; a load failure is a value.
import { err, ok, type Result } from '../core/result.js';

/** Non-blocking waitpid: WNOHANG. */
const WNOHANG = 1;
/** prctl option: mark the calling process a child subreaper (Linux ≥ 3.4). */
const PR_SET_CHILD_SUBREAPER = 36;
const PR_GET_CHILD_SUBREAPER = 37;

/** How a reaped process ended, decoded from the waitpid status word. */
export interface ExitStatus {
  /** Exit code, or null when killed by a signal. */
  code: number | null;
  /** Signal number that killed it, or null when it exited. */
  signal: number | null;
}

/** What one waitpid(pid, WNOHANG) call saw. */
export type WaitOutcome =
  | { kind: 'reaped'; pid: number; status: ExitStatus }
  /** The child exists but has not exited (waitpid returned 0). */
  | { kind: 'running' }
  /** Not our child (anymore): ECHILD or another errno. */
  | { kind: 'gone'; errno: number };

/** The libc surface the reaper and the subreaper switch use (a fake in unit tests). */
export interface Libc {
  waitNoHang(pid: number): WaitOutcome;
  /** prctl(PR_SET_CHILD_SUBREAPER, 1); returns 0 or the errno. */
  setChildSubreaper(): number;
  /** prctl(PR_GET_CHILD_SUBREAPER): true when this process is a subreaper. */
  isChildSubreaper(): boolean;
}

/** Decode a wait(2) status word (Linux layout). */
export function decodeWaitStatus(status: number): ExitStatus {
  const sig = status & 0x7f;
  if (sig === 0) return { code: (status >> 8) & 0xff, signal: null };
  return { code: null, signal: sig };
}

type KoffiModule = typeof import('koffi');

const LIBC_NAMES = ['libc.so.6', 'libc.musl-x86_64.so.1', 'libc.musl-aarch64.so.1', 'libc.so'];

/**
 * Load libc through koffi. Never throws: when koffi or libc cannot be loaded the error says
 * why, once, and the caller decides how to warn (PID-1 duties then degrade, rc still runs).
 */
export async function loadLibc(importKoffi: () => Promise<KoffiModule> = () => import('koffi')): Promise<Result<Libc, string>> {
  let koffi: KoffiModule['default'];
  try {
    koffi = (await importKoffi()).default;
  } catch (e) {
    return err(`cannot load koffi (FFI): ${(e as Error).message}`);
  }
  const problems: string[] = [];
  for (const name of LIBC_NAMES) {
    try {
      return ok(bindLibc(koffi, koffi.load(name)));
    } catch (e) {
      problems.push(`${name}: ${(e as Error).message}`);
    }
  }
  return err(`cannot load libc through koffi (${problems.join('; ')})`);
}

function bindLibc(koffi: KoffiModule['default'], lib: import('koffi').LibraryHandle): Libc {
  const waitpid = lib.func('int waitpid(int pid, _Out_ int *status, int options)');
  // prctl is variadic; passing five integer words is the usual fixed-arity way to call it.
  const prctl = lib.func('int prctl(int option, unsigned long a2, unsigned long a3, unsigned long a4, unsigned long a5)');
  const prctlGet = lib.func('int prctl(int option, _Out_ int *value, unsigned long a3, unsigned long a4, unsigned long a5)');
  return {
    waitNoHang(pid) {
      const out = [0];
      const r = waitpid(pid, out, WNOHANG) as number;
      if (r > 0) return { kind: 'reaped', pid: r, status: decodeWaitStatus(out[0]) };
      if (r === 0) return { kind: 'running' };
      return { kind: 'gone', errno: koffi.errno() };
    },
    setChildSubreaper() {
      return (prctl(PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0) as number) === 0 ? 0 : koffi.errno();
    },
    isChildSubreaper() {
      const out = [0];
      return (prctlGet(PR_GET_CHILD_SUBREAPER, out, 0, 0, 0) as number) === 0 && out[0] !== 0;
    },
  };
}
