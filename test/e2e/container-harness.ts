// Test rig for rc boot as a container entry point: a tree as data, `rc boot [...] -- CMD` on the host or as PID 1 (unshare), events, leftovers.
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, readlinkSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { compileToDir } from '../../lib/compile/index.js';
import { fixturesDir, rcBin, tempDir } from '../helpers/paths.js';

export const FIXTURES = join(fixturesDir, 'container');

export interface CSvc {
  type: 'longrun' | 'oneshot' | 'bundle';
  deps?: string[];
  contents?: string[];
  /** Longrun: the run script's body (default: svc.sh NAME EVENTS). */
  run?: string;
  /** Longrun: the finish script's body. */
  finish?: string;
  /** Oneshot: exit code of `up` (default 0). */
  upCode?: number;
  /** Extra files in the service dir (notification-fd, timeout-finish, ...). */
  files?: Record<string, string>;
}
export type CTree = Record<string, CSvc>;

/** How rc boot is run: as a plain child (a host: rc is a child subreaper), or as PID 1 of a new PID namespace. */
export type BootMode = 'host' | 'pidns';

/** Children start faster without it (Node reads the CA file at start-up). */
function childEnv(extra: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  const env = { ...process.env, ...extra };
  delete env['NODE_EXTRA_CA_CERTS'];
  return env;
}

export const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

/** Poll `pred` every 20 ms until it holds; throws with `what` after `timeoutMs`. */
export async function until<T>(what: string, pred: () => T | undefined | false, timeoutMs = 10_000): Promise<T> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const v = pred();
    if (v) return v;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await sleep(20);
  }
}

export class ContainerRig {
  readonly root: string;
  readonly live: string;
  readonly compiled: string;
  readonly events: string;
  child: ChildProcess | null = null;
  out = '';
  err = '';
  readonly #cleanup: () => void;
  #exit: Promise<number | null> | null = null;
  #mode: BootMode = 'host';

  constructor(tree: CTree) {
    const t = tempDir('rc-container-');
    this.root = t.path;
    this.#cleanup = t.cleanup;
    this.live = join(this.root, 'live');
    this.compiled = join(this.root, 'compiled');
    this.events = join(this.root, 'events');
    writeFileSync(this.events, '');
    const src = join(this.root, 'src');
    this.#writeTree(src, tree);
    const r = compileToDir(this.compiled, [src]);
    if (!r.ok) throw new Error(`test tree does not compile: ${JSON.stringify(r.diagnostics)}`);
  }

