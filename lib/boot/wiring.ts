// What both daemon openers share (db mode: open-daemon.ts, scandir mode: lib/scandir/open.ts): the live-dir lock, recovery, output, spawn journal, the adapters.
import type { Writable } from 'node:stream';
import type { Clock } from '../core/clock.js';
import { ExitCode } from '../core/exit-codes.js';
import { err, ok, type Result } from '../core/result.js';
import type { Db } from '../db/db.js';
import { OutputMultiplexer } from '../log/multiplexer.js';
import { RingStore } from '../log/ring.js';
import type { LogFormat } from '../log/types.js';
import type { Spawner } from '../supervise/spawner.js';
import type { SupervisorEvent } from '../supervise/types.js';
import type { Daemon } from '../daemon/daemon.js';
import type { DaemonEvent } from '../daemon/events.js';
import type { Adapter } from '../daemon/types.js';
import { openLiveDir, watchLiveDir, type LiveDir } from '../live/live-dir.js';
import { LiveStateStore, readPreviousState } from '../live/live-state.js';
import { readProc, scanProcessGroups } from '../sys/proc.js';
import { openFilesLimit, raiseOpenFilesHint } from '../sys/limits.js';
import type { DbIndex } from '../db/types.js';
import { awaitStillRunning, oneshotOutcomes, recordsGroups, stopLeftovers } from '../live/recovery.js';
import { clearOneshotRecords, prepareOneshotRecords, readOneshotRecords } from '../live/oneshot-records.js';
import { waiterShell, type OneshotRecords } from '../supervise/oneshot-waiter.js';
import { restoreOneshots, stillRunning } from './oneshot-recovery.js';
import { SpawnTracker } from '../live/spawn-tracker.js';

/** The pgid journal is rewritten (bounded) once it holds this many lines. */
const JOURNAL_COMPACT_LINES = 10_000;
/** How often a daemon checks that its live dir is still its own (LIVE/lock is the file it locked). */
const LIVE_CHECK_MS = 2000;

/** What the wiring of a daemon needs besides where its services come from. */
export interface DaemonWiring {
  live: string;
  clock: Clock;
  /** Creates every process (the real one, or one tracked for the PID-1 reaper). */
  spawner: Spawner;
  /** Where service output goes (prefixed lines). */
  stdout: Writable;
  stderr: Writable;
  /** The services' base environment. */
  env: NodeJS.ProcessEnv;
  /** This process's pid (written to LIVE/pid, shown by status). */
  pid: number;
  killGraceMs: number;
  /** Bound on the whole shutdown; 0 or absent: none. */
  stopTimeoutMs?: number;
  jobs?: number;
  logFormat?: LogFormat;
  timestamps?: boolean;
  color?: boolean;
  /** How often the daemon checks that its live dir was not removed or replaced (default 2000 ms). */
  liveCheckMs?: number;
  /** The daemon's own messages before the daemon exists (locking, recovery), one line each. */
  log: (message: string) => void;
  /** Every event of the daemon once it exists (rc boot renders them). */
  onEvent?: (event: DaemonEvent) => void;
  /** Served over the daemon's API once it is assembled (the control socket; HTTP), closed after its shutdown. */
  adapters: Adapter[];
}

export interface BootError {
  exitCode: number;
  message: string;
}

/** Descriptors the daemon keeps for itself besides its services: the socket, its clients, the live dir, Node's own. */
const SPARE_FDS = 64;

/**
 * An estimate of the descriptors the daemon needs with every service up: ~3 per longrun (the
 * ends of its output pipe, a readiness pipe or probe socket), one held per pipeline plus one per
 * member (its FIFO's open file descriptions), and some spare.
 */
export function descriptorsNeeded(index: Pick<DbIndex, 'services'>): number {
  let n = SPARE_FDS;
  for (const s of index.services) {
    if (s.type !== 'longrun') continue;
    n += 3;
    if (s.consumerFor.length > 0) n += 2 + s.consumerFor.length;
  }
  return n;
}

