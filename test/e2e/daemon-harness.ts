// Test rig for the daemon end to end: a tree of puppets the test controls, a real `rc boot`, the CLI, the daemon's status.
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { connectControl } from '../../lib/control/client.js';
import type { StatusResultData, StatusRow } from '../../lib/control/protocol.js';
import { readPreviousState } from '../../lib/live/live-state.js';
import { livePaths } from '../../lib/live/live-dir.js';
import { scanProcessGroups } from '../../lib/sys/proc.js';
import { findLeftovers } from '../../lib/live/recovery.js';
import { fixturesDir, rcBin } from '../helpers/paths.js';
import { killPids, Rig, runRc, until, type RcResult, type Scripts, type SvcSpec } from './harness.js';

export { childEnv, until, type RcResult } from './harness.js';

export interface DaemonSvc extends SvcSpec {
  /** Longrun: notification-fd 3; the puppet reports ready when the test calls `ready(name)`. */
  ready?: boolean;
}
/** A source tree as data: service name → spec. */
export type Tree = Record<string, DaemonSvc>;

const PUPPET = join(fixturesDir, 'daemon', 'puppet.cjs');
const ONESHOT = join(fixturesDir, 'daemon', 'oneshot.sh');

export class DaemonRig extends Rig {
  /** Switch files the puppets look at (NAME.ready, NAME.fail, NAME.hold, ...). */
  readonly control: string;
  readonly src: string;

  constructor(tree: Tree) {
    super('rc-e2e-');
    this.control = join(this.root, 'control');
    this.src = join(this.root, 'src');
    mkdirSync(this.control);
    const withReady = Object.fromEntries(Object.entries(tree).map(([n, s]) => [n, s.ready ? { ...s, files: { 'notification-fd': '3\n', ...s.files } } : s]));
    this.compile(withReady, this.#scripts());
  }

  #scripts(): Scripts<DaemonSvc> {
    const oneshot = (name: string, dir: string) => `/bin/sh ${ONESHOT} ${name} ${dir} ${this.events} ${this.control}`;
    return {
      run: (name, s) => `exec node ${PUPPET} ${name} ${this.events} ${this.control}${s.ready ? ' 3' : ''}`,
      up: (name) => oneshot(name, 'up'),
      down: (name) => oneshot(name, 'down'),
    };
  }

  /** The rc boot process. */
  get daemon() {
    return this.child;
  }

  /** Start `rc boot --db COMPILED ARGS`; resolves once the control socket answers. */
  boot(args: string[] = []): Promise<void> {
    return this.bootWith(['--db', this.compiled, ...args]);
  }

  /** Start `rc boot --live LIVE ARGS` (e.g. `--scandir DIR`); resolves once the control socket answers. */
  async bootWith(args: string[]): Promise<void> {
    const child = this.spawnBoot(process.execPath, [rcBin, 'boot', '--live', this.live, ...args], { env: {}, stdin: 'ignore' });
    await until(`the daemon on ${this.live} (stderr: ${this.err})`, async () => {
      if (child.exitCode !== null) throw new Error(`rc boot exited ${child.exitCode}: ${this.err}`);
      const c = await connectControl(this.live);
      if (!c.ok) return false;
      c.value.close();
      return true;
    });
  }

  /** Run the CLI against this rig's live dir. */
  rc(args: string[], extraEnv: NodeJS.ProcessEnv = {}): Promise<RcResult> {
    return this.rcWith(rcBin, args, extraEnv);
  }

  /** Run a given CLI entry point (rc.js, rc-fast.js) against this rig's live dir. */
  rcWith(entry: string, args: string[], extraEnv: NodeJS.ProcessEnv = {}): Promise<RcResult> {
    return runRc(entry, [...args, '--live', this.live], extraEnv);
  }

  async status(): Promise<StatusResultData> {
    const c = await connectControl(this.live);
    if (!c.ok) throw new Error(c.error.message);
    try {
      const r = await c.value.call({ op: 'status' });
      if (r.type !== 'result') throw new Error(r.message);
      return r.data;
    } finally {
      c.value.close();
    }
  }

  async row(name: string): Promise<StatusRow> {
    const row = (await this.status()).services.find((s) => s.name === name);
    if (!row) throw new Error(`no service ${name}`);
    return row;
  }

  /** Resolves when no transition runs or waits. */
  async idle(timeoutMs = 8000): Promise<void> {
    await until('the daemon to be idle', async () => {
      const s = await this.status();
      return s.daemon.busy === null && s.daemon.queued === 0;
    }, timeoutMs);
  }

  /** Names recorded up, sorted. */
  async upNames(): Promise<string[]> {
    return (await this.status()).services.filter((s) => s.up).map((s) => s.name).sort();
  }

  /** Let the puppet NAME report readiness; `flag(name, 'fail')` etc. for the other switches. */
  ready(name: string): void {
    this.flag(name, 'ready');
  }

  flag(name: string, what: string, content = ''): void {
    writeFileSync(join(this.control, `${name}.${what}`), content);
  }

  /** Remove a switch set with `flag` (e.g. `unflag(name, 'hold')` lets a held oneshot end). */
  unflag(name: string, what: string): void {
    rmSync(join(this.control, `${name}.${what}`), { force: true });
  }

  /** Lines of the events file, each split in words: [what, name, pid, time]. */
  eventLines(): string[][] {
    return this.lines().map((l) => l.split(' '));
  }

  /** "what name" pairs in order (what ∈ start/ready/stop/up/down/...). */
  eventsOf(...whats: string[]): string[] {
    return this.eventLines().filter((e) => whats.includes(e[0]!)).map((e) => `${e[0]} ${e[1]}`);
  }

  /** Live (non-zombie) processes whose cwd is inside this rig's temp dir: what the services left. */
  leftovers(): number[] {
    return this.processesInside();
  }

  /** Kill the daemon (SIGKILL) and wait for it. */
  kill9(): Promise<void> {
    return this.killBoot();
  }

  /** Kill the daemon, then every process group it recorded and whatever else is left; remove the dir. */
  async cleanup(): Promise<void> {
    await this.kill9();
    if (existsSync(this.live)) {
      const prev = readPreviousState(livePaths(this.live));
      killPids(findLeftovers(prev, scanProcessGroups(), -1).map((g) => -g.pgid));
    }
    killPids(this.leftovers());
    this.removeDir();
  }
}

/** Is a SIGTERM pending (not yet delivered) for `pid`? False once it was handled, or the process is gone. */
export const termPending = (pid: number): boolean => {
  try {
    const status = readFileSync(`/proc/${pid}/status`, 'utf8');
    return ['ShdPnd', 'SigPnd'].some((k) => (BigInt(`0x${new RegExp(`^${k}:\\s*([0-9a-f]+)`, 'm').exec(status)?.[1] ?? '0'}`) & 0x4000n) !== 0n);
  } catch {
    return false;
  }
};

/** True while `pid` exists and is not a zombie. */
export const alive = (pid: number): boolean => {
  try {
    process.kill(pid, 0);
    return !/^\S+ \(.*\) Z/.test(readFileSync(`/proc/${pid}/stat`, 'utf8'));
  } catch {
    return false;
  }
};
