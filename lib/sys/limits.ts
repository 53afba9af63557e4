// Resource limits as /proc/self/limits shows them (RLIMIT_NOFILE: "Max open files").
import { readFileSync } from 'node:fs';

export interface Limit {
  /** Infinity for "unlimited". */
  soft: number;
  hard: number;
}

const value = (s: string): number => (s === 'unlimited' ? Infinity : Number(s));

/** The "Max open files" line of a /proc/PID/limits text, or null when it is not there. */
export function parseOpenFilesLimit(text: string): Limit | null {
  const m = /^Max open files\s+(\d+|unlimited)\s+(\d+|unlimited)/m.exec(text);
  return m ? { soft: value(m[1]!), hard: value(m[2]!) } : null;
}

/** This process's limit on open file descriptors (Node raises the soft limit to the hard one at start), or null when unknown. */
export function openFilesLimit(path = '/proc/self/limits'): Limit | null {
  try {
    return parseOpenFilesLimit(readFileSync(path, 'utf8'));
  } catch {
    return null;
  }
}

/** How to raise the limit on open files to `n`, for a message. */
export const raiseOpenFilesHint = (n: number): string => `raise it with \`ulimit -n ${n}\` before rc boot, or \`docker run --ulimit nofile=${n}:${n}\``;
