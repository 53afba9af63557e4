// rc boot as a function: libc, signals, PID-1 duties, the daemon (db or scandir), the target, CMD; resolves with the exit code.
import { systemClock } from '../core/clock.js';
import { ExitCode } from '../core/exit-codes.js';
import { controlSocket } from '../control/serve.js';
import { httpAdapter } from '../http/adapter.js';
import { messageEvent } from '../daemon/daemon.js';
import { LogRenderer } from '../render/log-renderer.js';
import { resolveNames } from '../daemon/resolve.js';
import type { Launcher } from '../supervise/launcher.js';
import { startPid1Duties } from '../supervise/pid1-setup.js';
import { createReapingLauncher } from '../supervise/reaping-launcher.js';
import { keepYoungGenerationSmall } from './heap.js';
import { Container } from './container.js';
import { MainCommand } from './main-command.js';
import { openAny, serviceEnv } from './open.js';
import { wantsColour, type BootOptions, type BootPort } from './port.js';
import { formatDiagnostic, type Diagnostic } from '../core/diagnostics.js';
import type { DaemonEvent } from '../daemon/events.js';
import { SignalRouter } from './signal-router.js';
import { installSignalHandlers } from './signals.js';

/** rc boot's own output on stderr: every event that says something, as "rc: ..." lines or (--log-format json) JSON objects. */
const rendererFor = (opts: BootOptions, port: BootPort): LogRenderer =>
  new LogRenderer(port.stderr, { format: opts.logFormat, timestamps: opts.logTimestamps === true, quiet: opts.quiet === true, wallNow: () => systemClock.wallNow() });

/**
 * Run rc boot until the daemon exits; resolves with its exit code. libc first (without it rc
 * cannot lock its live dir nor reap: exit 111), then the signal handlers (serving what the CLI
 * held meanwhile), PID-1 duties (every child is registered, so the reaper never takes the exit
 * status Node waits for), then the daemon.
 */
export async function runBoot(opts: BootOptions, port: BootPort): Promise<number> {
  keepYoungGenerationSmall();
  const renderer = rendererFor(opts, port);
  const log = (message: string): void => renderer.handle(messageEvent(message));
  const libc = port.loadLibc();
  if (!libc.ok) {
    renderer.message('error', `cannot boot: ${libc.error} (rc calls libc through koffi for flock, mkfifo, waitpid and prctl)`);
    return ExitCode.system;
  }
  // Two sets of children the reaper must not take: libuv's (node spawner) and the child waiter's (posix spawner).
  const { launcher, isOwnChild } = createReapingLauncher(port.env);
  if (launcher.note !== null) log(`warning: ${launcher.note}`);
  const router = new SignalRouter(log);
  const uninstall = installSignalHandlers(router, port);
  for (const sig of port.releaseHeldSignals()) port.emit(sig, sig);
  const duties = startPid1Duties({ isOwnChild, signals: port, libc: libc.value, pid: port.pid });
  for (const w of duties.warnings) log(`warning: ${w}`);
  try {
    return await runContainer(opts, port, launcher, router, renderer);
  } finally {
    uninstall();
    duties.reaper?.reapNow();
    duties.reaper?.stop();
  }
}

async function runContainer(opts: BootOptions, port: BootPort, launcher: Launcher, router: SignalRouter, renderer: LogRenderer): Promise<number> {
  const log = (message: string): void => renderer.handle(messageEvent(message));
  const env = serviceEnv(opts.live, opts.rcEntry, port);
  const wiring = {
    live: opts.live,
    clock: systemClock,
    spawner: launcher.spawner,
    stdout: port.stdout,
    stderr: port.stderr,
    env,
    pid: port.pid,
    killGraceMs: opts.killGrace,
    stopTimeoutMs: opts.stopTimeout ?? 0,
    jobs: opts.jobs,
    logFormat: opts.logFormat,
    timestamps: opts.logTimestamps === true,
    color: wantsColour(port),
    log,
    onEvent: (e: DaemonEvent) => renderer.handle(e),
    adapters: [controlSocket, ...(opts.http ? [httpAdapter({ address: opts.http, ...(opts.httpTokenFile !== undefined ? { tokenFile: opts.httpTokenFile } : {}) })] : [])],
  };
  const show = {
    diagnostics: (list: readonly Diagnostic[]): void => {
      // With --log-format json every line rc writes is a JSON object, the compiler's diagnostics too.
      if (opts.logFormat !== 'json') return void port.stderr.write(port.formatDiagnostics(list));
      for (const d of list) renderer.message(d.severity === 'error' ? 'error' : 'warning', formatDiagnostic({ ...d, hint: undefined, related: undefined }), d.hint);
    },
  };
  const opened = await openAny(opts, wiring, show);
  if (!opened.ok) {
    log(opened.error.message);
    return opened.error.exitCode;
  }
  const { daemon } = opened.value;
  const main = opts.command.length === 0 ? null : new MainCommand({ argv: opts.command, env, spawn: (spec) => launcher.spawnProcess(spec), clock: systemClock });
  const targets = opts.target ?? opened.value.targets;
  // A misspelt --target is a configuration error, found before anything starts (--on-fail is for failures).
  const known = resolveNames(daemon.db, targets);
  if (!known.ok) {
    renderer.message('error', known.error.message, known.error.hint);
    return daemon.shutdown(known.error.exitCode);
  }
  if (targets.length === 0) log(opts.scandir !== undefined ? `nothing to bring up in ${opts.scandir}` : 'no --target and no bundle named default: nothing to bring up');
  const container = new Container({ daemon, targets, timeoutMs: opts.timeout, onFail: opts.onFail, main, killGraceMs: opts.killGrace, log });
  if (!router.attach(container, daemon)) container.start();
  return container.exited;
}
