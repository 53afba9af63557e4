// Recovery after an unclean death: stop every process group the previous daemon recorded before anything starts.
import type { Clock } from '../core/clock.js';
import { bootTimeMs, killGroup, scanProcessGroups, startedAtMs, type ProcInfo } from '../sys/proc.js';

/** A leader that started this far from the recorded spawn time is another process that reused the pid. */
const REUSE_TOLERANCE_MS = 2500;
import type { OneshotJournalEntry, PreviousState } from './live-state.js';

/**
 * What the journal says of a oneshot, from the last line about it: `up` true or false when its
 * last script decides it (an `up` that exited 0: up; a `down` that exited 0: down; an `up` that
 * failed: down), null when the recorded state stands (a failed `down`); `interrupted` names the
 * script that was still running when the daemon that journaled it died (the oneshot is then down:
 * its outcome cannot be known, so an `up` runs again when wanted).
 */
export interface OneshotOutcome {
  up: boolean | null;
  interrupted: 'up' | 'down' | null;
  /** The interrupted script's process group (its waiter's pid, which names its record). */
  pgid: number | null;
}

export function oneshotOutcomes(entries: readonly OneshotJournalEntry[]): Map<string, OneshotOutcome> {
  const last = new Map<string, OneshotJournalEntry>();
  for (const e of entries) last.set(e.name, e);
  const out = new Map<string, OneshotOutcome>();
  for (const [name, e] of last) {
    const pgid = /^\d+$/.test(e.value) ? Number(e.value) : null;
    if (e.event === 'started') out.set(name, { up: false, interrupted: e.direction, pgid });
    else if (e.event === 'exited' && e.value === '0') out.set(name, { up: e.direction === 'up', interrupted: null, pgid: null });
    else out.set(name, { up: e.direction === 'up' ? false : null, interrupted: null, pgid: null });
  }
  return out;
}

export interface LeftoverGroup {
  pgid: number;
  name: string;
}

/**
 * Is the group `pgid` still the one spawned at `spawnedAt`? A group whose leader is alive but
 * started at another time is someone else's (the pid was reused). A group whose leader is gone
 * but whose members remain is the original one (a pid is not reused while it names a group).
 * Without a recorded spawn time a live leader cannot be told from a stranger: not ours.
 */
function sameGroup(pgid: number, spawnedAt: number | null, members: ProcInfo[], bootMs: number | null): boolean {
  const leader = members.find((m) => m.pid === pgid);
  if (!leader) return true;
  if (spawnedAt === null || bootMs === null) return false;
  return Math.abs(startedAtMs(leader, bootMs) - spawnedAt) <= REUSE_TOLERANCE_MS;
}

interface Candidate {
  pgid: number;
  spawnedAt: number | null;
  name: string;
}

/**
 * The groups the previous daemon recorded: the journal's, and state.json's unless it was closed
 * cleanly (after a clean shutdown state.json records nothing running: only the journal, written
 * after it, is read). No candidate, no /proc scan.
 */
function recordedGroups(prev: PreviousState): Candidate[] {
  const candidates: Candidate[] = [...prev.journal];
  if (prev.state && prev.state.clean !== true) {
    for (const [name, rec] of Object.entries(prev.state.services ?? {})) {
      const pgid = rec?.pgid;
      if (typeof pgid !== 'number' || !Number.isInteger(pgid) || pgid <= 1) continue;
      if (prev.journal.some((j) => j.pgid === pgid)) continue; // judged with the journal's spawn time
      candidates.push({ pgid, spawnedAt: typeof rec.spawnedAt === 'number' ? rec.spawnedAt : null, name });
    }
  }
  return candidates;
}

/** True when the previous daemon recorded a process group that may still run (a fresh live dir records none). */
export const recordsGroups = (prev: PreviousState): boolean => recordedGroups(prev).length > 0;

/** The recorded groups that still have live members, each checked by start time whichever file it comes from. */
export function findLeftovers(prev: PreviousState, groups: Map<number, ProcInfo[]>, ownPgid: number, bootMs: number | null = bootTimeMs()): LeftoverGroup[] {
  const out = new Map<number, LeftoverGroup>();
  for (const c of recordedGroups(prev)) {
    if (c.pgid === ownPgid || c.pgid <= 1 || out.has(c.pgid)) continue;
    const members = groups.get(c.pgid);
    if (!members || members.length === 0) continue;
    if (!sameGroup(c.pgid, c.spawnedAt, members, bootMs)) continue;
    out.set(c.pgid, { pgid: c.pgid, name: c.name });
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
  if (!recordsGroups(prev)) return [];
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

/** An interrupted oneshot script still running from the previous daemon, and until when to let it finish (wall ms). */
export interface StillRunning {
  pgid: number;
  name: string;
  untilWallMs: number;
}

/**
 * Let oneshot scripts the previous daemon left running finish, each until its deadline (its
 * timeout from its spawn): their waiters then record how they ended. What is still running after
 * that is stopped by `stopLeftovers`, as any leftover.
 */
export async function awaitStillRunning(running: readonly StillRunning[], opts: Pick<RecoveryOptions, 'clock' | 'log' | 'scan'>): Promise<void> {
  if (running.length === 0) return;
  const scan = opts.scan ?? scanProcessGroups;
  const wall = () => opts.clock.wallNow();
  opts.log(`the previous daemon left ${running.length} oneshot script(s) running: ${running.map((r) => `${r.name} (${r.pgid}, up to ${Math.max(0, Math.round(r.untilWallMs - wall()))} ms)`).join(', ')}; letting them finish`);
  let left = [...running];
  while (left.length > 0) {
    const groups = scan();
    left = left.filter((r) => (groups.get(r.pgid)?.length ?? 0) > 0 && wall() < r.untilWallMs);
    if (left.length > 0) await sleep(opts.clock, 20);
  }
}
