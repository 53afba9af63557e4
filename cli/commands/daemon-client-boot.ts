// The body of `rc boot`, loaded only when booting: PID-1 duties, db loading (or compiling), the daemon, CMD, this process's signals.
import { join, resolve } from 'node:path';
import { systemClock } from '../../lib/core/clock.js';
import { err, ok, type Result } from '../../lib/core/result.js';
import { ExitCode } from '../../lib/core/exit-codes.js';
import type { Db } from '../../lib/db/db.js';
import { readDb } from '../../lib/db/read.js';
import { DEFAULT_COMPILED } from '../../lib/db/types.js';
import type { StreamEvent } from '../../lib/control/protocol.js';
import { openDaemon, type BootError, type Daemon } from '../../lib/daemon/index.js';
import { Container, MainCommand } from '../../lib/boot/index.js';
import type { LivePaths } from '../../lib/live/index.js';
import type { DaemonWiring } from '../../lib/daemon/wiring.js';
import { openScandirDaemon } from '../../lib/scandir/open.js';
import { resolveNames } from '../../lib/daemon/resolve.js';
import { signalNumber } from '../../lib/core/signals.js';
import { ChildRegistry } from '../../lib/boot/child-registry.js';
import { startPid1Duties } from '../../lib/boot/pid1-setup.js';
import { sharedLibc } from '../../lib/sys/libc.js';
import { installSignalHandlers, type Pid1SignalHandlers } from '../../lib/boot/signals.js';
import type { EngineEvent } from '../../lib/engine/events.js';
import { PlainRenderer } from '../../lib/render/plain.js';
import { createNodeSpawner, spawnProcess } from '../../lib/supervise/spawner.js';
import type { BootOptions } from './boot.js';
import { releaseEarlySignals } from './boot-signals.js';

const log = (message: string): void => void process.stderr.write(`rc: ${message}\n`);

async function compileSources(sources: string[], target: string): Promise<Result<void, BootError>> {
  const { compileToDir, compileExitCode } = await import('../../lib/compile/index.js');
  const { renderDiagnostics, wantColor } = await import('./print-diagnostics.js');
  const out = compileToDir(target, sources, { force: true });
  process.stderr.write(renderDiagnostics(out.diagnostics, 1, wantColor(process.stderr)));
  if (out.ok) return ok(undefined);
  const errors = out.diagnostics.filter((d) => d.severity === 'error').length;
  return err({ exitCode: compileExitCode(out.diagnostics) || ExitCode.failed, message: `${errors} error${errors === 1 ? '' : 's'} in the source: not booting` });
}

function loader(opts: BootOptions) {
  return async (paths: LivePaths): Promise<Result<Db, BootError>> => {
    let dir = opts.db ?? DEFAULT_COMPILED;
    if (opts.source) {
      dir = join(paths.dir, 'compiled');
      const compiled = await compileSources(opts.source, dir);
      if (!compiled.ok) return compiled;
    }
    const r = readDb(dir);
    if (!r.ok) return err({ exitCode: r.error.code === 'invalid-db' ? ExitCode.invalidDb : ExitCode.system, message: r.error.message });
    return r;
  };
}

/** The daemon and what the boot brings up unless --target: a scandir's services without `down`, else the bundle default. */
async function openAny(opts: BootOptions, wiring: DaemonWiring): Promise<Result<{ daemon: Daemon; targets: string[] }, BootError>> {
  if (opts.scandir !== undefined) return openScandirDaemon({ ...wiring, scandir: opts.scandir });
  const opened = await openDaemon({ ...wiring, loadDb: loader(opts) });
  if (!opened.ok) return opened;
  return ok({ daemon: opened.value, targets: opened.value.db.bundle('default') ? ['default'] : [] });
}

/**
 * Signals are handled from the very first moment (as PID 1 an unhandled SIGTERM would simply be
 * lost); until the container exists, a stop request is remembered and served once it does.
 */
class SignalRouter implements Pid1SignalHandlers {
  #container: Container | null = null;
  #daemon: Daemon | null = null;
  #early: NodeJS.Signals | null = null;

