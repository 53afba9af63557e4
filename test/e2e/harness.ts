// The end-to-end harness core: a source tree as data compiled in a temp dir, `rc boot` as a child, the CLI, the events file, what is left running.
// Two rigs build on it: DaemonRig (daemon-harness.ts, puppets the test controls) and ContainerRig (container-harness.ts, rc boot -- CMD).
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync, readdirSync, readFileSync, readlinkSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { compileToDir } from '../../lib/compile/index.js';
import { tempDir } from '../helpers/paths.js';

export interface SvcSpec {
  type: 'longrun' | 'oneshot' | 'bundle';
  deps?: string[];
  contents?: string[];
  essential?: boolean;
  timeoutUp?: number;
  timeoutDown?: number;
  /** Longrun: the run script's body, after `#!/bin/sh` (default: the rig's fixture). */
  run?: string;
  /** Longrun: the finish script's body. */
  finish?: string;
  /** Oneshot: the up file's text (default: the rig's fixture). */
  up?: string;
  /** Extra files in the service dir (notification-fd, timeout-finish, ...). */
  files?: Record<string, string>;
}

/** The rig's fixture commands: a longrun's default run body, a oneshot's up and down lines. */
export interface Scripts<S extends SvcSpec> {
  run(name: string, spec: S): string;
  up(name: string, spec: S): string;
  down(name: string, spec: S): string;
}

export interface RcResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Children start faster without NODE_EXTRA_CA_CERTS (Node reads the CA file at start-up). */
export function childEnv(extra: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv {
  const env = { ...process.env, ...extra };
  delete env['NODE_EXTRA_CA_CERTS'];
  return env;
}

export const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

/** Poll `pred` every 15 ms until it holds; throws with `what` after `timeoutMs`. */
export async function until<T>(what: string, pred: () => T | undefined | false | Promise<T | undefined | false>, timeoutMs = 10_000): Promise<T> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const v = await pred();
    if (v) return v;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await sleep(15);
  }
}

/** Run a CLI entry point (rc.js, rc-fast.js) to its end. */
export function runRc(entry: string, args: string[], env: NodeJS.ProcessEnv = {}): Promise<RcResult> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [entry, ...args], { env: childEnv(env), stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (c) => (stdout += c));
    child.stderr.on('data', (c) => (stderr += c));
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

/** Write each service of `tree` as an s6-rc source dir under `dir`. */
export function writeTree<S extends SvcSpec>(dir: string, tree: Record<string, S>, scripts: Scripts<S>): void {
  for (const [name, s] of Object.entries(tree)) {
    const d = join(dir, name);
    mkdirSync(d, { recursive: true });
    writeFileSync(join(d, 'type'), `${s.type}\n`);
    if (s.deps) writeFileSync(join(d, 'dependencies'), s.deps.map((x) => `${x}\n`).join(''));
    if (s.contents) writeFileSync(join(d, 'contents'), s.contents.map((x) => `${x}\n`).join(''));
    if (s.essential) writeFileSync(join(d, 'flag-essential'), '');
    if (s.timeoutUp !== undefined) writeFileSync(join(d, 'timeout-up'), `${s.timeoutUp}\n`);
    if (s.timeoutDown !== undefined) writeFileSync(join(d, 'timeout-down'), `${s.timeoutDown}\n`);
    for (const [file, text] of Object.entries(s.files ?? {})) {
      mkdirSync(dirname(join(d, file)), { recursive: true });
      writeFileSync(join(d, file), text);
    }
    if (s.type === 'longrun') {
      writeFileSync(join(d, 'run'), `#!/bin/sh\n${s.run ?? scripts.run(name, s)}\n`, { mode: 0o755 });
      if (s.finish) writeFileSync(join(d, 'finish'), `#!/bin/sh\n${s.finish}\n`, { mode: 0o755 });
    }
    if (s.type === 'oneshot') {
      writeFileSync(join(d, 'up'), `${s.up ?? scripts.up(name, s)}\n`);
      writeFileSync(join(d, 'down'), `${scripts.down(name, s)}\n`);
    }
  }
}

