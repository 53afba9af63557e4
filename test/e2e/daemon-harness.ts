// Test rig for the daemon end to end: a source tree described as data, compiled, a real `rc boot`, the CLI, /proc checks.
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, readlinkSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { compileToDir } from '../../lib/compile/index.js';
import { connectControl } from '../../lib/control/client.js';
import type { StatusResultData, StatusRow } from '../../lib/control/protocol.js';
import { readPreviousState } from '../../lib/daemon/live-state.js';
import { livePaths } from '../../lib/daemon/live-dir.js';
import { scanProcessGroups } from '../../lib/daemon/proc.js';
import { findLeftovers } from '../../lib/daemon/recovery.js';
import { fixturesDir, rcBin, tempDir } from '../helpers/paths.js';

export interface SvcSpec {
  type: 'longrun' | 'oneshot' | 'bundle';
  deps?: string[];
  contents?: string[];
  /** Longrun: notification-fd 3; the puppet reports ready when the test calls `ready(name)`. */
  ready?: boolean;
  essential?: boolean;
  timeoutUp?: number;
  timeoutDown?: number;
  /** Longrun: a custom run script (default: the puppet). */
  run?: string;
}
export type Tree = Record<string, SvcSpec>;

const PUPPET = join(fixturesDir, 'daemon', 'puppet.cjs');
const ONESHOT = join(fixturesDir, 'daemon', 'oneshot.sh');
/** Children start faster without it (Node reads the CA file at start-up). */
export const childEnv = (): NodeJS.ProcessEnv => {
  const env = { ...process.env };
  delete env['NODE_EXTRA_CA_CERTS'];
  return env;
};

export interface RcResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

export const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

/** Poll `pred` every 15 ms until it holds; throws with `what` after `timeoutMs`. */
export async function until<T>(what: string, pred: () => T | undefined | false | Promise<T | undefined | false>, timeoutMs = 8000): Promise<T> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const v = await pred();
    if (v) return v;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await sleep(15);
  }
}

export class DaemonRig {
  readonly root: string;
  readonly live: string;
  readonly compiled: string;
  readonly events: string;
  readonly control: string;
  readonly src: string;
  daemon: ChildProcess | null = null;
  out = '';
  err = '';
  readonly #cleanup: () => void;
  #exit: Promise<number | null> | null = null;

  constructor(tree: Tree) {
    const t = tempDir('rc-e2e-');
    this.root = t.path;
    this.#cleanup = t.cleanup;
    this.live = join(this.root, 'live');
    this.compiled = join(this.root, 'compiled');
    this.events = join(this.root, 'events');
    this.control = join(this.root, 'control');
    this.src = join(this.root, 'src');
    mkdirSync(this.control);
    writeFileSync(this.events, '');
    this.writeTree(this.src, tree);
    const r = compileToDir(this.compiled, [this.src]);
    if (!r.ok) throw new Error(`test tree does not compile: ${JSON.stringify(r.diagnostics)}`);
  }

  writeTree(dir: string, tree: Tree): void {
    for (const [name, s] of Object.entries(tree)) {
      const d = join(dir, name);
      mkdirSync(d, { recursive: true });
      writeFileSync(join(d, 'type'), `${s.type}\n`);
      if (s.deps) writeFileSync(join(d, 'dependencies'), s.deps.map((x) => `${x}\n`).join(''));
      if (s.contents) writeFileSync(join(d, 'contents'), s.contents.map((x) => `${x}\n`).join(''));
      if (s.essential) writeFileSync(join(d, 'flag-essential'), '');
      if (s.timeoutUp !== undefined) writeFileSync(join(d, 'timeout-up'), `${s.timeoutUp}\n`);
      if (s.timeoutDown !== undefined) writeFileSync(join(d, 'timeout-down'), `${s.timeoutDown}\n`);
      if (s.type === 'longrun') {
        if (s.ready) writeFileSync(join(d, 'notification-fd'), '3\n');
        const run = s.run ?? `#!/bin/sh\nexec node ${PUPPET} ${name} ${this.events} ${this.control}${s.ready ? ' 3' : ''}\n`;
        writeFileSync(join(d, 'run'), run, { mode: 0o755 });
      }
      if (s.type === 'oneshot') {
        writeFileSync(join(d, 'up'), `/bin/sh ${ONESHOT} ${name} up ${this.events} ${this.control}\n`);
        writeFileSync(join(d, 'down'), `/bin/sh ${ONESHOT} ${name} down ${this.events} ${this.control}\n`);
      }
    }
  }

