// rc update in the daemon: load the new db, diff it against the one served, plan, stop under the old db, switch, start under the new one.
//
// The switch happens between the phases, as s6-rc-update does: when the stop phase fails, the
// daemon keeps serving the old db (nothing is started, the live dir still records the old db);
// once it is done, the pipes are reconciled, a new state record naming the new db is written,
// the daemon serves the new db (unchanged longruns keep their supervisor), then the start phase
// runs. A failure there is a change failure (exit 1): the new db is in place.
import { existsSync, realpathSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { formatDiagnostic } from '../core/diagnostics.js';
import { ExitCode } from '../core/exit-codes.js';
import { err, ok, type Result } from '../core/result.js';
import { serviceDigests } from '../db/content-hash.js';
import type { Db } from '../db/db.js';
import { diffDbs, type Conversion, type DbDiff } from '../db/diff.js';
import { SERVICEDIRS } from '../db/types.js';
import type { ChangePhase, EngineEvent, ExecutionSummary } from '../engine/events.js';
import type { LiveStateStore } from '../live/live-state.js';
import { plan as makePlan } from '../plan/plan.js';
import { planUpdate, type UpdatePlan, type UpdateTarget } from '../plan/update.js';
import { parseConvfile } from '../source/convfile.js';
import { notRunning, runPlan, type TransitionHost } from './transitions.js';
import type { ApiError, StreamEvent, UpdateCall, UpdateResultData } from './types.js';

export interface LoadedUpdate {
  db: Db;
  /** The compiler's diagnostics (with --source), formatted. */
  diagnostics: string[];
}

/** What only the composition root can do for an update: load or compile the db, pipes, the state record, the supervisors. */
export interface UpdateWiring {
  load(call: UpdateCall): Promise<Result<LoadedUpdate, ApiError>>;
  /** Set up what the new db needs before the services switch (pipelines). Err: nothing was switched. */
  prepare(next: Db): Result<void, string>;
  /** A fresh state record for `next` (nothing is written until it is flushed). */
  newState(next: Db): LiveStateStore;
  /** Switch the services to `next`; `keep` maps old to new indices of the unchanged ones, `renamed` old names to new ones among them. */
  switchServices(next: Db, keep: ReadonlyMap<number, number>, renamed: ReadonlyMap<string, string>): Promise<void>;
  /** After the switch and the start phase (done or not): `next` is served, `previous` was (e.g. prune older compiled copies). */
  switched?(previous: Db, next: Db): void;
  /** `next`, loaded for this update, is done with: served (`used`), or not (a dry run, a refusal, a failed stop phase: a copy compiled for it can go). */
  release?(next: Db, used: boolean): void;
}

export interface UpdateHost extends TransitionHost {
  replaceDb(db: Db, state: LiveStateStore): void;
}

export interface PreparedUpdate {
  next: Db;
  diff: DbDiff;
  plan: UpdatePlan;
  diagnostics: string[];
  notes: string[];
}

const usage = (message: string, hint?: string): ApiError => ({ exitCode: ExitCode.usage, message, ...(hint ? { hint } : {}) });

const sameDir = (a: string, b: string): boolean => {
  try {
    return realpathSync(a) === realpathSync(b);
  } catch {
    return a === b;
  }
};

/** The conversion file, checked against both dbs: every old name is a service of the db served, every new name one of the new db. */
async function readConversions(path: string, old: Db, next: Db): Promise<Result<Map<string, Conversion>, ApiError>> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (e) {
    return err({ exitCode: ExitCode.system, message: `unable to read the conversion file ${path}: ${(e as Error).message}` });
  }
  const parsed = parseConvfile(text, path);
  if (parsed.diagnostics.length > 0) return err(usage(parsed.diagnostics.map(formatDiagnostic).join('\n')));
  const out = new Map<string, Conversion>();
  const targets = new Map<string, string>();
  for (const e of parsed.entries) {
    const where = `${path}:${e.line}`;
    if (old.resolve(e.from)?.kind !== 'atomic') {
      const guess = old.closest(e.from);
      return err({ exitCode: ExitCode.unknownName, message: `${where}: '${e.from}' is not a service of the database in use (${old.dir})`, ...(guess ? { hint: `did you mean '${guess}'?` } : {}) });
    }
    if (next.resolve(e.to)?.kind !== 'atomic') {
      const guess = next.closest(e.to);
      return err({ exitCode: ExitCode.unknownName, message: `${where}: '${e.to}' is not a service of the new database (${next.dir})`, ...(guess ? { hint: `did you mean '${guess}'?` } : {}) });
    }
    const other = targets.get(e.to);
    if (other !== undefined) return err(usage(`${where}: '${e.from}' and '${other}' are both converted to '${e.to}'`, 'each new name may stand for one old service'));
    targets.set(e.to, e.from);
    out.set(e.from, { to: e.to, restart: e.restart });
  }
  // A name taken by a rename must not also be kept by the old service of that name.
  for (const [to, from] of targets) {
    if (to !== from && old.resolve(to)?.kind === 'atomic' && !out.has(to)) {
      return err(usage(`${path}: '${from}' is renamed to '${to}', but the database in use has a '${to}' too`, `rename '${to}' as well (e.g. '${to} -> ${to}-old'), or pick another name`));
    }
  }
  return ok(out);
}

