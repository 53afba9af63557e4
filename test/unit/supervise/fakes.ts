// A fake Spawner for supervisor unit tests: the test decides when children exit or become ready.
import { PassThrough } from 'node:stream';
import { basename } from 'node:path';
import type { ChildEnd, ChildHandle, SpawnRequest, Spawner } from '../../../lib/supervise/spawner.js';
import type { LongrunService } from '../../../lib/db/types.js';
import type { SupervisorEvent } from '../../../lib/supervise/types.js';

export class FakeChild implements ChildHandle {
  readonly stdout: PassThrough | null;
  readonly stderr: PassThrough | null;
  readonly notification: PassThrough | null;
  readonly signals: NodeJS.Signals[] = [];
  ended = false;
  #cb: ((end: ChildEnd) => void) | null = null;

  constructor(
    readonly pid: number | undefined,
    readonly request: SpawnRequest,
  ) {
    const piped = pid !== undefined;
    this.stdout = piped && request.stdio.stdout === 'sink' ? new PassThrough() : null;
    this.stderr = piped && request.stdio.stderr === 'sink' ? new PassThrough() : null;
    this.notification = piped && request.notificationFd != null ? new PassThrough() : null;
  }

  get program(): string {
    return basename(this.request.file);
  }

  onEnd(cb: (end: ChildEnd) => void): void {
    this.#cb = cb;
  }

  kill(signal: NodeJS.Signals): boolean {
    if (this.ended) return false;
    this.signals.push(signal);
    return true;
  }

  exit(code: number | null, signal: NodeJS.Signals | null = null): void {
    this.#end({ kind: 'exit', code, signal });
  }

  fail(errno: string): void {
    this.#end({ kind: 'spawn-error', errno, message: `spawn ${this.request.file} ${errno}` });
  }

  #end(end: ChildEnd): void {
    if (this.ended) throw new Error('child ended twice');
    this.ended = true;
    this.#cb?.(end);
  }
}

export class FakeSpawner implements Spawner {
  readonly children: FakeChild[] = [];
  readonly groupKills: { pgid: number; signal: NodeJS.Signals }[] = [];
  /** Program basenames (run, finish, ...) whose spawn fails with this errno. */
  readonly failures = new Map<string, string>();
  /** Process groups that still have members after their leader died. */
  readonly leftovers = new Set<number>();
  #nextPid = 1000;

  spawn(request: SpawnRequest): FakeChild {
    const errno = this.failures.get(basename(request.file));
    const child = new FakeChild(errno ? undefined : this.#nextPid++, request);
    this.children.push(child);
    if (errno) queueMicrotask(() => child.fail(errno));
    return child;
  }

  killGroup(pgid: number, signal: NodeJS.Signals): boolean {
    this.groupKills.push({ pgid, signal });
    return this.leftovers.delete(pgid);
  }

  of(program: string): FakeChild[] {
    return this.children.filter((c) => c.program === program);
  }

  last(program = 'run'): FakeChild {
    const list = this.of(program);
    const c = list[list.length - 1];
    if (!c) throw new Error(`no ${program} spawned`);
    return c;
  }
}

export function longrun(overrides: Partial<LongrunService> = {}): LongrunService {
  return {
    type: 'longrun',
    index: 0,
    name: 'svc',
    flags: { essential: false },
    deps: [],
    rdeps: [],
    timeoutUp: 0,
    timeoutDown: 0,
    source: '/src/svc',
    hasFinish: false,
    notificationFd: null,
    lockFd: null,
    timeoutKill: 0,
    timeoutFinish: 5000,
    maxDeathTally: 100,
    downSignal: 'SIGTERM',
    restartDelay: null,
    readiness: null,
    producerFor: null,
    consumerFor: [],
    pipelineName: null,
    ...overrides,
  };
}

/** Collects events; `types()` gives their kinds in order. */
export class EventLog {
  readonly events: SupervisorEvent[] = [];
  readonly push = (e: SupervisorEvent): void => void this.events.push(e);
  types(): string[] {
    return this.events.map((e) => e.type);
  }
  of<T extends SupervisorEvent['type']>(type: T): Extract<SupervisorEvent, { type: T }>[] {
    return this.events.filter((e) => e.type === type) as Extract<SupervisorEvent, { type: T }>[];
  }
  clear(): void {
    this.events.length = 0;
  }
}

/** Let queued microtasks and stream callbacks run (no time passes). */
export const flush = (): Promise<void> => new Promise((r) => setImmediate(r));

import { FakeClock } from '../../../lib/core/clock.js';
import { Supervisor, type SupervisorOptions } from '../../../lib/supervise/supervisor.js';
import { discardSink } from '../../../lib/supervise/output-sink.js';

export interface Harness {
  sup: Supervisor;
  clock: FakeClock;
  spawner: FakeSpawner;
  log: EventLog;
}

/** A supervisor on a fake clock and spawner; the service dir is /srv/NAME. */
export function harness(service: Partial<LongrunService> = {}, options: Partial<SupervisorOptions> = {}): Harness {
  const clock = new FakeClock();
  const spawner = new FakeSpawner();
  const log = new EventLog();
  const svc = longrun(service);
  const sup = new Supervisor({
    service: svc,
    dir: `/srv/${svc.name}`,
    spawner,
    clock,
    output: discardSink,
    env: { PATH: '/usr/bin:/bin', HOME: '/root' },
    onEvent: log.push,
    ...options,
  });
  return { sup, clock, spawner, log };
}
