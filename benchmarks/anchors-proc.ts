// The anchors benchmark's view of a supervision tree through /proc: its `sleep`s, its PSS, a restart, the final sweep.
import { readdirSync, readFileSync, readlinkSync } from 'node:fs';
import { childrenByScan, childrenFromTasks, readProcStat, realProcFs } from '../lib/sys/index.js';

const SLEEP = 'sleep';

/** Direct children of a process (empty once it is gone). */
export function childrenOf(pid: number): number[] {
  return childrenFromTasks(pid, realProcFs) ?? childrenByScan(pid, realProcFs);
}

export interface TreeNode {
  pid: number;
  ppid: number;
  comm: string;
}

/** Every live descendant of `root` (root included), breadth first; zombies are left out. */
export function tree(root: number): TreeNode[] {
  const out: TreeNode[] = [];
  const queue = [root];
  while (queue.length > 0) {
    const pid = queue.shift()!;
    const stat = readProcStat(pid);
    if (!stat || stat.state === 'Z') continue;
    out.push({ pid, ppid: stat.ppid, comm: stat.comm });
    queue.push(...childrenOf(pid));
  }
  return out;
}

/** The `sleep`s of a tree, and its supervision processes (every other process of it). */
export function split(nodes: readonly TreeNode[]): { sleeps: TreeNode[]; supervision: TreeNode[] } {
  return { sleeps: nodes.filter((n) => n.comm === SLEEP), supervision: nodes.filter((n) => n.comm !== SLEEP) };
}

/**
 * Counts the `sleep`s under a root while they start, cheaply enough to poll every 10 ms: a
 * `sleep` found is remembered, and so is an intermediate process (s6-supervise, runsv) once it
 * has one, so that each poll reads little more than the root's children list.
 */
export class SleepCensus {
  private readonly sleeps = new Set<number>();
  private readonly settled = new Set<number>();
  /** Processes seen with children: supervisors, never about to become a `sleep`. */
  private readonly parents = new Set<number>();

  count(root: number): number {
    this.visit(root, 0);
    return this.sleeps.size;
  }

  /** Returns whether `pid` is, or has below it, a `sleep` already known. */
  private visit(pid: number, depth: number): boolean {
    if (this.sleeps.has(pid) || this.settled.has(pid)) return true;
    if (depth > 0 && !this.parents.has(pid) && readProcStat(pid)?.comm === SLEEP) {
      this.sleeps.add(pid);
      return true;
    }
    if (depth >= 3) return false;
    const children = childrenOf(pid);
    if (children.length > 0) this.parents.add(pid);
    let found = false;
    for (const child of children) found = this.visit(child, depth + 1) || found;
    if (found && depth > 0) this.settled.add(pid);
    return found;
  }
}

/** One field (`Pss`, `Rss`) of smaps_rollup in kB; 0 when the process is gone. */
function rollupKb(pid: number, field: 'Pss' | 'Rss'): number {
  try {
    const m = new RegExp(`^${field}:\\s+(\\d+) kB$`, 'm').exec(readFileSync(`/proc/${pid}/smaps_rollup`, 'utf8'));
    return m ? Number(m[1]) : 0;
  } catch {
    return 0;
  }
}

/** Sum of PSS (MiB) over the given processes. */
export function pssSumMiB(nodes: readonly TreeNode[]): number {
  return nodes.reduce((sum, n) => sum + rollupKb(n.pid, 'Pss'), 0) / 1024;
}

/**
 * Sum of RSS (MiB). For a one-process supervisor this is its PSS when no other process shares
 * its pages: on this machine the benchmark itself is a Node process, which shares the Node
 * binary's pages with rc and so halves that part of rc's PSS; in a container rc is alone.
 * (For s6 and runit the sum counts their shared libraries once per process: read PSS there.)
 */
export function rssSumMiB(nodes: readonly TreeNode[]): number {
  return nodes.reduce((sum, n) => sum + rollupKb(n.pid, 'Rss'), 0) / 1024;
}

const tickBuffer = new Int32Array(new SharedArrayBuffer(4));
/** Block this thread for `ms` (sub-millisecond) without spinning. */
export const pause = (ms: number): void => void Atomics.wait(tickBuffer, 0, 0, ms);

/**
 * SIGKILL one `sleep` and time (ms) until its parent has a new child running `sleep`, polling
 * the parent's children every `pollMs`. Throws after `timeoutMs`.
 */
export function timeRestart(victim: TreeNode, pollMs: number, timeoutMs: number): number {
  const before = new Set(childrenOf(victim.ppid));
  const t0 = performance.now();
  process.kill(victim.pid, 'SIGKILL');
  for (;;) {
    for (const c of childrenOf(victim.ppid)) {
      if (!before.has(c) && readProcStat(c)?.comm === SLEEP) return performance.now() - t0;
    }
    if (performance.now() - t0 > timeoutMs) throw new Error(`no new sleep under pid ${victim.ppid} ${timeoutMs} ms after killing pid ${victim.pid}`);
    pause(pollMs);
  }
}

/** True while the process exists and is not a zombie. */
export function alive(pid: number): boolean {
  const stat = readProcStat(pid);
  return stat !== null && stat.state !== 'Z';
}

/** Every process whose working directory is `dir` or below it. */
export function processesUnder(dir: string): number[] {
  const out: number[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry) || Number(entry) === process.pid) continue;
    try {
      const cwd = readlinkSync(`/proc/${entry}/cwd`);
      if (cwd === dir || cwd.startsWith(`${dir}/`)) out.push(Number(entry));
    } catch {
      // gone, or not ours to read
    }
  }
  return out;
}

/** SIGKILL every process working under `dir` (supervisors first found, then what they left), until none is left. */
export function sweep(dir: string): number {
  let killed = 0;
  for (let round = 0; round < 20; round++) {
    const left = processesUnder(dir).filter(alive);
    if (left.length === 0) return killed;
    for (const pid of left) {
      try {
        process.kill(pid, 'SIGKILL');
        killed++;
      } catch {
        // already gone
      }
    }
    pause(20);
  }
  return killed;
}
