// Scanner: `rc scan` / SIGHUP in scandir mode. Reads the folder again and moves the daemon to the new set.
//
// A scan runs as a queued job (never next to a change): (1) services whose folder is gone, or
// whose settings changed, are stopped (through the engine, in order: a service before its
// logger); (2) the daemon switches to a new immutable Db and a new state record, keeping the
// supervisors (and records) of unchanged services; (3) new services start unless they have a
// `down` file, and changed ones that were up start again with their new settings.
import { formatDiagnostic } from '../core/diagnostics.js';
import { err, ok, type Result } from '../core/result.js';
import type { Db } from '../db/db.js';
import type { ExecutionSummary } from '../engine/events.js';
import { plan as makePlan, type PlanRequest } from '../plan/index.js';
import type { ScanResultData } from '../daemon/types.js';
import type { Rescanner, RescanHost, RescanJob } from '../daemon/jobs.js';
import { readScandir, type ScandirRead } from './read.js';
import type { LivePaths } from '../live/live-dir.js';
import { LiveStateStore } from '../live/live-state.js';
import { scandirDb, settingsKey } from './scandir-db.js';
import type { ScandirPipes } from './pipes.js';
import type { ScandirServices } from './services.js';
import { runPlan } from '../daemon/transitions.js';

type ScanHost = RescanHost;
type ScanJob = RescanJob;

export interface ScanOutcome {
  exitCode: number;
  data: ScanResultData;
}

export interface ScandirDiff {
  added: string[];
  removed: string[];
  /** Same name, different settings: the supervisor is replaced. */
  changed: string[];
  unchanged: string[];
}

/** Compare two scandir dbs by name and settings. Pure. */
export function diffScandir(before: Db, after: Db): ScandirDiff {
  const out: ScandirDiff = { added: [], removed: [], changed: [], unchanged: [] };
  for (const s of before.index.services) {
    const r = after.resolve(s.name);
    if (r?.kind !== 'atomic') out.removed.push(s.name);
    else if (settingsKey(before, s.index) === settingsKey(after, r.index)) out.unchanged.push(s.name);
    else out.changed.push(s.name);
  }
  for (const s of after.index.services) if (before.resolve(s.name) === undefined) out.added.push(s.name);
  return out;
}

export interface ScannerOptions {
  scandir: string;
  services: ScandirServices;
  pipes: ScandirPipes;
  paths: LivePaths;
  /** The live dir is still this daemon's (LiveDir.owned): state records are written only then. */
  owned: () => boolean;
  pid: number;
  killGraceMs: number;
  log: (message: string) => void;
}

const indicesOf = (db: Db, names: Iterable<string>): number[] => [...names].map((n) => db.resolveAtomic(n)![0]!);

export interface LoadedScandir {
  db: Db;
  read: ScandirRead;
  /** Names with a `down` file. */
  down: Set<string>;
}

/** Read the folder into a Db; every diagnostic is logged. Err when the folder itself cannot be read. */
export function loadScandir(scandir: string, log: (message: string) => void): Result<LoadedScandir, string> {
  const read = readScandir(scandir);
  if (!read.ok) return err(read.error.message);
  for (const d of read.value.diagnostics) for (const line of formatDiagnostic(d).split('\n')) log(line);
  const down = new Set(read.value.services.filter((s) => s.down).map((s) => s.name));
  return ok({ db: scandirDb(scandir, read.value.services), read: read.value, down });
}

/** What comes up at boot: every service without a `down` file. */
export const bootTargets = (loaded: LoadedScandir): string[] =>
  loaded.db.index.services.map((s) => s.name).filter((n) => !loaded.down.has(n));

export class Scanner implements Rescanner {
  readonly #o: ScannerOptions;

  constructor(o: ScannerOptions) {
    this.#o = o;
  }

