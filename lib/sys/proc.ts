// /proc reading for process-group bookkeeping: who is in which group, alive (zombies excluded), and since when.
import { readdirSync, readFileSync } from 'node:fs';
import { readProcStat, type ProcStat } from './proc-stat.js';

export interface ProcInfo {
  pid: number;
  pgid: number;
  /** One-letter state from /proc/PID/stat (R, S, D, Z, T, ...). */
  state: string;
  /** Start time in clock ticks since boot: with the pid, identifies a process across pid reuse. */
  startTime: number;
}

const TICKS_PER_SECOND = 100; // USER_HZ on Linux

/** Wall ms of the boot (from /proc/stat btime; one-second resolution), or null when unknown. */
export function bootTimeMs(): number | null {
  try {
    const m = /^btime (\d+)$/m.exec(readFileSync('/proc/stat', 'utf8'));
    return m ? Number(m[1]) * 1000 : null;
  } catch {
    return null;
  }
}

/** Wall ms a process started, to within about a second. */
export const startedAtMs = (info: ProcInfo, bootMs: number): number => bootMs + (info.startTime * 1000) / TICKS_PER_SECOND;

/** The group-bookkeeping view of a parsed /proc/PID/stat; undefined when the line lacks the group or start time. */
export function procInfo(stat: ProcStat | null): ProcInfo | undefined {
  if (stat === null || stat.pgid === null || stat.startTime === null) return undefined;
  return { pid: stat.pid, pgid: stat.pgid, state: stat.state, startTime: stat.startTime };
}

export const readProc = (pid: number): ProcInfo | undefined => procInfo(readProcStat(pid));

/** The pids listed in /proc (none when it cannot be read). */
export function procPids(): number[] {
  let entries: string[];
  try {
    entries = readdirSync('/proc');
  } catch {
    return [];
  }
  return entries.filter((e) => /^\d+$/.test(e)).map(Number);
}

/** Every live (non-zombie) process, grouped by process group. */
export function scanProcessGroups(): Map<number, ProcInfo[]> {
  const groups = new Map<number, ProcInfo[]>();
  for (const pid of procPids()) {
    const info = readProc(pid);
    if (!info || info.state === 'Z' || info.state === 'X') continue;
    const list = groups.get(info.pgid);
    if (list) list.push(info);
    else groups.set(info.pgid, [info]);
  }
  return groups;
}

/** Send a signal to a whole process group; false when it no longer exists (or pgid is not a group rc may signal). */
export function killGroup(pgid: number, signal: NodeJS.Signals): boolean {
  if (!Number.isInteger(pgid) || pgid <= 1) return false;
  try {
    process.kill(-pgid, signal);
    return true;
  } catch {
    return false;
  }
}

/** True while the group has a member (a zombie not yet reaped counts). */
export function groupExists(pgid: number): boolean {
  if (pgid <= 1) return false;
  try {
    process.kill(-pgid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}
