// openDaemon: the composition root. Lock the live dir, clean up after a dead predecessor, wire services, logs and socket.
import { join } from 'node:path';
import type { Writable } from 'node:stream';
import type { Clock } from '../core/clock.js';
import { ExitCode } from '../core/exit-codes.js';
import { err, ok, type Result } from '../core/result.js';
import type { Db } from '../db/db.js';
import { OutputMultiplexer } from '../log/multiplexer.js';
import { PipelineSet, pipelinesFromDb } from '../log/pipelines.js';
import { RingStore } from '../log/ring.js';
import type { LogFormat } from '../log/types.js';
import type { Spawner } from '../supervise/spawner.js';
import { Daemon } from './daemon.js';
import { SupervisorDriver } from './driver.js';
import { openLiveDir, type LiveDir, type LivePaths } from './live-dir.js';
import { LiveStateStore, readPreviousState, type PreviousState } from './live-state.js';
import { readProc } from './proc.js';
import { stopLeftovers } from './recovery.js';
import { SpawnTracker } from './spawn-tracker.js';

/** The pgid journal is rewritten (bounded) once it holds this many lines. */
const JOURNAL_COMPACT_LINES = 10_000;

export interface OpenDaemonOptions {
  live: string;
  /** Loads (or compiles) the db once the live directory is locked. */
  loadDb(live: LivePaths): Promise<Result<Db, BootError>> | Result<Db, BootError>;
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
  jobs?: number;
  logFormat?: LogFormat;
  timestamps?: boolean;
  color?: boolean;
  /** The daemon's own messages, one line each. */
  log(message: string): void;
}

/** What the wiring needs besides the db (shared with the scandir daemon, lib/daemon/scandir-open.ts). */
export type DaemonWiring = Omit<OpenDaemonOptions, 'loadDb'>;

export interface BootError {
  exitCode: number;
  message: string;
}

/** Restore from the previous daemon's record what still holds: oneshots it brought up (their effects persist). */
function restoreOneshots(db: Db, state: LiveStateStore, prev: PreviousState): void {
  for (const [name, rec] of Object.entries(prev.state?.services ?? {})) {
    const idx = db.resolve(name);
    if (idx?.kind !== 'atomic' || db.service(idx.index).type !== 'oneshot') continue;
    if (rec?.up === true) state.update(idx.index, { up: true });
  }
}

export async function recover(o: DaemonWiring, db: Db, live: LiveDir): Promise<LiveStateStore> {
  const prev = readPreviousState(live.paths);
  if (prev.problem) o.log(`ignoring the previous live state: ${prev.problem}`);
  const ownPgid = readProc(o.pid)?.pgid ?? o.pid;
  await stopLeftovers(prev, { graceMs: o.killGraceMs, clock: o.clock, ownPgid, log: o.log });
  const names = db.index.services.map((s) => s.name);
  const state = new LiveStateStore(live.paths, names, { daemonPid: o.pid, db: db.dir }, (e) => o.log(`unable to record the live state: ${e.message}`));
  restoreOneshots(db, state, prev);
  state.resetJournal();
  await state.flush();
  return state;
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

/** Every spawn is journaled at once; pipeline ends are reset before a piped service is spawned. */
function trackerOf(o: OpenDaemonOptions, state: LiveStateStore, pipes: PipelineSet, piping: Set<string>): SpawnTracker {
  const tracker: SpawnTracker = new SpawnTracker(
    o.spawner,
    {
      spawned: (g) => {
        state.journal(g.pgid, g.name, g.spawnedAt);
        // Restarts add lines for ever: now and then keep only the groups that may be alive.
        if (state.journalLines > JOURNAL_COMPACT_LINES + 2 * tracker.size) state.rewriteJournal(tracker.tracked());
      },
      beforeSpawn: (name) => void (piping.has(name) && pipes.routing(name)),
    },
    () => o.clock.wallNow(),
  );
  return tracker;
}

/** Supervisors, the oneshot runner, logs and pipelines, wired to the recorded state; then the Daemon. */
function assemble(o: OpenDaemonOptions, db: Db, state: LiveStateStore, live: LiveDir, pipes: PipelineSet): Daemon {
  const { output, ring } = outputOf(o, db);
  const piping = new Set(pipelinesFromDb(db.index).flatMap((p) => [p.consumer, ...p.producers]));
  let daemon: Daemon | undefined;
  const driver = new SupervisorDriver({
    db,
    spawner: trackerOf(o, state, pipes, piping),
    clock: o.clock,
    output,
    env: o.env,
    stdio: (name) => (piping.has(name) ? pipes.routing(name) : undefined),
    killGraceMs: o.killGraceMs,
    onServiceEvent: (i, e) => {
      if (e.type === 'spawned') state.update(i, { pid: e.pid, pgid: e.pid });
      else if (e.type === 'exited') state.update(i, { pid: null });
      else if (e.type === 'down') state.update(i, { pgid: null });
      daemon?.serviceEvent(e.service, e);
    },
  });
  daemon = new Daemon({ paths: live.paths, db, state, services: driver, clock: o.clock, pid: o.pid, killGraceMs: o.killGraceMs, jobs: o.jobs ?? 0, ring, log: o.log });
  return daemon;
}

/** Everything up to a listening daemon; nothing is started yet (call `daemon.change(...)`). */
export async function openDaemon(o: OpenDaemonOptions): Promise<Result<Daemon, BootError>> {
  const opened = await openLiveDir(o.live, o.pid);
  if (!opened.ok) {
    const exitCode = opened.error.kind === 'busy' ? ExitCode.usage : ExitCode.system;
    return err({ exitCode, message: opened.error.message });
  }
  const live = opened.value;
  const loaded = await o.loadDb(live.paths);
  if (!loaded.ok) {
    live.release();
    return loaded;
  }
  const db = loaded.value;
  const state = await recover(o, db, live);
  const pipes = new PipelineSet(join(live.paths.dir, 'pipes'), pipelinesFromDb(db.index));
  const piped = pipes.open();
  if (!piped.ok) {
    live.release();
    return err({ exitCode: ExitCode.system, message: `unable to set up the pipeline ${piped.error.path}: ${piped.error.message}` });
  }
  const daemon = assemble(o, db, state, live, pipes);
  const listening = await daemon.listen();
  if (!listening.ok) {
    pipes.close();
    live.release();
    return err({ exitCode: ExitCode.system, message: listening.error });
  }
  daemon.onExit(() => {
    pipes.close();
    live.release();
  });
  return ok(daemon);
}
