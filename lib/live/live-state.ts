// Live state: what rc records (up, wanted, pids and process groups), written atomically to LIVE/state.json after every change.
//
// Writes are coalesced: a change marks the state dirty and one asynchronous write (temp file +
// rename) runs at a time, so bringing 1,000 services up does not mean 1,000 synchronous writes.
// Process groups are also appended synchronously to a journal the moment they are spawned, so a
// daemon killed before its next state write still leaves a record of every group it started.
// The final write (shutdown) waits for a write in flight and is the last: nothing is written after it.
// Temporary files have unique names, created with O_EXCL (never through a planted symlink).
import { closeSync, openSync, readFileSync, writeSync } from 'node:fs';
import type { LivePaths } from './live-dir.js';
import { APPEND_NOFOLLOW, writeAtomic, writeAtomicSync } from './atomic-write.js';

export const LIVE_STATE_FORMAT = 'rc-live-state';
export const LIVE_STATE_VERSION = 1;

export interface ServiceRecord {
  up: boolean;
  wanted: boolean;
  pid: number | null;
  pgid: number | null;
  /**
   * On disk only, next to a pgid: the wall ms its group was spawned, so that recovery can tell
   * the group's leader from a later process that reused the pid (absent in older files).
   */
  spawnedAt?: number | null;
}

export interface LiveStateFile {
  format: typeof LIVE_STATE_FORMAT;
  version: number;
  daemonPid: number;
  db: string;
  /** True only when the daemon that wrote it shut down in order. */
  clean: boolean;
  updatedAt: number;
  services: Record<string, ServiceRecord>;
}

export interface JournalEntry {
  pgid: number;
  /** Wall ms of the spawn, when known. */
  spawnedAt: number | null;
  name: string;
}

/**
 * A oneshot's script in the journal: `started` (with its pgid) when spawned, then how it ended:
 * `exited` (with its exit code), `killed` (with the signal). Written synchronously by the daemon,
 * so a daemon killed before its next state write still tells the next one what ran and how it ended.
 */
export interface OneshotJournalEntry {
  name: string;
  direction: 'up' | 'down';
  event: 'started' | 'exited' | 'killed';
  /** The pgid (started), the exit code (exited) or the signal name (killed). */
  value: string;
}

/** What a previous daemon left in the live directory. */
export interface PreviousState {
  state: LiveStateFile | null;
  /** Process groups from the journal (pgid, when it was spawned, service name). */
  journal: JournalEntry[];
  /** Oneshot scripts started and ended, in journal order (after the last state write's journal reset). */
  oneshots: OneshotJournalEntry[];
  /** Why state.json could not be used, if it exists but is unreadable. */
  problem: string | null;
}

export function readPreviousState(paths: LivePaths): PreviousState {
  let state: LiveStateFile | null = null;
  let problem: string | null = null;
  try {
    const value = JSON.parse(readFileSync(paths.state, 'utf8')) as LiveStateFile;
    if (value?.format === LIVE_STATE_FORMAT && typeof value.services === 'object' && value.services !== null) state = value;
    else problem = `${paths.state} is not an rc live state file`;
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'ENOENT') problem = `unable to read ${paths.state}: ${(e as Error).message}`;
  }
  const journal: JournalEntry[] = [];
  const oneshots: OneshotJournalEntry[] = [];
  try {
    for (const line of readFileSync(paths.journal, 'utf8').split('\n')) {
      const m = /^(\d+) (\d+|-) (.*)$/.exec(line);
      if (m) journal.push({ pgid: Number(m[1]), spawnedAt: m[2] === '-' ? null : Number(m[2]), name: m[3]! });
      const o = /^oneshot (up|down) (started|exited|killed) (\S+) (.*)$/.exec(line);
      if (o) oneshots.push({ direction: o[1] as 'up' | 'down', event: o[2] as OneshotJournalEntry['event'], value: o[3]!, name: o[4]! });
    }
  } catch {
    // no journal: nothing was spawned
  }
  return { state, journal, oneshots, problem };
}

const journalLine = (pgid: number, wallMs: number, name: string): string => `${pgid} ${Math.round(wallMs)} ${name}\n`;
const oneshotLine = (e: OneshotJournalEntry): string => `oneshot ${e.direction} ${e.event} ${e.value} ${e.name}\n`;

export class LiveStateStore {
  readonly #paths: LivePaths;
  readonly #names: readonly string[];
  readonly #records: ServiceRecord[];
  readonly #header: { daemonPid: number; db: string };
  #dirty = false;
  #journalLines = 0;
  #writing: Promise<void> | null = null;
  #scheduled = false;
  #writeError: ((e: Error) => void) | undefined;
  readonly #owned: () => boolean;
  /** Spawn times of the groups journaled (pgid -> wall ms), written next to each record's pgid. */
  readonly #spawnTimes = new Map<number, number>();
  /** Set by writeFinal: nothing is written after the final record. */
  #final = false;
  /** The last oneshot line journaled per oneshot: kept when the journal is compacted. */
  readonly #oneshotLines = new Map<string, string>();

  /**
   * `owned` tells whether the live directory is still this daemon's (LiveDir.owned): once it is
   * not, nothing is written any more (the files there may be another daemon's).
   */
  constructor(paths: LivePaths, names: readonly string[], header: { daemonPid: number; db: string }, onWriteError?: (e: Error) => void, owned: () => boolean = () => true) {
    this.#paths = paths;
    this.#owned = owned;
    this.#names = names;
    this.#header = header;
    this.#records = names.map(() => ({ up: false, wanted: false, pid: null, pgid: null }));
    this.#writeError = onWriteError;
  }

