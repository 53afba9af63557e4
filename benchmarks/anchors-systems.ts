// The supervisors the anchors benchmark runs side by side: how each one is set up, launched and told to stop.
import { execFile, type ChildProcess } from 'node:child_process';
import { accessSync, constants, mkdirSync, writeFileSync } from 'node:fs';
import { delimiter, dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { compileToDir } from '../lib/compile/index.js';
import { compileFloor } from './anchors-floor.js';
import { generateTree } from './generate-tree.js';

/** The one `run` script every system runs in every service dir: nobody gets a cheaper child. */
export const RUN_SCRIPT = '#!/bin/sh\nexec sleep 100000\n';

const here = dirname(fileURLToPath(import.meta.url));
/** The installed `rc` binary (package.json bin). */
const rcFast = join(here, '..', 'cli', 'rc-fast.js');

/** How to launch a prepared system, and how to ask it to stop everything. */
export interface Prepared {
  command: string;
  args: string[];
  /** The floor: figures it measures itself, after the outside ones (see anchors-floor.ts). */
  internal?: boolean;
  stop(root: ChildProcess): Promise<void>;
}

export interface Anchor {
  name: string;
  /** Why the system cannot run on this machine, or null when it can. */
  missing(): string | null;
  /** Write its service dirs and configuration under `dir` (an empty folder it owns). */
  prepare(dir: string, n: number): Promise<Prepared>;
}

/** The full path of a program found in PATH, or null. */
export function which(program: string): string | null {
  for (const d of (process.env.PATH ?? '').split(delimiter)) {
    if (d === '') continue;
    try {
      accessSync(join(d, program), constants.X_OK);
      return join(d, program);
    } catch {
      // not in this folder
    }
  }
  return null;
}

const needs = (...programs: string[]) => (): string | null => {
  const absent = programs.filter((p) => which(p) === null);
  return absent.length === 0 ? null : `${absent.join(', ')} not found in PATH`;
};

/** DIR/s0 .. DIR/s{n-1}, each with the shared run script; returns their paths. */
export function writeServices(dir: string, n: number): string[] {
  const dirs: string[] = [];
  for (let i = 0; i < n; i++) {
    const d = join(dir, `s${i}`);
    mkdirSync(d, { recursive: true });
    writeFileSync(join(d, 'run'), RUN_SCRIPT, { mode: 0o755 });
    dirs.push(d);
  }
  return dirs;
}

const signal = (sig: NodeJS.Signals) => (root: ChildProcess): Promise<void> => {
  root.kill(sig);
  return Promise.resolve();
};

const floor: Anchor = {
  name: 'native floor',
  missing: needs('cc'),
  prepare(dir, n) {
    const services = join(dir, 'services');
    writeServices(services, n);
    const binary = compileFloor(dir);
    // Stop is measured inside (SIGTERM + SIGCONT to each child, then reap): the go-on line starts it.
    return Promise.resolve({ command: binary, args: [services, String(n), 'hold'], internal: true, stop: () => Promise.resolve() });
  },
};

const rc: Anchor = {
  name: 'rc (restart-delay 0)',
  missing: () => null,
  prepare(dir, n) {
    const tree = generateTree(join(dir, 'source'), { n, shares: { oneshot: 0, longrun: 1, bundle: 0 }, maxDeps: 0, longrunRun: RUN_SCRIPT });
    // restart-delay 0: the restart measure (the default, 1000, is s6-supervise's 1 s throttle).
    for (const name of tree.longruns) writeFileSync(join(tree.dir, name, 'restart-delay'), '0\n');
    const compiled = join(dir, 'compiled');
    if (!compileToDir(compiled, [tree.dir]).ok) throw new Error('the rc source tree does not compile');
    const args = [rcFast, 'boot', '--quiet', '--live', join(dir, 'live'), '--db', compiled, '--target', 'ALL'];
    // SIGTERM: the orderly shutdown (every service down, then rc boot exits 0).
    return Promise.resolve({ command: process.execPath, args, stop: signal('SIGTERM') });
  },
};

const s6: Anchor = {
  name: 's6',
  missing: needs('s6-svscan', 's6-supervise'),
  prepare(dir, n) {
    const scandir = join(dir, 'scandir');
    writeServices(scandir, n);
    // -c: room for every service (older s6-svscan defaults to 500). SIGTERM = s6-svscanctl -t: every
    // s6-supervise brings its service down and exits, and s6-svscan exits once they all have.
    return Promise.resolve({ command: 's6-svscan', args: ['-c', String(Math.max(1000, n + 10)), scandir], stop: signal('SIGTERM') });
  },
};

const runit: Anchor = {
  name: 'runit',
  missing: needs('runsvdir', 'runsv', 'sv'),
  prepare(dir, n) {
    const scandir = join(dir, 'scandir');
    const services = writeServices(scandir, n);
    // `sv down` on every service (TERM + CONT, no restart), then SIGHUP: runsvdir sends TERM to
    // every runsv (each exits once its service is down) and exits itself.
    const stop = async (root: ChildProcess): Promise<void> => {
      await promisify(execFile)('sv', ['down', ...services], { maxBuffer: 1 << 22 });
      root.kill('SIGHUP');
    };
    return Promise.resolve({ command: 'runsvdir', args: [scandir], stop });
  },
};

/**
 * A minimal supervisord.conf: no server section, logs to /dev/null and NONE, one program per
 * service, all in one group: supervisord stops its groups one after the other, one main-loop turn
 * (up to 1 s) each, so without the group stopping 50 programs took 12 s here.
 */
export function supervisordConfig(dir: string, services: readonly string[]): string {
  const head = ['[supervisord]', 'nodaemon=true', 'logfile=/dev/null', 'logfile_maxbytes=0', `pidfile=${join(dir, 'supervisord.pid')}`, `childlogdir=${dir}`, ''];
  const names = services.map((_, i) => `s${i}`);
  const programs = services.map((d, i) =>
    [`[program:${names[i]}]`, `command=${join(d, 'run')}`, `directory=${d}`, 'autorestart=true', 'startsecs=0', 'stdout_logfile=NONE', 'stderr_logfile=NONE', ''].join('\n'),
  );
  return `${head.join('\n')}\n${programs.join('\n')}\n[group:all]\nprograms=${names.join(',')}\n`;
}

const supervisord: Anchor = {
  name: 'supervisord',
  missing: needs('supervisord'),
  prepare(dir, n) {
    const services = writeServices(join(dir, 'services'), n);
    const conf = join(dir, 'supervisord.conf');
    writeFileSync(conf, supervisordConfig(dir, services));
    // SIGTERM: supervisord stops every program, then exits.
    return Promise.resolve({ command: 'supervisord', args: ['-n', '-c', conf], stop: signal('SIGTERM') });
  },
};

/** In the order they run. */
export const ANCHORS: readonly Anchor[] = [floor, rc, s6, runit, supervisord];
