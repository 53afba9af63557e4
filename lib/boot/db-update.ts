// rc update's wiring in db mode: load or compile the new db (LIVE/compiled-N with --source), reconcile pipelines, a new state record, switch the supervisors, prune old copies.
import { rmSync } from 'node:fs';
import { countDiagnostics, formatDiagnostic } from '../core/diagnostics.js';
import { ExitCode } from '../core/exit-codes.js';
import { err, ok, type Result } from '../core/result.js';
import type { Db } from '../db/db.js';
import { readDb } from '../db/read.js';
import type { SupervisorDriver } from '../daemon/driver.js';
import type { ApiError, UpdateCall } from '../daemon/types.js';
import type { LoadedUpdate, UpdateWiring } from '../daemon/update.js';
import type { LiveDir } from '../live/live-dir.js';
import { LiveStateStore } from '../live/live-state.js';
import type { OutputMultiplexer } from '../log/multiplexer.js';
import { pipelinesFromDb, type PipelineSet } from '../log/pipelines.js';
import { freshCopy, pruneCopies } from './compiled-copies.js';

export interface DbUpdateDeps {
  live: LiveDir;
  pid: number;
  pipes: PipelineSet;
  driver: () => SupervisorDriver;
  output: OutputMultiplexer;
  log: (message: string) => void;
}

async function compile(sources: string[], liveDir: string, made: Set<string>): Promise<Result<LoadedUpdate, ApiError>> {
  const { compileToDir, compileExitCode } = await import('../compile/index.js');
  const target = freshCopy(liveDir);
  const out = compileToDir(target, sources);
  const diagnostics = out.diagnostics.map(formatDiagnostic);
  if (!out.ok) {
    const errors = countDiagnostics(out.diagnostics).error;
    const message = `${errors} error${errors === 1 ? '' : 's'} in the source: nothing was updated\n${diagnostics.join('\n')}`;
    return err({ exitCode: compileExitCode(out.diagnostics) || ExitCode.failed, message });
  }
  made.add(target);
  const read = readDb(target);
  return read.ok ? ok({ db: read.value, diagnostics }) : err({ exitCode: ExitCode.system, message: read.error.message });
}

export function dbUpdateWiring(d: DbUpdateDeps): UpdateWiring {
  /** Copies compiled for a request (a dry run's too) and not yet released: never pruned under it. */
  const made = new Set<string>();
  return {
    async load(call: UpdateCall) {
      if (call.source !== undefined && call.source.length > 0) return compile(call.source, d.live.paths.dir, made);
      if (call.compiled === undefined) return err({ exitCode: ExitCode.usage, message: 'rc update needs a compiled database or --source' });
      const read = readDb(call.compiled);
      if (!read.ok) return err({ exitCode: read.error.code === 'invalid-db' ? ExitCode.invalidDb : ExitCode.system, message: read.error.message });
      return ok({ db: read.value, diagnostics: [] });
    },
    prepare(next: Db) {
      const r = d.pipes.reconcile(pipelinesFromDb(next.index));
      return r.ok ? r : err(`unable to set up the pipeline ${r.error.path}: ${r.error.message}`);
    },
    newState(next: Db) {
      const names = next.index.services.map((s) => s.name);
      return new LiveStateStore(d.live.paths, names, { daemonPid: d.pid, db: next.dir }, (e) => d.log(`unable to record the live state: ${e.message}`), () => d.live.owned());
    },
    async switchServices(next: Db, keep: ReadonlyMap<number, number>, renamed: ReadonlyMap<string, string>) {
      for (const [from, to] of renamed) d.output.rename(from, to);
      d.output.setNames(next.index.services.map((s) => s.name));
      await d.driver().switchDb(next, keep);
    },
    switched(previous: Db, next: Db) {
      const pruned = pruneCopies(d.live.paths.dir, [next.dir, previous.dir, ...made]);
      if (pruned.removed.length > 0) d.log(`update: removed older compiled copies (kept ${next.dir} and ${previous.dir}): ${pruned.removed.join(', ')}`);
      for (const dir of pruned.busy) d.log(`update: kept the older compiled copy ${dir}: a service's process still runs in it (it goes at a later update)`);
      for (const e of pruned.errors) d.log(`warning: ${e}`);
    },
    release(next: Db, used: boolean) {
      if (!made.delete(next.dir) || used) return;
      // A copy compiled for a dry run, a refused update or one whose stop phase failed: not served, not kept.
      try {
        rmSync(next.dir, { recursive: true, force: true });
      } catch (e) {
        d.log(`warning: unable to remove the unused compiled copy ${next.dir}: ${(e as Error).message}`);
      }
    },
  };
}
