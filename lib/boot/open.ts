// Opening rc boot's daemon: a db (read, or compiled at boot from --source) or a scandir, plus the default-target rule.
import { join, resolve } from 'node:path';
import { countDiagnostics } from '../core/diagnostics.js';
import { ExitCode } from '../core/exit-codes.js';
import { err, ok, type Result } from '../core/result.js';
import type { Db } from '../db/db.js';
import { readDb } from '../db/read.js';
import { DEFAULT_COMPILED } from '../db/types.js';
import type { Daemon } from '../daemon/index.js';
import { openDaemon } from './open-daemon.js';
import type { BootError, DaemonWiring } from './wiring.js';
import type { LivePaths } from '../live/index.js';
import { openScandirDaemon } from '../scandir/open.js';
import type { Diagnostic } from '../core/diagnostics.js';
import type { BootOptions, BootPort } from './port.js';

/** How the compiler's diagnostics are shown (as text, or as JSON lines with --log-format json). */
export interface Show {
  diagnostics(list: readonly Diagnostic[]): void;
}

async function compileSources(sources: string[], target: string, show: Show): Promise<Result<void, BootError>> {
  const { compileToDir, compileExitCode } = await import('../compile/index.js');
  const out = compileToDir(target, sources, { force: true });
  show.diagnostics(out.diagnostics);
  if (out.ok) return ok(undefined);
  const errors = countDiagnostics(out.diagnostics).error;
  return err({ exitCode: compileExitCode(out.diagnostics) || ExitCode.failed, message: `${errors} error${errors === 1 ? '' : 's'} in the source: not booting` });
}

function loader(opts: BootOptions, show: Show) {
  return async (paths: LivePaths): Promise<Result<Db, BootError>> => {
    let dir = opts.db ?? DEFAULT_COMPILED;
    if (opts.source) {
      dir = join(paths.dir, 'compiled');
      const compiled = await compileSources(opts.source, dir, show);
      if (!compiled.ok) return compiled;
    }
    const r = readDb(dir);
    if (!r.ok) return err({ exitCode: r.error.code === 'invalid-db' ? ExitCode.invalidDb : ExitCode.system, message: r.error.message });
    return r;
  };
}

/** The daemon and what the boot brings up unless --target: a scandir's services without `down`, else the bundle default. */
export async function openAny(opts: BootOptions, wiring: DaemonWiring, show: Show): Promise<Result<{ daemon: Daemon; targets: string[] }, BootError>> {
  if (opts.scandir !== undefined) return openScandirDaemon({ ...wiring, scandir: opts.scandir });
  const opened = await openDaemon({ ...wiring, loadDb: loader(opts, show) });
  if (!opened.ok) return opened;
  return ok({ daemon: opened.value, targets: opened.value.db.bundle('default') ? ['default'] : [] });
}

/**
 * What services (and CMD) get: the daemon's environment plus RC_LIVE (to find the daemon) and
 * RC_BIN (how to run rc itself). A plain copy: spreading the environment on every spawn is slow.
 */
export function serviceEnv(live: string, rcEntry: string | undefined, port: Pick<BootPort, 'env' | 'execPath' | 'entryScript'>): NodeJS.ProcessEnv {
  const entry = rcEntry ?? port.entryScript;
  return { ...port.env, RC_LIVE: resolve(live), ...(entry ? { RC_BIN: `${port.execPath} ${entry}` } : {}) };
}
