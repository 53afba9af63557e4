// Test doubles for the daemon: an in-memory Db, a ServiceSet whose transitions the test settles, a Daemon over them.
import { FakeClock } from '../../../lib/core/clock.js';
import { connectControl, type ControlClient } from '../../../lib/control/client.js';
import { controlSocket } from '../../../lib/control/serve.js';
import type { DaemonEvent } from '../../../lib/daemon/events.js';
import type { Awaited } from '../../../lib/daemon/types.js';
import { Daemon } from '../../../lib/daemon/daemon.js';
import { livePaths } from '../../../lib/live/live-dir.js';
import { LiveStateStore } from '../../../lib/live/live-state.js';
import { Db } from '../../../lib/db/db.js';
import type { AtomicService, Bundle, DbIndex } from '../../../lib/db/types.js';
import type { TransitionOptions, TransitionResult } from '../../../lib/engine/driver.js';
import type { LiveView, OutputListener, ServiceSet, WaitOutcome } from '../../../lib/daemon/service-set.js';
import { tempDir } from '../../helpers/paths.js';
import { longrun } from '../supervise/fakes.js';

export interface Spec {
  name: string;
  type?: 'oneshot' | 'longrun';
  deps?: string[];
  essential?: boolean;
}

/** A Db from names and dependency lists (indices in the order given). */
export function dbOf(specs: Spec[], bundles: Record<string, string[]> = {}, dir = '/nonexistent'): Db {
  const idx = new Map(specs.map((s, i) => [s.name, i]));
  const services: AtomicService[] = specs.map((s, i) => {
    const base = {
      index: i,
      name: s.name,
      flags: { essential: s.essential ?? false },
      deps: (s.deps ?? []).map((d) => idx.get(d)!).sort((a, b) => a - b),
      rdeps: [] as number[],
      timeoutUp: 0,
      timeoutDown: 0,
      source: `/src/${s.name}`,
    };
    if (s.type === 'oneshot') return { ...base, type: 'oneshot', up: ['true'], down: [] };
    return longrun(base);
  });
  for (const s of services) for (const d of s.deps) services[d]!.rdeps.push(s.index);
  const bs: Bundle[] = Object.entries(bundles).map(([name, contents]) => ({
    name,
    contents,
    members: contents.map((c) => idx.get(c)!).sort((a, b) => a - b),
    flags: { essential: false },
    source: `/src/${name}`,
    pipeline: false,
  }));
  const index: DbIndex = { format: 'rc-compiled-db', version: 1, sources: ['/src'], services, bundles: bs };
  return new Db(index, dir);
}

interface Call {
  action: 'start' | 'stop' | 'restart';
  index: number;
  options: TransitionOptions;
  settle: (r?: TransitionResult) => void;
}

/** Every transition is recorded; with `auto` it succeeds at once, else the test settles it. */
export class FakeServices implements ServiceSet {
  readonly calls: Call[] = [];
  auto = true;
  shutdownMode = false;
  killed = 0;
  #pending: Call[] = [];
  /** Calls not settled yet (taken by nextPending or not). */
  readonly #unsettled = new Set<Call>();
  #waiters: (() => void)[] = [];

  start(index: number, options: TransitionOptions) {
    return this.#call('start', index, options);
  }
  stop(index: number, options: TransitionOptions) {
    return this.#call('stop', index, options);
  }
  restart(index: number, options: TransitionOptions) {
    return this.#call('restart', index, options);
  }

  #call(action: Call['action'], index: number, options: TransitionOptions): Promise<TransitionResult> {
    return new Promise((resolve) => {
      const call: Call = {
        action,
        index,
        options,
        settle: (r) => {
          this.#unsettled.delete(call);
          resolve(r ?? { ok: true });
        },
      };
      this.#unsettled.add(call);
      this.calls.push(call);
      options.signal.addEventListener('abort', () => resolve({ ok: false, reason: 'cancelled', message: 'cancelled' }));
      if (this.auto) queueMicrotask(() => call.settle());
      else this.#pending.push(call);
      for (const w of this.#waiters.splice(0)) w();
    });
  }

  /** The next unsettled call, when there is one. */
  async nextPending(): Promise<Call> {
    while (this.#pending.length === 0) await new Promise<void>((r) => this.#waiters.push(r));
    return this.#pending.shift()!;
  }

  view(_i: number, recordedUp: boolean): LiveView {
    return { state: recordedUp ? 'up' : 'down', pid: null, since: null, ready: null, restarts: 0, lastExit: null };
  }
  svc(): void {}
  waitFor(): Promise<WaitOutcome> {
    return Promise.resolve({ kind: 'reached' });
  }
  /** Settles the unsettled start of `index` as cancelled, as the real driver does. */
  cancelStart(index: number, by: string): boolean {
    const call = [...this.#unsettled].find((c) => c.index === index && c.action === 'start');
    if (call) this.#pending = this.#pending.filter((c) => c !== call);
    call?.settle({ ok: false, reason: 'cancelled', message: `start cancelled by ${by}` });
    return call !== undefined;
  }
  inFlight(): Awaited[] {
    return [];
  }
  setOutputListener(_l: OutputListener | null): void {}
  beginShutdown(): void {
    this.shutdownMode = true;
  }
  killAll(): Promise<void> {
    this.killed++;
    return Promise.resolve();
  }
  liveGroups(): number[] {
    return [];
  }
  close(): void {}
}

export interface FakeDaemon {
  daemon: Daemon;
  services: FakeServices;
  /** Connected to the daemon's socket. */
  client: ControlClient;
  /** The live dir (a temp dir). */
  dir: string;
  /** The daemon's clock (time moves only when the test advances it). */
  clock: FakeClock;
  /** Close the client, let every call settle, shut the daemon down, remove the temp dir. */
  close(): Promise<void>;
}

/** A Daemon over FakeServices, listening on a real socket in a temp dir, with a client connected. */
export async function openFakeDaemon(db: Db, log: (message: string) => void = () => undefined, extra: { stopTimeoutMs?: number } = {}): Promise<FakeDaemon> {
  const dir = tempDir();
  const paths = livePaths(dir.path);
  const services = new FakeServices();
  const state = new LiveStateStore(paths, db.index.services.map((s) => s.name), { daemonPid: 1, db: '/db' });
  const onEvent = (e: DaemonEvent): void => void (e.type === 'daemon-message' && log(e.message));
  const clock = new FakeClock();
  const daemon = new Daemon({ paths, db, state, services, clock, pid: 1, killGraceMs: 100, onEvent, ...extra });
  const listening = await controlSocket(daemon);
  if (!listening.ok) throw new Error(listening.error);
  daemon.afterShutdown(() => listening.value.close());
  const c = await connectControl(dir.path);
  if (!c.ok) throw new Error(c.error.message);
  const close = async (): Promise<void> => {
    c.value.close();
    services.auto = true;
    await daemon.shutdown(0);
    dir.cleanup();
  };
  return { daemon, services, client: c.value, dir: dir.path, clock, close };
}