  /** Hand over to the container; true when a signal came first and the daemon is already stopping. */
  attach(container: Container, daemon: Daemon): boolean {
    this.#container = container;
    this.#daemon = daemon;
    if (this.#early === null) return false;
    void daemon.shutdown(this.#early === 'SIGQUIT' ? 128 + signalNumber('SIGQUIT') : 0);
    return true;
  }

  shutdown(sig: NodeJS.Signals): void {
    if (this.#container) this.#container.terminate(sig);
    else this.#remember(sig);
  }

  escalate(sig: NodeJS.Signals): void {
    if (this.#container) this.#container.escalate(sig);
    else this.#remember(sig);
  }

  killAll(sig: NodeJS.Signals): void {
    if (this.#container) this.#container.killAll(sig);
    else this.#remember(sig);
  }

  /** Scandir mode: `rc scan`; otherwise the daemon says there is nothing to scan. */
  rescan(sig: NodeJS.Signals): void {
    log(`${sig}: rescanning`);
    void this.#daemon?.rescan();
  }

  ignored(sig: NodeJS.Signals): void {
    log(`${sig}: ignored`);
  }

  #remember(sig: NodeJS.Signals): void {
    if (this.#early === null) log(`${sig} during start-up: stopping as soon as the daemon is set up`);
    this.#early ??= sig;
  }
}

const QUIET_TYPES = new Set<EngineEvent['type']>(['service-failed', 'service-skipped', 'timeout', 'change-done']);

function bootRenderer(quiet: boolean): (e: StreamEvent) => void {
  const plain = new PlainRenderer(process.stderr);
  return (e) => {
    if (e.kind === 'engine') {
      const ev = e.event as EngineEvent;
      if (!quiet || QUIET_TYPES.has(ev.type)) plain.handle(ev);
    }
  };
}

/**
 * What services (and CMD) get: the daemon's environment plus RC_LIVE (to find the daemon) and
 * RC_BIN (how to run rc itself). A plain copy: spreading process.env on every spawn is slow.
 */
function serviceEnv(live: string, rcEntry: string | undefined): NodeJS.ProcessEnv {
  const entry = rcEntry ?? process.argv[1];
  return { ...process.env, RC_LIVE: resolve(live), ...(entry ? { RC_BIN: `${process.execPath} ${entry}` } : {}) };
}

/**
 * Run rc boot until the daemon exits; resolves with its exit code. PID-1 duties first (every
 * child is registered, so the reaper never takes the exit status Node waits for), then the daemon.
 */
export async function startDaemon(opts: BootOptions & { live: string }): Promise<number> {
  const libc = sharedLibc();
  if (!libc.ok) {
    log(`cannot boot: ${libc.error} (rc calls libc through koffi for flock, mkfifo, waitpid and prctl)`);
    return ExitCode.system;
  }
  const registry = new ChildRegistry();
  const router = new SignalRouter();
  const uninstall = installSignalHandlers(router, process);
  // What came before these handlers existed (rc-fast.ts / boot.ts held it) is served now, in order.
  for (const sig of releaseEarlySignals()) process.emit(sig, sig);
  const duties = await startPid1Duties({ isOwnChild: registry.isOwnChild, signals: process, libc: libc.value, pid: process.pid });
  for (const w of duties.warnings) log(`warning: ${w}`);
  try {
    return await runContainer(opts, registry, router);
  } finally {
    uninstall();
    duties.reaper?.reapNow();
    duties.reaper?.stop();
  }
}

async function runContainer(opts: BootOptions & { live: string }, registry: ChildRegistry, router: SignalRouter): Promise<number> {
  const color = process.stdout.isTTY === true && !process.env['NO_COLOR'] && process.env['TERM'] !== 'dumb';
  const env = serviceEnv(opts.live, opts.rcEntry);
  const opened = await openAny(opts, {
    live: opts.live,
    clock: systemClock,
    spawner: createNodeSpawner({ track: registry.track }),
    stdout: process.stdout,
    stderr: process.stderr,
    env,
    pid: process.pid,
    killGraceMs: opts.killGrace,
    jobs: opts.jobs,
    logFormat: opts.logFormat,
    timestamps: opts.logTimestamps === true,
    color,
    log,
  });
  if (!opened.ok) {
    log(opened.error.message);
    return opened.error.exitCode;
  }
  const { daemon } = opened.value;
  const main = opts.command.length === 0 ? null : new MainCommand({ argv: opts.command, env, spawn: (spec) => spawnProcess(spec, registry.track), clock: systemClock });
  const targets = opts.target ?? opened.value.targets;
  // A misspelt --target is a configuration error, found before anything starts (--on-fail is for failures).
  const known = resolveNames(daemon.db, targets);
  if (!known.ok) {
    log(known.error.message);
    if (known.error.hint) process.stderr.write(`  hint: ${known.error.hint}\n`);
    return daemon.shutdown(known.error.exitCode);
  }
  if (targets.length === 0) log(opts.scandir !== undefined ? `nothing to bring up in ${opts.scandir}` : 'no --target and no bundle named default: nothing to bring up');
  const container = new Container({
    daemon,
    targets,
    timeoutMs: opts.timeout,
    onFail: opts.onFail,
    main,
    killGraceMs: opts.killGrace,
    log,
  });
  // The progress of every transition (the boot change, clients' requests, the shutdown) goes to stderr.
  daemon.subscribe(bootRenderer(opts.quiet === true));
  if (!router.attach(container, daemon)) container.start();
  return container.exited;
}