/** The warning to log at boot when `needed` descriptors exceed the daemon's `limit` (RLIMIT_NOFILE), else undefined. */
export function descriptorWarning(needed: number, limit: number | null, longruns: number): string | undefined {
  if (limit === null || needed <= limit) return undefined;
  const raise = Math.max(1024, 2 ** Math.ceil(Math.log2(needed)));
  return `warning: the database has ${longruns} longruns and needs about ${needed} file descriptors with everything up, but rc's limit (RLIMIT_NOFILE, "Max open files") is ${limit}: services started beyond it fail with EMFILE; ${raiseOpenFilesHint(raise)}`;
}

/** Say at boot when the db needs more descriptors than the daemon may open (`limit`: its soft RLIMIT_NOFILE). */
export function warnDescriptorLimit(o: Pick<DaemonWiring, 'log'>, db: Db, limit: number | null = openFilesLimit()?.soft ?? null): void {
  const longruns = db.index.services.filter((s) => s.type === 'longrun').length;
  const w = descriptorWarning(descriptorsNeeded(db.index), limit, longruns);
  if (w !== undefined) o.log(w);
}

/** Stop what a dead predecessor left running, then start a fresh state record for `db`. */
export async function recover(o: DaemonWiring, db: Db, live: LiveDir): Promise<LiveStateStore> {
  const prev = readPreviousState(live.paths);
  if (prev.problem) o.log(`ignoring the previous live state: ${prev.problem}`);
  const ownPgid = readProc(o.pid)?.pgid ?? o.pid;
  // Oneshot scripts still running are let finish (within their timeout): their waiters record how.
  const outcomes = oneshotOutcomes(prev.oneshots);
  // A fresh live dir (or a clean predecessor) records no group: /proc is not scanned at all.
  const interrupted = recordsGroups(prev) && [...outcomes.values()].some((x) => x.interrupted !== null);
  if (interrupted) await awaitStillRunning(stillRunning(db, prev, outcomes, scanProcessGroups(), ownPgid, o.clock.wallNow()), { clock: o.clock, log: o.log });
  const stopped = await stopLeftovers(prev, { graceMs: o.killGraceMs, clock: o.clock, ownPgid, log: o.log });
  warnDescriptorLimit(o, db);
  const names = db.index.services.map((s) => s.name);
  const state = new LiveStateStore(live.paths, names, { daemonPid: o.pid, db: db.dir }, (e) => o.log(`unable to record the live state: ${e.message}`), () => live.owned());
  const records = readOneshotRecords(live.paths.oneshots);
  restoreOneshots(db, state, prev, outcomes, o.log, new Set(stopped.map((l) => l.name)), records);
  // state.json first: until it is on disk, the old journal (and its oneshot outcomes) still counts.
  await state.flush();
  state.resetJournal();
  clearOneshotRecords(live.paths.oneshots);
  return state;
}

/**
 * Where this daemon's oneshot waiters record their outcomes (LIVE/oneshots), with the shell that
 * runs them; null (scripts run directly, as before) without /bin/sh or when the folder cannot be used.
 */
export function oneshotRecordsOf(o: Pick<DaemonWiring, 'log'>, live: LiveDir): OneshotRecords | null {
  const shell = waiterShell();
  if (shell === null) return null;
  const dir = prepareOneshotRecords(live.paths.oneshots);
  if (!dir.ok) {
    o.log(`oneshot outcomes will not survive a kill -9 of the daemon: ${dir.error}`);
    return null;
  }
  return { dir: dir.value, shell };
}

/** Service output: prefixed lines on the daemon's stdout, and a ring of recent lines for `rc logs`. */
export function outputOf(o: DaemonWiring, db: Db): { output: OutputMultiplexer; ring: RingStore } {
  const ring = new RingStore();
  const output = new OutputMultiplexer({
    stdout: o.stdout,
    stderr: o.stderr,
    format: o.logFormat ?? 'plain',
    timestamps: o.timestamps ?? false,
    color: o.color ?? false,
    clock: o.clock,
    ring,
  });
  output.setNames(db.index.services.map((s) => s.name));
  return { output, ring };
}

