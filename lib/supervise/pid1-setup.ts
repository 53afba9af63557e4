// One call for rc boot (and rc run as PID 1 or --subreaper): become a subreaper when not PID 1, start the reaper; /proc or prctl problems are warnings.
import type { Clock } from '../core/clock.js';
import type { Result } from '../core/result.js';
import { errnoName, realProcFs, type ExitStatus, type ProcessLibc, type ProcFs } from '../sys/index.js';
import { Reaper, type ChildSignalSource } from './reaper.js';

export type Pid1Mode =
  /** PID 1 (of the container / PID namespace): orphans come to us by definition. */
  | 'pid1'
  /** Not PID 1, but a child subreaper: orphans of our services come to us. */
  | 'subreaper'
  /** No reaping: /proc is missing, or prctl failed (orphans go to the real init). */
  | 'none';

export interface Pid1Duties {
  mode: Pid1Mode;
  /** Running reaper, or null in mode 'none'. Call `reaper.stop()` at the very end of shutdown. */
  reaper: Reaper | null;
  /** Problems to print ONCE as warnings (the daemon carries on regardless). */
  warnings: string[];
}

export interface Pid1Options {
  isOwnChild: (pid: number) => boolean;
  onReaped?: (pid: number, status: ExitStatus) => void;
  signals?: ChildSignalSource;
  clock?: Clock;
  /** This process's pid. */
  pid: number;
  /** Safety-net scan period (ms); see ReaperOptions. */
  intervalMs?: number;
  /** libc, loaded by the caller (rc boot refuses to start without it). */
  libc: ProcessLibc;
  /** For tests: the /proc to read. */
  procFs?: ProcFs;
}

/** Take on the PID-1 duties this process can: reaping as PID 1, or as a subreaper on a host. */
export function startPid1Duties(options: Pid1Options): Pid1Duties {
  const { libc, pid } = options;
  const procFs = options.procFs ?? realProcFs;
  if (procFs.readText(`/proc/${pid}/stat`) === null) {
    return { mode: 'none', reaper: null, warnings: ['orphaned processes will not be reaped: /proc is not mounted (or not this PID namespace\'s)'] };
  }
  let mode: Pid1Mode = 'pid1';
  if (pid !== 1) {
    const errno = libc.setChildSubreaper();
    if (errno !== 0) {
      const name = errnoName(errno);
      return { mode: 'none', reaper: null, warnings: [`cannot become a child subreaper (prctl: ${name}); orphans of services go to the system's init`] };
    }
    mode = 'subreaper';
  }
  const { isOwnChild, onReaped, signals, clock, intervalMs } = options;
  const reaper = new Reaper({ isOwnChild, onReaped, signals, clock, intervalMs, libc, pid, procFs });
  reaper.start();
  return { mode, reaper, warnings: [] };
}

export interface RunReapingOptions extends Omit<Pid1Options, 'libc'> {
  /** Reap as a child subreaper even when not PID 1 (`rc run --subreaper`). */
  subreaper: boolean;
  /** Loads libc (only when reaping is wanted: a plain `rc run` does not pay for it). */
  loadLibc: () => Result<ProcessLibc, string>;
}

/**
 * `rc run`'s share of the PID-1 duties: as PID 1 (a container's command) or when asked to be a
 * subreaper, reap the orphans its service leaves, as rc boot does; otherwise nothing (null).
 */
export function startRunReaping(o: RunReapingOptions): Pid1Duties | null {
  if (o.pid !== 1 && !o.subreaper) return null;
  const libc = o.loadLibc();
  if (!libc.ok) return { mode: 'none', reaper: null, warnings: [`orphaned processes will not be reaped: ${libc.error}`] };
  const { subreaper: _s, loadLibc: _l, ...rest } = o;
  return startPid1Duties({ ...rest, libc: libc.value });
}
