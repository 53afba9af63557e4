// The one /proc/PID/stat parser: pid, comm, state, ppid, process group, session and start time.
import { readFileSync } from 'node:fs';

export interface ProcStat {
  pid: number;
  /** The command name; it may hold spaces and parentheses. */
  comm: string;
  /** One letter: R, S, D, Z, T, ... */
  state: string;
  ppid: number;
  /** Process group; null when the line stops before it. */
  pgid: number | null;
  /** Session; null when the line stops before it. */
  sid: number | null;
  /** Start time in clock ticks since boot (field 22); null when the line stops before it. */
  startTime: number | null;
}

const intOrNull = (word: string | undefined): number | null => {
  if (word === undefined || word === '') return null;
  const n = Number(word);
  return Number.isInteger(n) ? n : null;
};

/** Parse /proc/PID/stat; `comm` may hold spaces and parentheses, so the fields start after the LAST ')'. */
export function parseProcStat(text: string): ProcStat | null {
  const open = text.indexOf('(');
  const close = text.lastIndexOf(')');
  if (open < 0 || close < open) return null;
  const pid = intOrNull(text.slice(0, open).trim());
  // After the comm: [0]=state [1]=ppid [2]=pgrp [3]=session ... [19]=starttime.
  const f = text.slice(close + 1).trim().split(/\s+/);
  const state = f[0] ?? '';
  const ppid = intOrNull(f[1]);
  if (pid === null || state === '' || ppid === null) return null;
  return { pid, comm: text.slice(open + 1, close), state, ppid, pgid: intOrNull(f[2]), sid: intOrNull(f[3]), startTime: intOrNull(f[19]) };
}

/** Read and parse /proc/PID/stat; null when the process is gone (or /proc is not there). */
export function readProcStat(pid: number): ProcStat | null {
  try {
    return parseProcStat(readFileSync(`/proc/${pid}/stat`, 'utf8'));
  } catch {
    return null;
  }
}
