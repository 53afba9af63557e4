// openScandirDaemon: the composition root of `rc boot --scandir DIR` (services read from an s6-svscan scan directory).
import { join, resolve } from 'node:path';
import { ExitCode } from '../core/exit-codes.js';
import { err, ok, type Result } from '../core/result.js';
import { Daemon } from './daemon.js';
import { openLiveDir } from './live-dir.js';
import type { LiveStateStore } from './live-state.js';
import { outputOf, recover, type BootError, type DaemonWiring } from './open.js';
import { bootTargets, loadScandir, Scanner } from './scandir.js';
import { ScandirPipes } from './scandir-pipes.js';
import { ScandirServices } from './scandir-services.js';
import { SpawnTracker } from './spawn-tracker.js';

/** The pgid journal is rewritten (bounded) once it holds this many lines. */
const JOURNAL_COMPACT_LINES = 10_000;

export interface OpenScandirOptions extends DaemonWiring {
  /** The scan directory: one service per subfolder with a `run` file. */
  scandir: string;
}

export interface ScandirDaemon {
  daemon: Daemon;
  /** What the boot brings up: every service without a `down` file. */
  targets: string[];
}

/** Every spawn is journaled at once (in the state record current then); pipe ends are reset before a spawn. */
function trackerOf(o: OpenScandirOptions, state: () => LiveStateStore, pipes: ScandirPipes): SpawnTracker {
  const tracker: SpawnTracker = new SpawnTracker(
    o.spawner,
    {
      spawned: (g) => {
        const s = state();
        s.journal(g.pgid, g.name, g.spawnedAt);
        if (s.journalLines > JOURNAL_COMPACT_LINES + 2 * tracker.size) s.rewriteJournal(tracker.tracked());
      },
      beforeSpawn: (name) => void pipes.routing(name),
    },
    () => o.clock.wallNow(),
  );
  return tracker;
}

/** Everything up to a listening daemon; nothing is started yet (call `daemon.change(targets)`). */
export async function openScandirDaemon(o: OpenScandirOptions): Promise<Result<ScandirDaemon, BootError>> {
  const opened = await openLiveDir(o.live, o.pid);
  if (!opened.ok) return err({ exitCode: opened.error.kind === 'busy' ? ExitCode.usage : ExitCode.system, message: opened.error.message });
  const live = opened.value;
  const scandir = resolve(o.scandir);
  const loaded = loadScandir(scandir, o.log);
  if (!loaded.ok) {
    live.release();
    return err({ exitCode: ExitCode.system, message: loaded.error });
  }
  const { db } = loaded.value;
  const initialState = await recover(o, db, live);
  const pipes = new ScandirPipes(join(live.paths.dir, 'pipes', 'scandir'));
  const piped = pipes.open(db);
  if (!piped.ok) {
    live.release();
    return err({ exitCode: ExitCode.system, message: `unable to set up the pipe ${piped.error.path}: ${piped.error.message}` });
  }
  let daemon: Daemon | undefined;
  const state = (): LiveStateStore => daemon?.state ?? initialState;
  const { output, ring } = outputOf(o, db);
  const services = new ScandirServices(
    {
      scandir,
      spawner: trackerOf(o, state, pipes),
      clock: o.clock,
      output,
      env: o.env,
      pipes,
      killGraceMs: o.killGraceMs,
      onServiceEvent: (i, e) => {
        if (e.type === 'spawned') state().update(i, { pid: e.pid, pgid: e.pid });
        else if (e.type === 'exited') state().update(i, { pid: null });
        else if (e.type === 'down') state().update(i, { pgid: null });
        daemon?.serviceEvent(e.service, e);
      },
    },
    db,
  );
  const scanner = new Scanner({ scandir, services, pipes, paths: live.paths, pid: o.pid, killGraceMs: o.killGraceMs, log: o.log });
  daemon = new Daemon({ paths: live.paths, db, state: initialState, services, clock: o.clock, pid: o.pid, killGraceMs: o.killGraceMs, jobs: o.jobs ?? 0, ring, log: o.log, scanner });
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
  return ok({ daemon, targets: bootTargets(loaded.value) });
}
