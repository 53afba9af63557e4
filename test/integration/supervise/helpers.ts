// Shared plumbing for real-process supervise tests: service dirs, a collecting sink, awaited events, cleanup.
import { chmodSync, mkdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { createServer, type Server, type Socket } from 'node:net';
import { systemClock } from '../../../lib/core/clock.js';
import type { LongrunService } from '../../../lib/db/types.js';
import { createSpawner } from '../../../lib/supervise/launcher.js';
import { killProcessGroup } from '../../../lib/supervise/spawner.js';
import { Supervisor, type SupervisorOptions } from '../../../lib/supervise/supervisor.js';
import { parseProcStat } from '../../../lib/sys/proc-stat.js';
import { processGroupMembers } from '../../../lib/sys/proc-table.js';
import type { OutputSink, SupervisorEvent } from '../../../lib/supervise/types.js';
import { fixturesDir } from '../../helpers/paths.js';
import { longrun } from '../../unit/supervise/fakes.js';

export const fixture = (name: string): string => join(fixturesDir, 'supervise', name);

/** Write an executable file. */
export function writeExec(path: string, text: string): void {
  writeFileSync(path, text);
  chmodSync(path, 0o755);
}

/** A service dir under `root` with a run script (and finish script) given as sh bodies. */
export function serviceDir(root: string, name: string, run: string | { link: string }, finish?: string): string {
  const dir = join(root, name);
  mkdirSync(dir, { recursive: true });
  if (typeof run === 'string') writeExec(join(dir, 'run'), `#!/bin/sh\n${run}\n`);
  else symlinkSync(run.link, join(dir, 'run'));
  if (finish !== undefined) writeExec(join(dir, 'finish'), `#!/bin/sh\n${finish}\n`);
  return dir;
}

type Line = { service: string; stream: 'stdout' | 'stderr'; text: string };

/** Collects output lines; `line(re)` waits for one that matches. */
export class CollectSink implements OutputSink {
  readonly lines: Line[] = [];
  #waiters: { re: RegExp; resolve: (l: Line) => void }[] = [];
  attach(service: string, stream: 'stdout' | 'stderr', source: NodeJS.ReadableStream): void {
    let pending = '';
    source.on('data', (d: Buffer) => {
      pending += d.toString();
      const parts = pending.split('\n');
      pending = parts.pop() ?? '';
      for (const text of parts) this.#add({ service, stream, text });
    });
  }
  line(re: RegExp, ms = 5000): Promise<Line> {
    const found = this.lines.find((l) => re.test(l.text));
    if (found) return Promise.resolve(found);
    return withTimeout(new Promise((resolve) => this.#waiters.push({ re, resolve })), ms, `line ${re}`);
  }
  /** Wait until at least `n` lines have arrived. */
  count(n: number, ms = 5000): Promise<void> {
    if (this.lines.length >= n) return Promise.resolve();
    return withTimeout(new Promise((resolve) => this.#counters.push({ n, resolve })), ms, `${n} lines`);
  }
  #counters: { n: number; resolve: () => void }[] = [];
  #add(l: Line): void {
    this.lines.push(l);
    this.#waiters = this.#waiters.filter((w) => !(w.re.test(l.text) && (w.resolve(l), true)));
    this.#counters = this.#counters.filter((c) => !(this.lines.length >= c.n && (c.resolve(), true)));
  }
}

export function withTimeout<T>(p: Promise<T>, ms: number, what: string): Promise<T> {
  return new Promise((resolve, reject) => {
    const t = setTimeout(() => reject(new Error(`timed out after ${ms} ms waiting for ${what}`)), ms);
    p.then(
      (v) => (clearTimeout(t), resolve(v)),
      (e: unknown) => (clearTimeout(t), reject(e as Error)),
    );
  });
}

/** Events of real supervisors; `next(type)` waits for the next one of a type (or a past one after `from`). */
export class Events {
  readonly all: (SupervisorEvent & { at: number })[] = [];
  #waiters: { type: string; resolve: (e: SupervisorEvent & { at: number }) => void }[] = [];
  readonly push = (e: SupervisorEvent): void => {
    const ev = { ...e, at: performance.now() };
    this.all.push(ev);
    this.#waiters = this.#waiters.filter((w) => !(w.type === e.type && (w.resolve(ev), true)));
  };
  of<T extends SupervisorEvent['type']>(type: T): (Extract<SupervisorEvent, { type: T }> & { at: number })[] {
    return this.all.filter((e) => e.type === type) as (Extract<SupervisorEvent, { type: T }> & { at: number })[];
  }
  next<T extends SupervisorEvent['type']>(type: T, ms = 5000): Promise<Extract<SupervisorEvent, { type: T }> & { at: number }> {
    return withTimeout(new Promise((resolve) => this.#waiters.push({ type, resolve: resolve as never })), ms, `event ${type}`);
  }
  types(): string[] {
    return this.all.map((e) => e.type);
  }
}

/** Supervisors created by a test, stopped and swept in afterEach. */
export class Rig {
  readonly spawner = createSpawner({ env: process.env });
  readonly sink = new CollectSink();
  readonly events = new Events();
  readonly #sups: Supervisor[] = [];
  readonly #pgids = new Set<number>();

  supervisor(dir: string, service: Partial<LongrunService>, extra: Partial<SupervisorOptions> = {}): Supervisor {
    const sup = new Supervisor({
      service: longrun(service),
      dir,
      spawner: this.spawner,
      clock: systemClock,
      output: this.sink,
      onEvent: (e) => {
        if (e.type === 'spawned' || e.type === 'finish-started') this.#pgids.add(e.pid);
        this.events.push(e);
      },
      ...extra,
    });
    this.#sups.push(sup);
    return sup;
  }

  /** Stop every supervisor (SIGKILL what does not stop in 2 s) and sweep every process group we made. */
  async cleanup(): Promise<void> {
    for (const sup of this.#sups) {
      const pid = sup.status().pid;
      const done = sup.exit();
      const t = setTimeout(() => pid && killProcessGroup(pid, 'SIGKILL'), 2000);
      await done;
      clearTimeout(t);
    }
    for (const pgid of this.#pgids) killProcessGroup(pgid, 'SIGKILL');
  }

  pgids(): number[] {
    return [...this.#pgids];
  }
}

/** Poll /proc until the group is empty (deadline 3 s); returns what is left. */
export async function groupGone(pgid: number, ms = 3000): Promise<number[]> {
  const end = performance.now() + ms;
  for (;;) {
    const left = (await processGroupMembers(pgid)).map((p) => p.pid);
    if (left.length === 0 || performance.now() > end) return left;
    await new Promise((r) => setTimeout(r, 20));
  }
}

/** A Unix-socket server the puppet fixture connects to. */
export class PuppetServer {
  readonly path: string;
  readonly #server: Server;
  readonly #lines: string[] = [];
  #waiters: { re: RegExp; resolve: (l: string) => void }[] = [];
  #socket: Socket | null = null;

  constructor(dir: string) {
    this.path = join(dir, 'puppet.sock');
    this.#server = createServer((s) => {
      this.#socket = s;
      let buf = '';
      s.on('data', (d) => {
        buf += d.toString();
        for (let i = buf.indexOf('\n'); i >= 0; i = buf.indexOf('\n')) {
          this.#add(buf.slice(0, i));
          buf = buf.slice(i + 1);
        }
      });
      s.on('error', () => undefined);
    });
  }

  listen(): Promise<void> {
    return new Promise((r) => this.#server.listen(this.path, r));
  }

  send(line: string): void {
    this.#socket?.write(`${line}\n`);
  }

  /** The next line matching (or one already received). */
  expect(re: RegExp, ms = 5000): Promise<string> {
    const i = this.#lines.findIndex((l) => re.test(l));
    if (i >= 0) return Promise.resolve(this.#lines.splice(i, 1)[0]!);
    return withTimeout(new Promise((resolve) => this.#waiters.push({ re, resolve })), ms, `puppet line ${re}`);
  }

  close(): void {
    this.#socket?.destroy();
    this.#server.close();
  }

  #add(line: string): void {
    const w = this.#waiters.find((x) => x.re.test(line));
    if (w) {
      this.#waiters = this.#waiters.filter((x) => x !== w);
      w.resolve(line);
    } else this.#lines.push(line);
  }
}

/** True while the process exists and is not a zombie. */
export function alive(pid: number): boolean {
  try {
    const st = parseProcStat(readFileSync(`/proc/${pid}/stat`, 'utf8'));
    return st !== null && st.state !== 'Z' && st.state !== 'X';
  } catch {
    return false;
  }
}
