// Test rig for rc boot as a container entry point: a tree as data, `rc boot [...] -- CMD` on the host or as PID 1 (unshare), events, leftovers.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fixturesDir, rcBin } from '../helpers/paths.js';
import { killPids, Rig, until, type Scripts, type SvcSpec } from './harness.js';

export { until } from './harness.js';

export const FIXTURES = join(fixturesDir, 'container');

export interface CSvc extends SvcSpec {
  /** Oneshot: exit code of `up` (default 0). */
  upCode?: number;
}
export type CTree = Record<string, CSvc>;

/** How rc boot is run: as a plain child (a host: rc is a child subreaper), or as PID 1 of a new PID namespace. */
export type BootMode = 'host' | 'pidns';

export class ContainerRig extends Rig {
  #mode: BootMode = 'host';

  constructor(tree: CTree) {
    super('rc-container-');
    this.compile(tree, this.#scripts());
  }

  /** Longruns run svc.sh NAME EVENTS [FD]; oneshots oneshot.sh NAME up|down EVENTS [CODE]. */
  #scripts(): Scripts<CSvc> {
    return {
      run: (name, s) => `exec sh ${FIXTURES}/svc.sh ${name} ${this.events} ${s.files?.['notification-fd']?.trim() ?? ''}`,
      up: (name, s) => `/bin/sh ${FIXTURES}/oneshot.sh ${name} up ${this.events} ${s.upCode ?? 0}`,
      down: (name) => `/bin/sh ${FIXTURES}/oneshot.sh ${name} down ${this.events}`,
    };
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
    this.spawnBoot(file, argv, { cwd: this.root, env: { RC_TEST_EVENTS: this.events, ...env }, stdin: 'pipe' });
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

  /** Wait for an event line. */
  waitFor(line: string, timeoutMs = 10_000): Promise<true> {
    return until(`event '${line}' (events: ${this.lines().join(', ')}; stderr: ${this.err})`, () => this.lines().includes(line), timeoutMs);
  }

  /** Live (non-zombie) processes other than rc whose cwd is inside the rig's dir: what services or CMD left. */
  leftovers(): number[] {
    return this.processesInside(new Set([this.child?.pid, this.rcPid()]));
  }

  /** Kill rc (the whole namespace under unshare) and whatever is left, then remove the dir. */
  async cleanup(): Promise<void> {
    await this.killBoot(this.#mode === 'pidns' ? this.rcPid() : undefined);
    killPids(this.leftovers());
    this.removeDir();
  }
}
