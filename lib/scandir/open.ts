// openScandirDaemon: the composition root of `rc boot --scandir DIR` (services read from an s6-svscan scan directory).
import { join, resolve } from 'node:path';
import { ExitCode } from '../core/exit-codes.js';
import { err, ok, type Result } from '../core/result.js';
import { Daemon } from '../daemon/daemon.js';
import type { LiveDir } from '../live/live-dir.js';
import type { LiveStateStore } from '../live/live-state.js';
import { bootTargets, loadScandir, Scanner, type LoadedScandir } from './scanner.js';
import { ScandirPipes } from './pipes.js';
import { ScandirServices } from './services.js';
import { openWired, outputOf, recordServiceEvents, recover, serviceOfPid, trackerOf, type Assembled, type BootError, type DaemonWiring } from '../boot/wiring.js';

export interface OpenScandirOptions extends DaemonWiring {
  /** The scan directory: one service per subfolder with a `run` file. */
  scandir: string;
}

export interface ScandirDaemon {
  daemon: Daemon;
  /** What the boot brings up: every service without a `down` file. */
  targets: string[];
}

/** Supervisors (one per folder), the scanner, logs, wired to the state record current at each moment (a rescan replaces it). */
function assemble(o: OpenScandirOptions, scandir: string, loaded: LoadedScandir, initialState: LiveStateStore, live: LiveDir, pipes: ScandirPipes): Daemon {
  const { db } = loaded;
  // Set once built; the callbacks below may run before that and then see undefined.
  let daemon: Daemon | undefined = undefined;
  const state = (): LiveStateStore => daemon?.state ?? initialState;
  const { output, ring } = outputOf(o, db);
  const tracker = trackerOf(o, state, (name) => void pipes.routing(name));
  const message = (m: string): void => (daemon ? daemon.message(m) : o.log(m));
  const services = new ScandirServices(
    {
      scandir,
      spawner: tracker,
      clock: o.clock,
      output,
      env: o.env,
      pipes,
      killGraceMs: o.killGraceMs,
      lockDir: join(live.paths.dir, 'locks'),
      onServiceEvent: recordServiceEvents(state, () => daemon),
      progress: message,
    },
    db,
  );
  const scanner = new Scanner({ scandir, services, pipes, paths: live.paths, owned: () => live.owned(), pid: o.pid, killGraceMs: o.killGraceMs, log: message });
  daemon = new Daemon({
    paths: live.paths,
    db,
    state: initialState,
    services,
    clock: o.clock,
    pid: o.pid,
    killGraceMs: o.killGraceMs,
    ...(o.stopTimeoutMs ? { stopTimeoutMs: o.stopTimeoutMs } : {}),
    jobs: o.jobs ?? 0,
    ring,
    ...(o.onEvent ? { onEvent: o.onEvent } : {}),
    rescanner: scanner,
    serviceOfPid: (pid) => serviceOfPid(tracker, pid),
  });
  return daemon;
}

/** Read the folder, recover, open the pipes and build the daemon (the live dir is locked). */
async function load(o: OpenScandirOptions, live: LiveDir): Promise<Result<Assembled<ScandirDaemon>, BootError>> {
  const scandir = resolve(o.scandir);
  const loaded = loadScandir(scandir, o.log);
  if (!loaded.ok) return err({ exitCode: ExitCode.system, message: loaded.error });
  const state = await recover(o, loaded.value.db, live);
  const pipes = new ScandirPipes(join(live.paths.dir, 'pipes', 'scandir'));
  const piped = pipes.open(loaded.value.db);
  if (!piped.ok) return err({ exitCode: ExitCode.system, message: `unable to set up the pipe ${piped.error.path}: ${piped.error.message}` });
  const daemon = assemble(o, scandir, loaded.value, state, live, pipes);
  return ok({ daemon, pipes, value: { daemon, targets: bootTargets(loaded.value) } });
}

/** Everything up to a listening daemon; nothing is started yet (call `daemon.change(targets)`). */
export function openScandirDaemon(o: OpenScandirOptions): Promise<Result<ScandirDaemon, BootError>> {
  return openWired(o, (live) => load(o, live));
}