  #writeTree(dir: string, tree: CTree): void {
    for (const [name, s] of Object.entries(tree)) {
      const d = join(dir, name);
      mkdirSync(d, { recursive: true });
      writeFileSync(join(d, 'type'), `${s.type}\n`);
      if (s.deps) writeFileSync(join(d, 'dependencies'), s.deps.map((x) => `${x}\n`).join(''));
      if (s.contents) writeFileSync(join(d, 'contents'), s.contents.map((x) => `${x}\n`).join(''));
      for (const [file, text] of Object.entries(s.files ?? {})) writeFileSync(join(d, file), text);
      if (s.type === 'longrun') {
        const fd = s.files?.['notification-fd']?.trim() ?? '';
        writeFileSync(join(d, 'run'), `#!/bin/sh\n${s.run ?? `exec sh ${FIXTURES}/svc.sh ${name} ${this.events} ${fd}`}\n`, { mode: 0o755 });
        if (s.finish) writeFileSync(join(d, 'finish'), `#!/bin/sh\n${s.finish}\n`, { mode: 0o755 });
      }
      if (s.type === 'oneshot') {
        writeFileSync(join(d, 'up'), `/bin/sh ${FIXTURES}/oneshot.sh ${name} up ${this.events} ${s.upCode ?? 0}\n`);
        writeFileSync(join(d, 'down'), `/bin/sh ${FIXTURES}/oneshot.sh ${name} down ${this.events}\n`);
      }
    }
  }

  /** The main command fixture: `node cmd.mjs EVENTS MODE ARGS...`. */
  cmd(mode: string, ...args: string[]): string[] {
    return [process.execPath, join(FIXTURES, 'cmd.mjs'), this.events, mode, ...args];
  }

  /** Start `rc boot --live --db ARGS [-- CMD]`, with a pipe as stdin; cwd = the rig's dir. */
  boot(mode: BootMode, args: string[], cmd: string[] | null, env: NodeJS.ProcessEnv = {}): void {
    this.#mode = mode;
    const rc = [process.execPath, rcBin, 'boot', '--live', this.live, '--db', this.compiled, ...args, ...(cmd ? ['--', ...cmd] : [])];
    const [file, argv] = mode === 'pidns' ? ['unshare', ['--pid', '--fork', '--mount-proc', ...rc]] : [rc[0]!, rc.slice(1)];
    const child = spawn(file, argv, { cwd: this.root, env: childEnv({ RC_TEST_EVENTS: this.events, ...env }), stdio: ['pipe', 'pipe', 'pipe'] });
    this.child = child;
    child.stdout!.on('data', (c) => (this.out += c));
    child.stderr!.on('data', (c) => (this.err += c));
    this.#exit = new Promise((resolve) => child.on('exit', (code, signal) => resolve(code ?? (signal ? 128 : null))));
  }

  /** rc boot's exit code. */
  exited(): Promise<number | null> {
    return this.#exit ?? Promise.resolve(null);
  }

  /** The host pid of rc itself (under unshare: its only child, the namespace's PID 1). */
  rcPid(): number | undefined {
    const pid = this.child?.pid;
    if (pid === undefined || this.#mode === 'host') return pid;
    try {
      const text = readFileSync(`/proc/${pid}/task/${pid}/children`, 'utf8').trim();
      return text ? Number(text.split(/\s+/)[0]) : undefined;
    } catch {
      return undefined;
    }
  }

  signal(sig: NodeJS.Signals): void {
    const pid = this.rcPid();
    if (pid === undefined) throw new Error('rc is not running');
    process.kill(pid, sig);
  }

  /** Lines of the events file. */
  lines(): string[] {
    return readFileSync(this.events, 'utf8').split('\n').filter(Boolean);
  }

  /** Wait for an event line. */
  waitFor(line: string, timeoutMs = 10_000): Promise<true> {
    return until(`event '${line}' (events: ${this.lines().join(', ')}; stderr: ${this.err})`, () => this.lines().includes(line), timeoutMs);
  }

  /** Live (non-zombie) processes other than rc whose cwd is inside the rig's dir: what services or CMD left. */
  leftovers(): number[] {
    const skip = new Set([this.child?.pid, this.rcPid()]);
    const out: number[] = [];
    for (const entry of readdirSync('/proc')) {
      if (!/^\d+$/.test(entry) || skip.has(Number(entry))) continue;
      try {
        const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
        if (stat.slice(stat.lastIndexOf(')') + 2).startsWith('Z')) continue;
        if (readlinkSync(`/proc/${entry}/cwd`).startsWith(this.root)) out.push(Number(entry));
      } catch {
        // gone, or not ours
      }
    }
    return out;
  }

  /** Kill rc (the whole namespace under unshare) and whatever is left, then remove the dir. */
  async cleanup(): Promise<void> {
    const child = this.child;
    if (child && child.exitCode === null && child.signalCode === null) {
      const init = this.rcPid();
      if (init !== undefined) process.kill(init, 'SIGKILL');
      child.kill('SIGKILL');
      await this.exited();
    }
    for (const pid of this.leftovers()) {
      try {
        process.kill(pid, 'SIGKILL');
      } catch {
        // already gone
      }
    }
    if (existsSync(this.root)) this.#cleanup();
  }
}