  /** Start `rc boot`; resolves once the control socket answers. */
  async boot(args: string[] = []): Promise<void> {
    const child = spawn(process.execPath, [rcBin, 'boot', '--live', this.live, '--db', this.compiled, ...args], { env: childEnv(), stdio: ['ignore', 'pipe', 'pipe'] });
    this.daemon = child;
    child.stdout!.on('data', (c) => (this.out += c));
    child.stderr!.on('data', (c) => (this.err += c));
    this.#exit = new Promise((resolve) => child.on('exit', (code, signal) => resolve(code ?? (signal ? 128 : null))));
    await until(`the daemon on ${this.live} (stderr: ${this.err})`, async () => {
      if (child.exitCode !== null) throw new Error(`rc boot exited ${child.exitCode}: ${this.err}`);
      const c = await connectControl(this.live);
      if (!c.ok) return false;
      c.value.close();
      return true;
    });
  }

  /** The daemon's exit code (waits for it). */
  exited(): Promise<number | null> {
    return this.#exit ?? Promise.resolve(null);
  }

  /** Run the CLI against this rig's live dir. */
  rc(args: string[], extraEnv: NodeJS.ProcessEnv = {}): Promise<RcResult> {
    return this.rcWith(rcBin, args, extraEnv);
  }

  /** Run a given CLI entry point (rc.js, rc-fast.js) against this rig's live dir. */
  rcWith(entry: string, args: string[], extraEnv: NodeJS.ProcessEnv = {}): Promise<RcResult> {
    return new Promise((resolve) => {
      const child = spawn(process.execPath, [entry, ...args, '--live', this.live], { env: { ...childEnv(), ...extraEnv }, stdio: ['ignore', 'pipe', 'pipe'] });
      let stdout = '';
      let stderr = '';
      child.stdout.on('data', (c) => (stdout += c));
      child.stderr.on('data', (c) => (stderr += c));
      child.on('close', (code) => resolve({ code, stdout, stderr }));
    });
  }

  async status(): Promise<StatusResultData> {
    const c = await connectControl(this.live);
    if (!c.ok) throw new Error(c.error.message);
    try {
      const r = await c.value.call({ op: 'status' });
      if (r.type !== 'result') throw new Error(r.message);
      return r.data as StatusResultData;
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
    return readFileSync(this.events, 'utf8').split('\n').filter(Boolean).map((l) => l.split(' '));
  }

  /** "what name" pairs in order (what ∈ start/ready/stop/up/down/...). */
  eventsOf(...whats: string[]): string[] {
    return this.eventLines().filter((e) => whats.includes(e[0]!)).map((e) => `${e[0]} ${e[1]}`);
  }

  /** Live (non-zombie) processes whose cwd is inside this rig's temp dir: what the services left. */
  leftovers(): number[] {
    const out: number[] = [];
    for (const [, members] of scanProcessGroups()) {
      for (const m of members) {
        try {
          if (readlinkSync(`/proc/${m.pid}/cwd`).startsWith(this.root)) out.push(m.pid);
        } catch {
          // gone, or not ours
        }
      }
    }
    return out;
  }

  /** Kill the daemon (SIGKILL), then every process group it recorded. */
  async kill9(): Promise<void> {
    if (this.daemon && this.daemon.exitCode === null && this.daemon.signalCode === null) {
      this.daemon.kill('SIGKILL');
      await this.exited();
    }
  }

  async cleanup(): Promise<void> {
    await this.kill9();
    if (existsSync(this.live)) {
      const prev = readPreviousState(livePaths(this.live));
      for (const g of findLeftovers(prev, scanProcessGroups(), -1)) {
        try {
          process.kill(-g.pgid, 'SIGKILL');
        } catch {
          // already gone
        }
      }
    }
    for (const pid of this.leftovers()) {
      try {
        process.kill(pid, 'SIGKILL');
      } catch {
        // already gone
      }
    }
    this.#cleanup();
  }
}

export const listDir = (dir: string): string[] => (existsSync(dir) ? readdirSync(dir) : []);