/**
 * The last change's targets, re-resolved in the new db (targets it no longer has are dropped),
 * plus every up service of the db in use whose name is a bundle in the new one: its contents
 * replace it (as s6-rc-update does).
 */
function wantedTargets(host: UpdateHost, next: Db): UpdateTarget[] {
  const became = [...host.state.upSet()].map((i) => host.db.service(i).name).filter((n) => next.bundle(n) !== undefined);
  return [...(host.lastTargets ?? []), ...became].flatMap((name) => {
    const members = next.resolveAtomic(name);
    return members ? [{ name, members }] : [];
  });
}

/** Load the new db, read the conversion file, hash both dbs' files (async), diff and plan against the state now. */
export async function prepareUpdate(host: UpdateHost, wiring: UpdateWiring, call: UpdateCall): Promise<Result<PreparedUpdate, ApiError>> {
  const loaded = await wiring.load(call);
  if (!loaded.ok) return loaded;
  const p = await prepareLoaded(host, call, loaded.value);
  if (!p.ok) wiring.release?.(loaded.value.db, false);
  return p;
}

/** A dry run: the plan, and the loaded db released (a copy compiled for it is removed). */
export async function dryRunUpdate(host: UpdateHost, wiring: UpdateWiring, call: UpdateCall): Promise<Result<{ exitCode: number; data: UpdateResultData }, ApiError>> {
  const p = await prepareUpdate(host, wiring, call);
  if (!p.ok) return p;
  wiring.release?.(p.value.next, false);
  return ok({ exitCode: 0, data: updateData(p.value, [], false) });
}

async function prepareLoaded(host: UpdateHost, call: UpdateCall, loaded: LoadedUpdate): Promise<Result<PreparedUpdate, ApiError>> {
  const next = loaded.db;
  const old = host.db;
  if (sameDir(next.dir, old.dir)) {
    return err(usage(`${next.dir} is the database in use: rc update needs the new database in another directory`, 'compile it elsewhere (rc compile NEWDIR SOURCE...), or use rc update --source SOURCE...'));
  }
  let conversions = new Map<string, Conversion>();
  if (call.convfile !== undefined) {
    const read = await readConversions(call.convfile, old, next);
    if (!read.ok) return read;
    conversions = read.value;
  }
  const notes: string[] = [];
  if (!existsSync(join(old.dir, SERVICEDIRS))) notes.push(`the service directories of the database in use (${old.dir}) are gone: every service counts as changed`);
  const [oldFiles, nextFiles] = await Promise.all([serviceDigests(old), serviceDigests(next)]);
  const diff = diffDbs({ old, next, oldFiles, nextFiles, conversions });
  const up = host.state.upSet();
  const wanted = new Set<number>();
  for (let i = 0; i < old.size; i++) if (host.state.get(i).wanted) wanted.add(i);
  const planned = planUpdate({ old: old.index, next: next.index, diff, current: { up, notRunning: notRunning(host, up) }, wanted, targets: wantedTargets(host, next) });
  if (!planned.ok) return err({ exitCode: ExitCode.invalidDb, message: planned.error.message });
  return ok({ next, diff, plan: planned.value, diagnostics: loaded.diagnostics, notes });
}

/** The answer's data. */
export function updateData(p: PreparedUpdate, summaries: ExecutionSummary[], switched: boolean, notes: string[] = []): UpdateResultData {
  const { diff } = p;
  return {
    db: p.next.dir,
    removed: diff.removed.map((r) => r.name),
    changed: diff.changed.map((c) => ({ name: c.name, from: c.from, fields: c.fields })),
    renamed: diff.unchanged.filter((u) => u.from !== u.name).map((u) => ({ from: u.from, name: u.name })),
    unchanged: diff.unchanged.length,
    added: diff.added.map((a) => a.name),
    stop: p.plan.stop,
    start: p.plan.start,
    summaries,
    switched,
    diagnostics: p.diagnostics,
    notes: [...p.notes, ...notes],
  };
}

export interface UpdateRunOptions {
  timeoutMs: number;
  jobs: number;
  signal: AbortSignal;
  onEvent: (e: EngineEvent) => void;
  /** The caller's stream (oneshot output lines). */
  onStream?: (e: StreamEvent) => void;
  /** Names whose supervisor events go to the caller too. */
  names: Set<string>;
}

