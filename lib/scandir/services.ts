// ScandirServices: the ServiceSet of a scandir daemon; one supervisor per folder, kept across rescans.
//
// Each service has its own SupervisorDriver over a one-service Db (index 0), so what the driver
// does (readiness waits, cancel, forced stops at shutdown) is reused as is. The daemon addresses
// services by their index in the current scandir Db; a rescan rebuilds that mapping (`adopt`):
// same name and settings → same entry, same supervisor, new index.
import type { Clock } from '../core/clock.js';
import type { Db } from '../db/db.js';
import type { LongrunService } from '../db/types.js';
import type { TransitionOptions, TransitionResult } from '../engine/driver.js';
import type { Awaited, SvcCommand, WaitCondition } from '../daemon/types.js';
import type { OutputSink, SupervisorEvent } from '../supervise/types.js';
import { SupervisorDriver } from '../daemon/driver.js';
import { killGroup } from '../sys/proc.js';
import { singleServiceDb } from './scandir-db.js';
import type { ScandirPipes } from './pipes.js';
import type { LiveView, OutputListener, ServiceSet, WaitOutcome } from '../daemon/service-set.js';
import type { SpawnTracker } from '../live/spawn-tracker.js';

export interface ScandirServicesOptions {
  scandir: string;
  spawner: SpawnTracker;
  clock: Clock;
  output: OutputSink;
  env: NodeJS.ProcessEnv;
  pipes: ScandirPipes;
  killGraceMs: number;
  /** Where `lock-fd` lock files live (LIVE/locks); without it lock-fd is ignored. */
  lockDir?: string;
  /** A supervisor's event, under the service's current index. */
  onServiceEvent: (index: number, event: SupervisorEvent) => void;
  /** Notes on a start that drags on (SupervisorDriver's progress). */
  progress?: (message: string) => void;
}

interface Entry {
  name: string;
  driver: SupervisorDriver;
  /** Index in the current Db; null once dropped (its late events are ignored). */
  index: number | null;
}

const NEVER = new AbortController().signal;
const sleep = (clock: Clock, ms: number) => new Promise<void>((r) => clock.setTimer(ms, r));

export class ScandirServices implements ServiceSet {
  readonly #o: ScandirServicesOptions;
  #entries: Entry[];

  constructor(o: ScandirServicesOptions, db: Db) {
    this.#o = o;
    this.#entries = db.index.services.map((s) => this.#newEntry(s as LongrunService));
  }

  #newEntry(service: LongrunService): Entry {
    // Set once the driver exists; its events before that have no index to report.
    let entry: Entry | undefined = undefined;
    const routing = this.#o.pipes.routing(service.name);
    const driver = new SupervisorDriver({
      db: singleServiceDb(this.#o.scandir, service),
      spawner: this.#o.spawner,
      clock: this.#o.clock,
      output: this.#o.output,
      env: this.#o.env,
      ...(routing ? { stdio: () => routing } : {}),
      killGraceMs: this.#o.killGraceMs,
      ...(this.#o.lockDir ? { lockDir: this.#o.lockDir } : {}),
      ...(this.#o.progress ? { progress: this.#o.progress } : {}),
      onServiceEvent: (_i, e) => {
        if (entry?.index != null) this.#o.onServiceEvent(entry.index, e);
      },
    });
    entry = { name: service.name, index: service.index, driver };
    return entry;
  }

  #entry(i: number): Entry {
    const e = this.#entries[i];
    if (e === undefined) throw new RangeError(`no scandir service with index ${i}`);
    return e;
  }

  /**
   * Put these services (current indices) in shutdown mode before they are stopped for good: a
   * stop that runs out of time ends with SIGKILL to the process group and counts as done.
   */
  retire(indices: Iterable<number>): void {
    for (const i of indices) this.#entry(i).driver.beginShutdown();
  }

  /** Make sure these retired services are down (SIGKILL after the kill grace), whatever the plan did. */
  async forceDown(indices: Iterable<number>): Promise<void> {
    const grace = this.#o.killGraceMs;
    await Promise.all([...indices].map((i) => this.#entry(i).driver.stop(0, { timeoutMs: grace, signal: NEVER })));
  }

  /**
   * Switch to `db`: services named in `keep` keep their entry (and running supervisor) under
   * their new index; every other service of `db` gets a new supervisor (down). Entries not kept
   * stop being supervised. Call once the dropped services are down.
   */
  async adopt(db: Db, keep: ReadonlySet<string>): Promise<void> {
    const old = new Map(this.#entries.map((e) => [e.name, e]));
    const next = db.index.services.map((s) => {
      const kept = keep.has(s.name) ? old.get(s.name) : undefined;
      if (!kept) return this.#newEntry(s as LongrunService);
      old.delete(s.name);
      kept.index = s.index;
      return kept;
    });
    this.#entries = next;
    const dropped = [...old.values()];
    for (const e of dropped) e.index = null;
    await Promise.all(dropped.flatMap((e) => e.driver.supervisor(0)?.exit() ?? []));
  }

  start(i: number, opts: TransitionOptions): Promise<TransitionResult> {
    return this.#entry(i).driver.start(0, opts);
  }

  stop(i: number, opts: TransitionOptions): Promise<TransitionResult> {
    return this.#entry(i).driver.stop(0, opts);
  }

  restart(i: number, opts: TransitionOptions): Promise<TransitionResult> {
    return this.#entry(i).driver.restart(0, opts);
  }

  view(i: number, recordedUp: boolean): LiveView {
    return this.#entry(i).driver.view(0, recordedUp);
  }

  svc(i: number, commands: readonly SvcCommand[]): void {
    this.#entry(i).driver.svc(0, commands);
  }

  waitFor(i: number, until: WaitCondition, timeoutMs: number, signal: AbortSignal): Promise<WaitOutcome> {
    return this.#entry(i).driver.waitFor(0, until, timeoutMs, signal);
  }

  cancelStart(i: number, by: string): boolean {
    return this.#entry(i).driver.cancelStart(0, by);
  }

  inFlight(): Awaited[] {
    return this.#entries.flatMap((e) => e.driver.inFlight());
  }

  setOutputListener(listener: OutputListener | null): void {
    for (const e of this.#entries) e.driver.setOutputListener(listener);
  }

  beginShutdown(): void {
    for (const e of this.#entries) e.driver.beginShutdown();
  }

  /** Stop supervising everything, SIGKILL every group the daemon created until all are gone. */
  async killAll(): Promise<void> {
    const exits = this.#entries.flatMap((e) => e.driver.supervisor(0)?.exit() ?? []);
    const done = Promise.all(exits).then(() => true);
    const clock = this.#o.clock;
    const deadline = clock.now() + Math.max(5000, this.#o.killGraceMs);
    for (;;) {
      for (const g of this.liveGroups()) killGroup(g, 'SIGKILL');
      const finished = await Promise.race([done, sleep(clock, 25).then(() => false)]);
      if ((finished && this.liveGroups().length === 0) || clock.now() > deadline) return;
    }
  }

  liveGroups(): number[] {
    return this.#o.spawner.alive().map((g) => g.pgid);
  }

  close(): void {
    for (const e of this.#entries) e.driver.close();
    this.#o.pipes.close();
  }
}