/**
 * Every spawn is journaled at once, in the state record current then (a rescan replaces it);
 * `beforeSpawn` resets a service's pipe ends before its process is created.
 */
export function trackerOf(o: DaemonWiring, state: () => LiveStateStore, beforeSpawn: (name: string) => void): SpawnTracker {
  const tracker: SpawnTracker = new SpawnTracker(
    o.spawner,
    {
      spawned: (g) => {
        const s = state();
        s.journal(g.pgid, g.name, g.spawnedAt);
        if (g.role) s.journalOneshot({ name: g.name, direction: g.role === 'oneshot-up' ? 'up' : 'down', event: 'started', value: String(g.pgid) });
        // Restarts add lines for ever: now and then keep only the groups that may be alive.
        if (s.journalLines > JOURNAL_COMPACT_LINES + 2 * tracker.size) s.rewriteJournal(tracker.tracked());
      },
      beforeSpawn,
      oneshotEnded: (g, end) => {
        if (end.kind !== 'exit' || !g.role) return;
        const direction = g.role === 'oneshot-up' ? 'up' : 'down';
        state().journalOneshot(end.signal ? { name: g.name, direction, event: 'killed', value: end.signal } : { name: g.name, direction, event: 'exited', value: String(end.code ?? 0) });
      },
    },
    () => o.clock.wallNow(),
  );
  return tracker;
}

/** The service whose process group `pid` runs in (a finish script running `rc halt`), or null. */
export function serviceOfPid(tracker: SpawnTracker, pid: number): string | null {
  const pgid = readProc(pid)?.pgid;
  if (pgid === undefined) return null;
  return tracker.tracked().find((g) => g.pgid === pgid)?.name ?? null;
}

/** A supervisor's event: its pid and group go to the state record, the event to the daemon (subscribers, waiters). */
export function recordServiceEvents(state: () => LiveStateStore, daemon: () => Daemon | undefined): (index: number, e: SupervisorEvent) => void {
  return (i, e) => {
    if (e.type === 'spawned') state().update(i, { pid: e.pid, pgid: e.pid });
    else if (e.type === 'exited') state().update(i, { pid: null });
    else if (e.type === 'down') state().update(i, { pgid: null });
    daemon()?.serviceEvent(e);
  };
}

/** What `assemble` hands back: the daemon, the pipes to close at the end, and what the opener returns. */
export interface Assembled<T> {
  daemon: Daemon;
  pipes: { close(): void };
  value: T;
}

/**
 * Lock the live dir, `assemble` the daemon, and serve its socket. The lock (and the pipes) are
 * released when a step fails and once the daemon has exited. Nothing is started yet.
 */
export async function openWired<T>(o: DaemonWiring, assemble: (live: LiveDir) => Promise<Result<Assembled<T>, BootError>>): Promise<Result<T, BootError>> {
  const opened = openLiveDir(o.live, o.pid);
  if (!opened.ok) return err({ exitCode: opened.error.kind === 'busy' ? ExitCode.usage : ExitCode.system, message: opened.error.message });
  const live = opened.value;
  const assembled = await assemble(live);
  if (!assembled.ok) {
    live.release();
    return assembled;
  }
  const { daemon, pipes, value } = assembled.value;
  for (const adapter of o.adapters) {
    const started = await adapter(daemon);
    if (!started.ok) {
      await daemon.shutdown(ExitCode.system);
      pipes.close();
      live.release();
      return err({ exitCode: ExitCode.system, message: started.error });
    }
    daemon.afterShutdown(() => started.value.close());
  }
  const unwatch = watchLiveDir(live, o.liveCheckMs ?? LIVE_CHECK_MS, () => {
    o.log(`error: the live directory ${live.paths.dir} was removed or replaced; no rc command can reach this daemon any more, and another daemon may start the same services there: stopping every service and exiting (code ${ExitCode.system})`);
    void daemon.shutdown(ExitCode.system);
  });
  daemon.onExit(() => {
    unwatch();
    pipes.close();
    live.release();
  });
  return ok(value);
}
