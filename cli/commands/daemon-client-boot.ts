// The body of `rc boot`, loaded only when booting: db loading (or compiling), wiring the daemon to this process's signals.
import { join, resolve } from 'node:path';
import { systemClock } from '../../lib/core/clock.js';
import { err, ok, type Result } from '../../lib/core/result.js';
import { ExitCode } from '../../lib/core/exit-codes.js';
import type { Db } from '../../lib/db/db.js';
import { readDb } from '../../lib/db/read.js';
import { DEFAULT_COMPILED } from '../../lib/db/types.js';
import type { StreamEvent } from '../../lib/control/protocol.js';
import { openDaemon, type BootError, type Daemon, type LivePaths } from '../../lib/daemon/index.js';
import type { DaemonWiring } from '../../lib/daemon/open.js';
import { openScandirDaemon } from '../../lib/daemon/scandir-open.js';
import type { EngineEvent } from '../../lib/engine/events.js';
import { PlainRenderer } from '../../lib/render/plain.js';
import { createNodeSpawner } from '../../lib/supervise/spawner.js';
import type { BootOptions } from './boot.js';

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

/** First SIGTERM/SIGINT: orderly shutdown; the second: kill everything now. */
function handleSignals(daemon: Daemon): () => void {
  let count = 0;
  const onSignal = (sig: NodeJS.Signals): void => {
    count++;
    if (count === 1) {
      log(`${sig}: shutting down (send it again to kill every service at once)`);
      void daemon.shutdown(0);
    } else {
      log(`${sig} again: killing every service now`);
      daemon.forceKill();
    }
  };
  process.on('SIGTERM', onSignal);
  process.on('SIGINT', onSignal);
  return () => {
    process.off('SIGTERM', onSignal);
    process.off('SIGINT', onSignal);
  };
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
 * What services get: the daemon's environment plus RC_LIVE (to find the daemon) and RC_BIN (how
 * to run rc itself). A plain copy: spreading process.env itself on every spawn is slow.
 */
function serviceEnv(live: string): NodeJS.ProcessEnv {
  const entry = process.argv[1];
  return { ...process.env, RC_LIVE: resolve(live), ...(entry ? { RC_BIN: `${process.execPath} ${entry}` } : {}) };
}

/** Run the daemon until it exits; resolves with rc boot's exit code. */
export async function startDaemon(opts: BootOptions & { live: string }): Promise<number> {
  const color = process.stdout.isTTY === true && !process.env['NO_COLOR'] && process.env['TERM'] !== 'dumb';
  const opened = await openAny(opts, {
    live: opts.live,
    clock: systemClock,
    spawner: createNodeSpawner(),
    stdout: process.stdout,
    stderr: process.stderr,
    env: serviceEnv(opts.live),
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
  const exited = new Promise<number>((resolve) => daemon.onExit(resolve));
  const unhook = handleSignals(daemon);
  const targets = opts.target ?? opened.value.targets;
  if (targets.length === 0) log(opts.scandir !== undefined ? `nothing to bring up in ${opts.scandir}` : 'no --target and no bundle named default: nothing to bring up');
  else void daemon.change(targets, opts.timeout, bootRenderer(opts.quiet === true));
  const code = await exited;
  unhook();
  return code;
}
