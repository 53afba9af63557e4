// rc boot as a function: libc, signals, PID-1 duties, the daemon (db or scandir), the target, CMD; resolves with the exit code.
import { systemClock } from '../core/clock.js';
import { ExitCode } from '../core/exit-codes.js';
import { resolveNames } from '../daemon/resolve.js';
import { createNodeSpawner, spawnProcess } from '../supervise/spawner.js';
import { ChildRegistry } from './child-registry.js';
import { Container } from './container.js';
import { MainCommand } from './main-command.js';
import { openAny, serviceEnv } from './open.js';
import { startPid1Duties } from './pid1-setup.js';
import { wantsColour, type BootOptions, type BootPort } from './port.js';
import { bootRenderer } from './progress.js';
import { SignalRouter } from './signal-router.js';
import { installSignalHandlers } from './signals.js';

const logTo = (port: BootPort) => (message: string): void => void port.stderr.write(`rc: ${message}\n`);

/**
 * Run rc boot until the daemon exits; resolves with its exit code. libc first (without it rc
 * cannot lock its live dir nor reap: exit 111), then the signal handlers (serving what the CLI
 * held meanwhile), PID-1 duties (every child is registered, so the reaper never takes the exit
 * status Node waits for), then the daemon.
 */
export async function runBoot(opts: BootOptions, port: BootPort): Promise<number> {
  const log = logTo(port);
  const libc = port.loadLibc();
  if (!libc.ok) {
    log(`cannot boot: ${libc.error} (rc calls libc through koffi for flock, mkfifo, waitpid and prctl)`);
    return ExitCode.system;
  }
  const registry = new ChildRegistry();
  const router = new SignalRouter(log);
  const uninstall = installSignalHandlers(router, port);
  for (const sig of port.releaseHeldSignals()) port.emit(sig, sig);
  const duties = await startPid1Duties({ isOwnChild: registry.isOwnChild, signals: port, libc: libc.value, pid: port.pid });
  for (const w of duties.warnings) log(`warning: ${w}`);
  try {
    return await runContainer(opts, port, registry, router);
  } finally {
    uninstall();
    duties.reaper?.reapNow();
    duties.reaper?.stop();
  }
}

async function runContainer(opts: BootOptions, port: BootPort, registry: ChildRegistry, router: SignalRouter): Promise<number> {
  const log = logTo(port);
  const env = serviceEnv(opts.live, opts.rcEntry, port);
  const wiring = {
    live: opts.live,
    clock: systemClock,
    spawner: createNodeSpawner({ track: registry.track }),
    stdout: port.stdout,
    stderr: port.stderr,
    env,
    pid: port.pid,
    killGraceMs: opts.killGrace,
    jobs: opts.jobs,
    logFormat: opts.logFormat,
    timestamps: opts.logTimestamps === true,
    color: wantsColour(port),
    log,
  };
  const opened = await openAny(opts, wiring, port);
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
    if (known.error.hint) port.stderr.write(`  hint: ${known.error.hint}\n`);
    return daemon.shutdown(known.error.exitCode);
  }
  if (targets.length === 0) log(opts.scandir !== undefined ? `nothing to bring up in ${opts.scandir}` : 'no --target and no bundle named default: nothing to bring up');
  const container = new Container({ daemon, targets, timeoutMs: opts.timeout, onFail: opts.onFail, main, killGraceMs: opts.killGrace, log });
  // The progress of every transition (the boot change, clients' requests, the shutdown) goes to stderr.
  daemon.subscribe(bootRenderer(opts.quiet === true, port.stderr));
  if (!router.attach(container, daemon)) container.start();
  return container.exited;
}
