// openDaemon: composing a db-mode daemon. Lock the live dir, clean up after a dead predecessor, wire services, logs and adapters.
import { join } from 'node:path';
import { ExitCode } from '../core/exit-codes.js';
import { err, ok, type Result } from '../core/result.js';
import type { Db } from '../db/db.js';
import { PipelineSet, pipelinesFromDb } from '../log/pipelines.js';
import { Daemon } from '../daemon/daemon.js';
import { SupervisorDriver } from '../daemon/driver.js';
import type { LiveDir, LivePaths } from '../live/live-dir.js';
import type { LiveStateStore } from '../live/live-state.js';
import { dbUpdateWiring } from './db-update.js';
import { oneshotRecordsOf, openWired, outputOf, recordServiceEvents, recover, serviceOfPid, trackerOf, type Assembled, type BootError, type DaemonWiring } from './wiring.js';

export interface OpenDaemonOptions extends DaemonWiring {
  /** Loads (or compiles) the db once the live directory is locked. */
  loadDb(live: LivePaths): Promise<Result<Db, BootError>> | Result<Db, BootError>;
}

/** Supervisors, the oneshot runner, logs and pipelines, wired to the recorded state; then the Daemon. */
function assemble(o: OpenDaemonOptions, db: Db, state: LiveStateStore, live: LiveDir, pipes: PipelineSet): Daemon {
  const { output, ring } = outputOf(o, db);
  // Set once built; the callbacks below may run before that and then see undefined.
  let daemon: Daemon | undefined = undefined;
  // The state record in use: rc update replaces it (and the db) as a whole.
  const current = (): LiveStateStore => daemon?.state ?? state;
  const tracker = trackerOf(o, current, (name) => void (pipes.has(name) && pipes.routing(name)));
  const driver = new SupervisorDriver({
    db,
    spawner: tracker,
    clock: o.clock,
    output,
    env: o.env,
    stdio: (name) => (pipes.has(name) ? pipes.routing(name) : undefined),
    killGraceMs: o.killGraceMs,
    onServiceEvent: recordServiceEvents(current, () => daemon),
    progress: (m) => daemon?.message(m),
    lockDir: join(live.paths.dir, 'locks'),
    oneshotRecords: oneshotRecordsOf(o, live),
  });
  daemon = new Daemon({
    paths: live.paths,
    db,
    state,
    services: driver,
    clock: o.clock,
    pid: o.pid,
    killGraceMs: o.killGraceMs,
    ...(o.stopTimeoutMs ? { stopTimeoutMs: o.stopTimeoutMs } : {}),
    jobs: o.jobs ?? 0,
    ring,
    ...(o.onEvent ? { onEvent: o.onEvent } : {}),
    serviceOfPid: (pid) => serviceOfPid(tracker, pid),
    updates: dbUpdateWiring({ live, pid: o.pid, pipes, driver: () => driver, output, log: (m) => daemon?.message(m) }),
  });
  return daemon;
}

/** Load the db, recover, open the pipelines and build the daemon (the live dir is locked). */
async function load(o: OpenDaemonOptions, live: LiveDir): Promise<Result<Assembled<Daemon>, BootError>> {
  const loaded = await o.loadDb(live.paths);
  if (!loaded.ok) return loaded;
  const db = loaded.value;
  const state = await recover(o, db, live);
  const pipes = new PipelineSet(join(live.paths.dir, 'pipes'), pipelinesFromDb(db.index));
  const piped = pipes.open();
  if (!piped.ok) return err({ exitCode: ExitCode.system, message: `unable to set up the pipeline ${piped.error.path}: ${piped.error.message}` });
  const daemon = assemble(o, db, state, live, pipes);
  return ok({ daemon, pipes, value: daemon });
}

/** Everything up to a listening daemon; nothing is started yet (call `daemon.change(...)`). */
export function openDaemon(o: OpenDaemonOptions): Promise<Result<Daemon, BootError>> {
  return openWired(o, (live) => load(o, live));
}
