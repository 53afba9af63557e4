// Recovery after an unclean death: stop every process group the previous daemon recorded before anything starts.
import type { Clock } from '../core/clock.js';
import { bootTimeMs, killGroup, scanProcessGroups, startedAtMs, type ProcInfo } from '../sys/proc.js';

/** A leader that started this far from the recorded spawn time is another process that reused the pid. */
const REUSE_TOLERANCE_MS = 2500;
import type { PreviousState } from './live-state.js';

export interface LeftoverGroup {
  pgid: number;
  name: string;
}

/**
 * The recorded groups that still have live members. A group whose leader is alive but started
 * at another time than recorded is someone else's (the pid was reused) and is left alone.
 */
export function findLeftovers(prev: PreviousState, groups: Map<number, ProcInfo[]>, ownPgid: number, bootMs: number | null = bootTimeMs()): LeftoverGroup[] {
  const out = new Map<number, LeftoverGroup>();
  for (const entry of prev.journal) {
    if (entry.pgid === ownPgid || out.has(entry.pgid)) continue;
    const members = groups.get(entry.pgid);
    if (!members || members.length === 0) continue;
    const leader = members.find((m) => m.pid === entry.pgid);
    if (leader && entry.spawnedAt !== null && bootMs !== null && Math.abs(startedAtMs(leader, bootMs) - entry.spawnedAt) > REUSE_TOLERANCE_MS) continue;
    out.set(entry.pgid, { pgid: entry.pgid, name: entry.name });
  }
  for (const [name, rec] of Object.entries(prev.state?.services ?? {})) {
    const pgid = rec?.pgid;
    if (typeof pgid !== 'number' || pgid === ownPgid || out.has(pgid)) continue;
    if (prev.journal.some((j) => j.pgid === pgid)) continue; // already judged with its spawn time
    if ((groups.get(pgid)?.length ?? 0) > 0) out.set(pgid, { pgid, name });
  }
  return [...out.values()];
}

export interface RecoveryOptions {
  graceMs: number;
  clock: Clock;
  /** The daemon's own process group, never touched. */
  ownPgid: number;
  log: (message: string) => void;
  /** Injected for tests; defaults to a /proc scan. */
  scan?: () => Map<number, ProcInfo[]>;
}

const sleep = (clock: Clock, ms: number) => new Promise<void>((r) => clock.setTimer(ms, r));

/** SIGTERM (+SIGCONT) every leftover group, wait up to the grace time, then SIGKILL what is left. */
export async function stopLeftovers(prev: PreviousState, opts: RecoveryOptions): Promise<LeftoverGroup[]> {
  const scan = opts.scan ?? scanProcessGroups;
  const leftovers = findLeftovers(prev, scan(), opts.ownPgid);
  if (leftovers.length === 0) return [];
  opts.log(`the previous daemon left ${leftovers.length} process group(s) running: ${leftovers.map((l) => `${l.name} (${l.pgid})`).join(', ')}; stopping them`);
  for (const l of leftovers) {
    killGroup(l.pgid, 'SIGTERM');
    killGroup(l.pgid, 'SIGCONT');
  }
  const deadline = opts.clock.now() + opts.graceMs;
  let alive = leftovers;
  while (alive.length > 0 && opts.clock.now() < deadline) {
    await sleep(opts.clock, 20);
    const groups = scan();
    alive = alive.filter((l) => (groups.get(l.pgid)?.length ?? 0) > 0);
  }
  for (const l of alive) killGroup(l.pgid, 'SIGKILL');
  if (alive.length > 0) opts.log(`killed ${alive.length} process group(s) that ignored SIGTERM: ${alive.map((l) => l.name).join(', ')}`);
  return leftovers;
}
