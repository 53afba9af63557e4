// /proc reading for process-group bookkeeping: who is in which group, alive (zombies excluded), and since when.
import { readdirSync, readFileSync } from 'node:fs';

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

/** Parse /proc/PID/stat; the command name may contain spaces and parentheses, so split after the last ')'. */
export function parseStat(pid: number, text: string): ProcInfo | undefined {
  const close = text.lastIndexOf(')');
  if (close < 0) return undefined;
  const f = text.slice(close + 2).split(' ');
  // After the comm: [0]=state [1]=ppid [2]=pgrp ... [19]=starttime (field 22 overall).
  const pgid = Number(f[2]);
  const startTime = Number(f[19]);
  if (!Number.isFinite(pgid) || !Number.isFinite(startTime)) return undefined;
  return { pid, pgid, state: f[0] ?? '?', startTime };
}

export function readProc(pid: number): ProcInfo | undefined {
  try {
    return parseStat(pid, readFileSync(`/proc/${pid}/stat`, 'utf8'));
  } catch {
    return undefined;
  }
}

/** Every live (non-zombie) process, grouped by process group. */
export function scanProcessGroups(): Map<number, ProcInfo[]> {
  const groups = new Map<number, ProcInfo[]>();
  let entries: string[];
  try {
    entries = readdirSync('/proc');
  } catch {
    return groups;
  }
  for (const e of entries) {
    if (!/^\d+$/.test(e)) continue;
    const info = readProc(Number(e));
    if (!info || info.state === 'Z' || info.state === 'X') continue;
    const list = groups.get(info.pgid);
    if (list) list.push(info);
    else groups.set(info.pgid, [info]);
  }
  return groups;
}

/** Send a signal to a whole process group; false when it no longer exists (the spawner's own group kill). */
export { killProcessGroup as killGroup } from '../supervise/spawner.js';

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
