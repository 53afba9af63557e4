// Finding this process's zombie children through /proc: the children lists of its threads, then each child's stat.
import { readdirSync, readFileSync } from 'node:fs';
import { parseProcStat, type ProcStat } from './proc-stat.js';

/** The part of /proc the reaper reads (a fake in unit tests). Both return null when the path is gone. */
export interface ProcFs {
  readText(path: string): string | null;
  listDir(path: string): string[] | null;
}

export const realProcFs: ProcFs = {
  readText(path) {
    try {
      return readFileSync(path, 'utf8');
    } catch {
      return null;
    }
  },
  listDir(path) {
    try {
      return readdirSync(path);
    } catch {
      return null;
    }
  },
};

const pidsIn = (text: string): number[] =>
  text
    .split(/\s+/)
    .filter((w) => /^\d+$/.test(w))
    .map(Number);

/**
 * Direct children of `pid`, from /proc/PID/task/TID/children (one file per thread: a child
 * belongs to the thread that forked it, orphans to the thread group). Returns null when the
 * kernel has no `children` files (CONFIG_PROC_CHILDREN off); the caller then scans /proc.
 */
export function childrenFromTasks(pid: number, fs: ProcFs): number[] | null {
  const tasks = fs.listDir(`/proc/${pid}/task`);
  if (!tasks) return null;
  const found = new Set<number>();
  let readable = false;
  for (const tid of tasks) {
    const text = fs.readText(`/proc/${pid}/task/${tid}/children`);
    if (text === null) continue;
    readable = true;
    for (const child of pidsIn(text)) found.add(child);
  }
  return readable ? [...found] : null;
}

/** Slow path: every process in /proc whose ppid is `pid`. */
export function childrenByScan(pid: number, fs: ProcFs): number[] {
  const out: number[] = [];
  for (const entry of fs.listDir('/proc') ?? []) {
    if (!/^\d+$/.test(entry)) continue;
    const text = fs.readText(`/proc/${entry}/stat`);
    const stat = text === null ? null : parseProcStat(text);
    if (stat?.ppid === pid) out.push(stat.pid);
  }
  return out;
}

/**
 * The zombie children of `pid` (state Z, ppid still `pid`), sorted. Children for which
 * `skip` returns true are not even looked at: with a thousand supervised services that are
 * all Node's own children, a scan then costs a few reads instead of a thousand.
 */
export function zombieChildren(pid: number, fs: ProcFs, skip: (pid: number) => boolean = () => false): number[] {
  const children = childrenFromTasks(pid, fs) ?? childrenByScan(pid, fs);
  const zombies: number[] = [];
  for (const child of children) {
    if (child <= 0 || skip(child)) continue;
    const text = fs.readText(`/proc/${child}/stat`);
    const stat = text === null ? null : parseProcStat(text);
    if (stat && stat.state === 'Z' && stat.ppid === pid) zombies.push(child);
  }
  return zombies.sort((a, b) => a - b);
}

/** Every zombie visible in /proc (for tests and diagnostics inside a PID namespace). */
export function allZombies(fs: ProcFs): ProcStat[] {
  const out: ProcStat[] = [];
  for (const entry of fs.listDir('/proc') ?? []) {
    if (!/^\d+$/.test(entry)) continue;
    const text = fs.readText(`/proc/${entry}/stat`);
    const stat = text === null ? null : parseProcStat(text);
    if (stat?.state === 'Z') out.push(stat);
  }
  return out;
}