  async scan(host: ScanHost, job: ScanJob): Promise<Result<ScanOutcome, string>> {
    const loaded = loadScandir(this.#o.scandir, this.#o.log);
    if (!loaded.ok) return err(`${loaded.error}: nothing changed`);
    const { db: next, read, down } = loaded.value;
    const opened = this.#o.pipes.open(next);
    if (!opened.ok) return err(`unable to set up the pipe ${opened.error.path}: ${opened.error.message}: nothing changed`);
    const diff = diffScandir(host.db, next);
    const wasUp = new Set([...host.state.upSet()].map((i) => host.db.service(i).name));
    const summaries: ExecutionSummary[] = [];
    const codes: number[] = [];
    const run = async (req: PlanRequest): Promise<ExecutionSummary | null> => {
      const r = await this.#runStep(host, req, job);
      if (r) {
        summaries.push(r.summary);
        codes.push(r.exitCode);
      }
      return r?.summary ?? null;
    };
    const retiring = indicesOf(host.db, [...diff.removed, ...diff.changed]);
    this.#o.services.retire(retiring);
    await run({ kind: 'down', targets: retiring, label: 'scan' });
    await this.#o.services.forceDown(retiring);
    await this.#switchTo(host, next, new Set(diff.unchanged));
    const added = new Set(diff.added);
    const starting = next.index.services
      .filter((s) => (added.has(s.name) && !down.has(s.name)) || (wasUp.has(s.name) && !host.state.get(s.index).up))
      .map((s) => s.name);
    const up = await run({ kind: 'up', targets: indicesOf(next, starting), label: 'scan' });
    const data: ScanResultData = {
      dir: host.db.dir,
      added: diff.added,
      removed: diff.removed,
      replaced: diff.changed,
      started: (up?.done ?? []).map((i) => next.service(i).name),
      skipped: read.skipped,
      diagnostics: read.diagnostics.map(formatDiagnostic),
      summaries,
    };
    this.#o.log(scanLine(data));
    return ok({ exitCode: Math.max(0, ...codes), data });
  }

  /** Plan and run one step of the scan on the current db; null when there is nothing to do. */
  async #runStep(host: ScanHost, req: PlanRequest, job: ScanJob): Promise<{ summary: ExecutionSummary; exitCode: number } | null> {
    if (req.targets.length === 0 || job.signal.aborted) return null;
    const planned = makePlan(host.db.index, { up: host.state.upSet() }, req, { force: true });
    if (!planned.ok) throw new Error(`scan: ${planned.error.message}`);
    if (req.kind === 'up') for (const i of host.db.closure(req.targets, 'forward')) host.state.update(i, { wanted: true });
    else for (const i of host.db.closure(req.targets, 'reverse')) host.state.update(i, { wanted: false });
    const grace = this.#o.killGraceMs;
    const res = await runPlan(host, planned.value, {
      timeoutMs: job.timeoutMs,
      jobs: 0,
      signal: job.signal,
      onEvent: (e) => job.onEvent({ kind: 'event', event: e }),
      timeouts: (i, direction) => (direction === 'down' ? host.db.service(i).timeoutDown || grace : host.db.service(i).timeoutUp),
    });
    return { summary: res.data.summary!, exitCode: res.exitCode };
  }

  /** The new db, a new state record (kept services keep theirs), pipes trimmed, re-indexed supervisors. */
  async #switchTo(host: ScanHost, next: Db, unchanged: ReadonlySet<string>): Promise<void> {
    const prev = host.state;
    await prev.flush();
    const names = next.index.services.map((s) => s.name);
    const state = new LiveStateStore(this.#o.paths, names, { daemonPid: this.#o.pid, db: next.dir }, (e) => this.#o.log(`unable to record the live state: ${e.message}`), () => this.#o.owned());
    for (const s of next.index.services) {
      const r = host.db.resolve(s.name);
      if (r?.kind === 'atomic') state.update(s.index, { ...prev.get(r.index) });
    }
    host.replaceDb(next, state);
    // Pipes first: the new supervisors take their stdio from what is open now.
    this.#o.pipes.retain(next);
    await this.#o.services.adopt(next, unchanged);
  }
}

/** One line for the daemon's log: what a scan did. */
export function scanLine(d: ScanResultData): string {
  const part = (label: string, names: string[]) => (names.length > 0 ? [`${label} ${names.join(', ')}`] : []);
  const parts = [...part('added', d.added), ...part('removed', d.removed), ...part('replaced', d.replaced), ...part('skipped', d.skipped)];
  return `scan of ${d.dir}: ${parts.length > 0 ? parts.join('; ') : 'no change'}`;
}
