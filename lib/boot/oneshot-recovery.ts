// After an unclean death: what the previous daemon's oneshot scripts did after its last state write
// (the journal, and the records of their waiters), so none runs twice and none is reported wrong.
import { constants } from 'node:os';
import type { Db } from '../db/db.js';
import type { LiveStateStore, PreviousState } from '../live/live-state.js';
import { describeStatus } from '../live/oneshot-records.js';
import { findLeftovers, type OneshotOutcome, type StillRunning } from '../live/recovery.js';
import type { ProcInfo } from '../sys/proc.js';

/** An interrupted script without a timeout is let run this long by the next daemon's recovery, then stopped. */
export const UNTIMED_ONESHOT_WAIT_MS = 30_000;

const signalName = (n: number): string | undefined => Object.entries(constants.signals).find(([, v]) => v === n)?.[0];

const oneshotIndex = (db: Db, name: string): number | null => {
  const idx = db.resolve(name);
  return idx?.kind === 'atomic' && db.service(idx.index).type === 'oneshot' ? idx.index : null;
};

/**
 * The interrupted scripts whose process group still runs (its leader checked by start time), each
 * with its deadline: its timeout counted from its spawn, or UNTIMED_ONESHOT_WAIT_MS from now.
 */
export function stillRunning(db: Db, prev: PreviousState, outcomes: ReadonlyMap<string, OneshotOutcome>, groups: Map<number, ProcInfo[]>, ownPgid: number, wallNow: number): StillRunning[] {
  const alive = new Set(findLeftovers(prev, groups, ownPgid).map((l) => l.pgid));
  const out: StillRunning[] = [];
  for (const [name, o] of outcomes) {
    const index = oneshotIndex(db, name);
    if (index === null || !o.interrupted || o.pgid === null || !alive.has(o.pgid)) continue;
    const svc = db.service(index);
    const timeout = svc.type === 'oneshot' ? (o.interrupted === 'up' ? svc.timeoutUp : svc.timeoutDown) : 0;
    const spawnedAt = prev.journal.find((j) => j.pgid === o.pgid)?.spawnedAt ?? wallNow;
    out.push({ pgid: o.pgid, name, untilWallMs: timeout > 0 ? spawnedAt + timeout : wallNow + UNTIMED_ONESHOT_WAIT_MS });
  }
  return out;
}

/** What an interrupted script's record says: its outcome, and the line that reports it. */
function fromRecord(name: string, o: OneshotOutcome, status: number, recorded: boolean, stopped: boolean): { up: boolean; message: string } {
  const dir = o.interrupted!;
  const up = status === 0 ? dir === 'up' : dir === 'up' ? false : recorded;
  const how = status === 0 ? 'completed (exit 0)' : `failed (${describeStatus(status, signalName)})${stopped ? ', stopped by this recovery' : ''}`;
  const then = up ? (dir === 'up' ? 'recorded up, not run again' : 'recorded up') : `recorded down${dir === 'up' && status !== 0 ? ' (its up runs again when wanted)' : ''}`;
  return { up, message: `oneshot ${name}: its ${dir} script was running when the previous daemon died and ${how}: ${then}` };
}

/**
 * Restore from the previous daemon's record what still holds: oneshots it brought up (their
 * effects persist). state.json says what was up at its last write; the journal's oneshot lines,
 * written synchronously since, say what ran after it: an `up` that exited 0 is up (not run again).
 * A script interrupted by the daemon's death is judged by its waiter's record (`records`: pgid →
 * exit status): completed, or failed (down, reported); without a record it is down.
 */
export function restoreOneshots(
  db: Db,
  state: LiveStateStore,
  prev: PreviousState,
  outcomes: ReadonlyMap<string, OneshotOutcome>,
  log: (m: string) => void = () => undefined,
  stopped: ReadonlySet<string> = new Set(),
  records: ReadonlyMap<number, number> = new Map(),
): void {
  const names = new Set([...Object.keys(prev.state?.services ?? {}), ...outcomes.keys()]);
  for (const name of names) {
    const index = oneshotIndex(db, name);
    if (index === null) continue;
    const recorded = prev.state?.services?.[name]?.up === true;
    const o = outcomes.get(name);
    const status = o?.interrupted && o.pgid !== null ? records.get(o.pgid) : undefined;
    let up = o?.up ?? recorded;
    if (o?.interrupted && status !== undefined) {
      const r = fromRecord(name, o, status, recorded, stopped.has(name));
      up = r.up;
      log(r.message);
    } else if (o?.interrupted) {
      const fate = stopped.has(name) ? 'was still running: stopped' : 'ended after it died, with an outcome rc cannot know';
      log(`oneshot ${name}: its ${o.interrupted} script was running when the previous daemon died and ${fate}; recorded down${o.interrupted === 'up' ? ' (its up runs again when wanted)' : ''}`);
    } else if (o && up !== recorded) {
      log(`oneshot ${name}: its ${up ? 'up' : 'down'} script completed (exit 0) after the previous daemon's last state write: recorded ${up ? 'up, not run again' : 'down'}`);
    }
    if (up) state.update(index, { up: true });
  }
}