/** SIGKILL each pid (a negative one: a whole process group); the ones already gone are skipped. */
export function killPids(pids: Iterable<number>): void {
  for (const pid of pids) {
    try {
      process.kill(pid, 'SIGKILL');
    } catch {
      // already gone
    }
  }
}

/** Live (non-zombie) processes whose cwd is under `dir`, except `skip`. */
export function processesUnder(dir: string, skip: ReadonlySet<number | undefined> = new Set()): number[] {
  const out: number[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry) || skip.has(Number(entry))) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      if (/^[ZX]/.test(stat.slice(stat.lastIndexOf(')') + 2))) continue;
      if (readlinkSync(`/proc/${entry}/cwd`).startsWith(dir)) out.push(Number(entry));
    } catch {
      // gone, or not ours
    }
  }
  return out;
}

/** A temp dir (root) with live/, compiled/ and an events file; `rc boot` runs as `child`. */
export class Rig {
  readonly root: string;
  readonly live: string;
  readonly compiled: string;
  readonly events: string;
  /** The rc boot process (under unshare: the unshare process). */
  child: ChildProcess | null = null;
  out = '';
  err = '';
  readonly #removeDir: () => void;
  #exit: Promise<number | null> | null = null;

  constructor(prefix: string) {
    const t = tempDir(prefix);
    this.root = t.path;
    this.#removeDir = t.cleanup;
    this.live = join(this.root, 'live');
    this.compiled = join(this.root, 'compiled');
    this.events = join(this.root, 'events');
    writeFileSync(this.events, '');
  }

  /** Write `tree` to ROOT/src and compile it into `compiled`. */
  protected compile<S extends SvcSpec>(tree: Record<string, S>, scripts: Scripts<S>): void {
    const src = join(this.root, 'src');
    writeTree(src, tree, scripts);
    const r = compileToDir(this.compiled, [src]);
    if (!r.ok) throw new Error(`test tree does not compile: ${JSON.stringify(r.diagnostics)}`);
  }

  /** Start rc boot (`file argv`), collecting its output in `out` and `err`. */
  protected spawnBoot(file: string, argv: string[], o: { env: NodeJS.ProcessEnv; cwd?: string; stdin: 'ignore' | 'pipe' }): ChildProcess {
    const child = spawn(file, argv, { env: childEnv(o.env), stdio: [o.stdin, 'pipe', 'pipe'], ...(o.cwd ? { cwd: o.cwd } : {}) });
    this.child = child;
    child.stdout!.on('data', (c) => (this.out += c));
    child.stderr!.on('data', (c) => (this.err += c));
    this.#exit = new Promise((resolve) => child.on('exit', (code, signal) => resolve(code ?? (signal ? 128 : null))));
    return child;
  }

  /** rc boot's exit code (waits for it). */
  exited(): Promise<number | null> {
    return this.#exit ?? Promise.resolve(null);
  }

  get running(): boolean {
    return this.child !== null && this.child.exitCode === null && this.child.signalCode === null;
  }

  /** Lines of the events file. */
  lines(): string[] {
    return readFileSync(this.events, 'utf8').split('\n').filter(Boolean);
  }

  /** Live (non-zombie) processes whose cwd is inside the rig's dir, except `skip`: what services (or CMD) left. */
  protected processesInside(skip: ReadonlySet<number | undefined> = new Set()): number[] {
    return processesUnder(this.root, skip);
  }

  /** SIGKILL rc boot (and `alsoKill`, e.g. the namespace's init) and wait for it to exit. */
  protected async killBoot(alsoKill?: number): Promise<void> {
    if (!this.running) return;
    if (alsoKill !== undefined) killPids([alsoKill]);
    this.child!.kill('SIGKILL');
    await this.exited();
  }

  /** Remove the temp dir. */
  protected removeDir(): void {
    this.#removeDir();
  }
}
