// Small statistics over benchmark samples, and a process's memory (PSS).
import { readFileSync } from 'node:fs';

/** The middle sample (the upper one of the two for an even count); NaN when there is none. */
export function median(xs: readonly number[]): number {
  const sorted = [...xs].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] ?? Number.NaN;
}

/** PSS of a process in MiB, from /proc/PID/smaps_rollup (its share of shared pages counted); NaN when unreadable. */
export function pssMiB(pid: number | 'self' = 'self'): number {
  try {
    const m = /^Pss:\s+(\d+) kB$/m.exec(readFileSync(`/proc/${pid}/smaps_rollup`, 'utf8'));
    return m ? Number(m[1]) / 1024 : Number.NaN;
  } catch {
    return Number.NaN;
  }
}