/** A new state record for the new db: kept services keep their record (a changed one only whether it is up and wanted). */
function carryState(host: UpdateHost, wiring: UpdateWiring, p: PreparedUpdate): LiveStateStore {
  const state = wiring.newState(p.next);
  for (const u of p.diff.unchanged) state.carry(host.state, u.oldIndex, u.index);
  for (const c of p.diff.changed) {
    const r = host.state.get(c.oldIndex);
    state.update(c.index, { up: r.up, wanted: r.wanted });
  }
  const wanted = new Set(p.plan.wanted);
  for (let i = 0; i < p.next.size; i++) state.update(i, { wanted: wanted.has(i) });
  return state;
}

type PhaseRun = Omit<UpdateRunOptions, 'names' | 'onStream'>;

/** The run options of one phase: its change-done says which phase ended. */
function phaseRun(run: PhaseRun, phase: ChangePhase): PhaseRun {
  return { ...run, onEvent: (e) => run.onEvent(e.type === 'change-done' ? { ...e, phase } : e) };
}

/** After a failed stop phase (no switch): start again, under the db in use, what it stopped. Null when it stopped nothing. */
async function restoreStopped(host: UpdateHost, stopped: ExecutionSummary, run: PhaseRun): Promise<ExecutionSummary | null> {
  if (stopped.done.length === 0 || run.signal.aborted) return null;
  const planned = makePlan(host.db.index, { up: host.state.upSet() }, { kind: 'up', targets: stopped.done });
  if (!planned.ok || planned.value.steps.length === 0) return null;
  return (await runPlan(host, planned.value, phaseRun(run, 'update-restore'))).data.summary!;
}

/** Run a prepared update: the stop phase, the switch, the start phase. */
export async function runUpdate(host: UpdateHost, wiring: UpdateWiring, p: PreparedUpdate, o: UpdateRunOptions): Promise<{ exitCode: number; data: UpdateResultData }> {
  for (const s of [...p.plan.stop.steps, ...p.plan.start.steps]) o.names.add(s.name);
  host.services.setOutputListener((service, stream, line) => o.onStream?.({ kind: 'output', service, stream, line }));
  let switched = false;
  try {
    const run = { timeoutMs: o.timeoutMs, jobs: o.jobs, signal: o.signal, onEvent: o.onEvent };
    const stop = await runPlan(host, p.plan.stop, phaseRun(run, 'update-stop'));
    const summaries = [stop.data.summary!];
    if (stop.exitCode !== 0) {
      const restored = await restoreStopped(host, stop.data.summary!, run);
      if (restored) summaries.push(restored);
      const again = restored ? `; what it stopped was started again under it (${restored.ok ? 'done' : 'not all of it'})` : '';
      return { exitCode: stop.exitCode, data: updateData(p, summaries, false, [`the stop phase did not complete: the daemon still serves ${host.db.dir}${again}; fix the problem and run rc update again`]) };
    }
    const prepared = wiring.prepare(p.next);
    if (!prepared.ok) return { exitCode: ExitCode.system, data: updateData(p, summaries, false, [`${prepared.error}: the daemon still serves ${host.db.dir}`]) };
    const state = carryState(host, wiring, p);
    await host.state.flush();
    // From here on the live dir records the new db.
    await state.flush();
    const previous = host.db;
    host.replaceDb(p.next, state);
    switched = true;
    const renamed = new Map(p.diff.unchanged.filter((u) => u.from !== u.name).map((u) => [u.from, u.name]));
    await wiring.switchServices(p.next, new Map(p.diff.unchanged.map((u) => [u.oldIndex, u.index])), renamed);
    const start = await runPlan(host, p.plan.start, phaseRun(run, 'update-start'));
    summaries.push(start.data.summary!);
    wiring.switched?.(previous, p.next);
    return { exitCode: start.exitCode, data: updateData(p, summaries, true) };
  } finally {
    host.services.setOutputListener(null);
    wiring.release?.(p.next, switched);
  }
}

/** One line for the daemon's log: what an update did. */
export function updateLine(d: UpdateResultData): string {
  const part = (label: string, names: string[]) => (names.length > 0 ? [`${label} ${names.join(', ')}`] : []);
  const parts = [
    ...part('removed', d.removed),
    ...part('changed', d.changed.map((c) => c.name)),
    ...part('renamed', d.renamed.map((r) => `${r.from} -> ${r.name}`)),
    ...part('added', d.added),
  ];
  const what = parts.length > 0 ? parts.join('; ') : 'no change';
  return d.switched ? `updated to ${d.db}: ${what}` : `warning: update to ${d.db} not done (${what}): the database in use is unchanged`;
}