  get(i: number): Readonly<ServiceRecord> {
    return this.#records[i]!;
  }

  /** Indices recorded up. */
  upSet(): Set<number> {
    const out = new Set<number>();
    this.#records.forEach((r, i) => r.up && out.add(i));
    return out;
  }

  update(i: number, patch: Partial<ServiceRecord>): void {
    const r = this.#records[i]!;
    let changed = false;
    for (const [k, v] of Object.entries(patch) as [keyof ServiceRecord, never][]) {
      if (r[k] !== v) {
        if (k === 'pgid' && r.pgid !== null && r.pgid !== v) this.#spawnTimes.delete(r.pgid);
        r[k] = v;
        changed = true;
      }
    }
    if (changed) this.#markDirty();
  }

  /**
   * rc update: take the record of service `from` of `prev` (the state record of the db replaced)
   * as the record of service `to`, with the spawn time of its process group.
   */
  carry(prev: LiveStateStore, from: number, to: number): void {
    const r = prev.get(from);
    if (r.pgid !== null) {
      const at = prev.#spawnTimes.get(r.pgid);
      if (at !== undefined) this.#spawnTimes.set(r.pgid, at);
    }
    this.update(to, { up: r.up, wanted: r.wanted, pid: r.pid, pgid: r.pgid });
  }

  /**
   * Record a freshly spawned process group at once (synchronous append, a few bytes), with the
   * wall time of the spawn: at recovery it tells the group's leader from a later process that
   * reused the pid.
   */
  journal(pgid: number, name: string, wallMs: number): void {
    this.#spawnTimes.set(pgid, Math.round(wallMs));
    this.#append(journalLine(pgid, wallMs, name));
  }

  /**
   * Journal a oneshot's script starting or ending (synchronous append): if this daemon dies before
   * its next state write, the next one knows the script's outcome (see `oneshotOutcomes`).
   */
  journalOneshot(entry: OneshotJournalEntry): void {
    if (/[\n]/.test(entry.name) || /\s/.test(entry.value)) return;
    const line = oneshotLine(entry);
    this.#oneshotLines.set(entry.name, line);
    this.#append(line);
  }

  #append(line: string): void {
    this.#journalLines++;
    if (!this.#owned()) return;
    try {
      const fd = openSync(this.#paths.journal, APPEND_NOFOLLOW, 0o600);
      try {
        writeSync(fd, line);
      } finally {
        closeSync(fd);
      }
    } catch (e) {
      this.#writeError?.(e as Error);
    }
  }

  /** Resolves once everything recorded so far is on disk. */
  async flush(): Promise<void> {
    while (this.#writing || this.#dirty) {
      if (this.#writing) await this.#writing;
      else this.#startWrite();
    }
  }

  /**
   * Final write (shutdown): `clean` tells the next daemon nothing was left running. It waits for
   * a write already in flight (whose rename would otherwise land after it, bringing back a stale
   * record), and is the last: later changes are not written.
   */
  async writeFinal(clean: boolean): Promise<void> {
    this.#final = true;
    this.#dirty = false;
    while (this.#writing) await this.#writing;
    this.#dirty = false;
    if (!this.#owned()) return;
    try {
      writeAtomicSync(this.#paths.state, this.#serialize(clean));
      if (clean) writeAtomicSync(this.#paths.journal, '');
    } catch (e) {
      this.#writeError?.(e as Error);
    }
  }

  /** Lines appended to the journal since it was last rewritten. */
  get journalLines(): number {
    return this.#journalLines;
  }

  /** Start over with an empty journal (after a recovery has dealt with the old one). */
  resetJournal(): void {
    this.#oneshotLines.clear();
    this.rewriteJournal([]);
  }

  /**
   * Replace the journal (temp file + rename) by the groups that may still be alive, and the last
   * line of each oneshot's script (its outcome may not be in state.json yet): keeps it bounded.
   */
  rewriteJournal(groups: readonly { pgid: number; name: string; spawnedAt: number }[]): void {
    if (!this.#owned()) return;
    try {
      const oneshots = [...this.#oneshotLines.values()];
      writeAtomicSync(this.#paths.journal, groups.map((g) => journalLine(g.pgid, g.spawnedAt, g.name)).join('') + oneshots.join(''));
      this.#journalLines = groups.length + oneshots.length;
    } catch (e) {
      this.#writeError?.(e as Error);
    }
  }

  #markDirty(): void {
    if (this.#final) return;
    this.#dirty = true;
    if (this.#writing || this.#scheduled) return;
    this.#scheduled = true;
    setImmediate(() => {
      this.#scheduled = false;
      if (!this.#writing && this.#dirty) this.#startWrite();
    });
  }

  #startWrite(): void {
    this.#dirty = false;
    if (this.#final || !this.#owned()) return;
    const text = this.#serialize(false);
    this.#writing = writeAtomic(this.#paths.state, text)
      .catch((e: Error) => this.#writeError?.(e))
      .finally(() => {
        this.#writing = null;
        if (this.#dirty) this.#markDirty();
      });
  }

  #serialize(clean: boolean): string {
    const services: Record<string, ServiceRecord> = {};
    this.#names.forEach((n, i) => {
      const r = this.#records[i]!;
      services[n] = r.pgid === null ? r : { ...r, spawnedAt: this.#spawnTimes.get(r.pgid) ?? null };
    });
    const file: LiveStateFile = {
      format: LIVE_STATE_FORMAT,
      version: LIVE_STATE_VERSION,
      daemonPid: this.#header.daemonPid,
      db: this.#header.db,
      clean,
      updatedAt: Date.now(),
      services,
    };
    return `${JSON.stringify(file)}\n`;
  }
}
