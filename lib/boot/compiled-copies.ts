// The live dir's compiled copies (LIVE/compiled-N, one per `rc update --source`): the next free number, and the pruning of old ones after a switch.
import { readdirSync, readlinkSync, realpathSync, rmSync } from 'node:fs';
import { join, resolve, sep } from 'node:path';
import { procPids } from '../sys/proc.js';

const COPY = /^compiled-(\d+)$/;

/** One spelling per directory (symlinks resolved), so a db given by another path is still recognised. */
const real = (dir: string): string => {
  try {
    return realpathSync(dir);
  } catch {
    return resolve(dir);
  }
};

/** The numbered copies under `liveDir`, as absolute paths by number. */
function copies(liveDir: string): Map<number, string> {
  const out = new Map<number, string>();
  let names: string[];
  try {
    names = readdirSync(liveDir);
  } catch {
    return out;
  }
  for (const name of names) {
    const m = COPY.exec(name);
    if (m) out.set(Number(m[1]), join(liveDir, name));
  }
  return out;
}

/** LIVE/compiled-N with N one more than the highest copy there: numbers only grow, so the newest copy is the highest. */
export function freshCopy(liveDir: string): string {
  const numbers = [...copies(liveDir).keys()];
  return join(liveDir, `compiled-${numbers.length === 0 ? 1 : Math.max(...numbers) + 1}`);
}

/** The working directories of the processes this user can see (a run or finish runs in its service directory). */
function processCwds(): string[] {
  const out: string[] = [];
  for (const pid of procPids()) {
    try {
      out.push(readlinkSync(`/proc/${pid}/cwd`));
    } catch {
      // gone, or another user's
    }
  }
  return out;
}

export interface Pruned {
  removed: string[];
  /** Copies kept because a process still runs in them (an unchanged service spawned from an older copy). */
  busy: string[];
  errors: string[];
}

/**
 * After a switch: remove every LIVE/compiled-N not in `keep` (the db now served, the one before
 * it, kept for inspection and going back by hand, and copies another request is still reading).
 * A copy in which a process still runs (an unchanged longrun spawned from it, two updates ago)
 * is kept too.
 */
export function pruneCopies(liveDir: string, keepDirs: readonly string[]): Pruned {
  const keep = new Set(keepDirs.map(real));
  const candidates = [...copies(liveDir).values()].map(real).filter((dir) => !keep.has(dir));
  const out: Pruned = { removed: [], busy: [], errors: [] };
  if (candidates.length === 0) return out;
  const cwds = processCwds();
  for (const dir of candidates) {
    if (cwds.some((c) => c === dir || c.startsWith(dir + sep))) {
      out.busy.push(dir);
      continue;
    }
    try {
      rmSync(dir, { recursive: true, force: true });
      out.removed.push(dir);
    } catch (e) {
      out.errors.push(`unable to remove the old compiled copy ${dir}: ${(e as Error).message}`);
    }
  }
  return out;
}
