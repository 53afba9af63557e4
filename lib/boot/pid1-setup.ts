// One call for the daemon: load libc, become a subreaper when not PID 1, start the reaper; problems are warnings.
import type { Clock } from '../core/clock.js';
import { loadLibc, type ExitStatus, type Libc } from '../sys/libc.js';
import { realProcFs, type ProcFs } from '../sys/proc-children.js';
import { Reaper, type ChildSignalSource } from './reaper.js';

export type Pid1Mode =
  /** PID 1 (of the container / PID namespace): orphans come to us by definition. */
  | 'pid1'
  /** Not PID 1, but a child subreaper: orphans of our services come to us. */
  | 'subreaper'
  /** No reaping: koffi/libc did not load, or prctl failed (orphans go to the real init). */
  | 'none';

export interface Pid1Duties {
  mode: Pid1Mode;
  /** Running reaper, or null in mode 'none'. Call `reaper.stop()` at the very end of shutdown. */
  reaper: Reaper | null;
  /** Problems to print ONCE as warnings (the daemon carries on regardless). */
  warnings: string[];
}

export interface Pid1Options {
  isOwnChild(pid: number): boolean;
  onReaped?(pid: number, status: ExitStatus): void;
  signals?: ChildSignalSource;
  clock?: Clock;
  /** Defaults to process.pid. */
  pid?: number;
  /** Safety-net scan period (ms); see ReaperOptions. */
  intervalMs?: number;
  /** For tests: a libc to use instead of loading one. */
  libc?: Libc;
  /** For tests: the /proc to read. */
  procFs?: ProcFs;
  /** For tests: how koffi is imported. */
  importKoffi?: Parameters<typeof loadLibc>[0];
}

const ERRNO_NAMES: Record<number, string> = { 1: 'EPERM', 22: 'EINVAL', 38: 'ENOSYS' };

/** Take on the PID-1 duties this process can: reaping as PID 1, or as a subreaper on a host. */
export async function startPid1Duties(options: Pid1Options): Promise<Pid1Duties> {
  let libc = options.libc;
  if (!libc) {
    const loaded = await loadLibc(options.importKoffi);
    if (!loaded.ok) {
      return { mode: 'none', reaper: null, warnings: [`orphaned processes will not be reaped: ${loaded.error}`] };
    }
    libc = loaded.value;
  }
  const pid = options.pid ?? process.pid;
  const procFs = options.procFs ?? realProcFs;
  if (procFs.readText(`/proc/${pid}/stat`) === null) {
    return { mode: 'none', reaper: null, warnings: ['orphaned processes will not be reaped: /proc is not mounted (or not this PID namespace\'s)'] };
  }
  let mode: Pid1Mode = 'pid1';
  if (pid !== 1) {
    const errno = libc.setChildSubreaper();
    if (errno !== 0) {
      const name = ERRNO_NAMES[errno] ?? `errno ${errno}`;
      return { mode: 'none', reaper: null, warnings: [`cannot become a child subreaper (prctl: ${name}); orphans of services go to the system's init`] };
    }
    mode = 'subreaper';
  }
  const { isOwnChild, onReaped, signals, clock, intervalMs } = options;
  const reaper = new Reaper({ isOwnChild, onReaped, signals, clock, intervalMs, libc, pid, procFs });
  reaper.start();
  return { mode, reaper, warnings: [] };
}
