// The anchors benchmark's one protocol, applied to every supervisor: start, settled PSS, restart after a kill, stop all.
import { spawn, type ChildProcess } from 'node:child_process';
import { benchEnv } from './child-env.js';
import { parseFloorReport, type FloorReport } from './anchors-floor.js';
import { alive, pssSumMiB, rssSumMiB, SleepCensus, split, sweep, timeRestart, tree } from './anchors-proc.js';
import type { Prepared } from './anchors-systems.js';

export interface Figures {
  /** Launch to all N `sleep`s running. */
  startMs: number;
  /** Sum of PSS over the supervision processes (the tree without its `sleep`s), after the settle time. */
  pssMiB: number;
  /** Sum of RSS over the same processes (see rssSumMiB). */
  rssMiB: number;
  /** How many supervision processes. */
  processes: number;
  /** Kill → new `sleep` running, measured from outside (null for the floor, which measures it inside). */
  restartP50: number | null;
  restartP95: number | null;
  restarts: number;
  /** Stop request → no `sleep` left; → every process of the tree gone (the supervisor exited too). */
  stopSleepsMs: number | null;
  stopTreeMs: number | null;
  /** The floor's own report. */
  floor?: FloorReport;
}

export interface Protocol {
  n: number;
  settleMs: number;
  restarts: number;
}

const START_POLL_MS = 10;
const RESTART_POLL_MS = 0.2;
const LONG_MS = 180_000;
const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/** A launched supervisor with the tail of its stderr (for the error when it dies early). */
function launch(p: Prepared, cwd: string): { child: ChildProcess; stderr: () => string; stdout: () => string } {
  const child = spawn(p.command, p.args, { cwd, env: benchEnv(), detached: true, stdio: ['pipe', 'pipe', 'pipe'] });
  let err = '';
  let out = '';
  child.stderr.on('data', (b: Buffer) => (err = (err + b.toString()).slice(-2000)));
  child.stdout.on('data', (b: Buffer) => (out = (out + b.toString()).slice(-20_000)));
  child.on('error', (e) => (err += `\n${e.message}`));
  return { child, stderr: () => err.trim(), stdout: () => out };
}

const exited = (child: ChildProcess): Promise<void> =>
  child.exitCode !== null || child.signalCode !== null ? Promise.resolve() : new Promise((r) => child.once('exit', () => r()));

/** `p`, or an error saying `what` after `ms`. */
async function within<T>(p: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<never>((_, reject) => (timer = setTimeout(() => reject(new Error(`${what} within ${ms} ms`)), ms)));
  try {
    return await Promise.race([p, late]);
  } finally {
    clearTimeout(timer);
  }
}

async function waitStart(child: ChildProcess, n: number, stderr: () => string): Promise<void> {
  const census = new SleepCensus();
  const end = performance.now() + LONG_MS;
  for (;;) {
    const t = performance.now();
    if (child.pid !== undefined && census.count(child.pid) >= n) return;
    if (child.exitCode !== null || child.signalCode !== null) throw new Error(`it exited (${child.exitCode ?? child.signalCode}) before all ${n} sleeps ran: ${stderr() || 'no message'}`);
    if (performance.now() > end) throw new Error(`not all ${n} sleeps ran after ${LONG_MS} ms`);
    // At most a third of one core for the census while the system under test starts.
    await sleep(Math.max(START_POLL_MS, 2 * (performance.now() - t)));
  }
}

/** Restart latency over `count` kills, spread over the services; each victim has run since the settle. */
function restartSamples(root: number, count: number): number[] {
  const { sleeps } = split(tree(root));
  const step = Math.max(1, Math.floor(sleeps.length / count));
  const out: number[] = [];
  for (let k = 0; k < count && k * step < sleeps.length; k++) out.push(timeRestart(sleeps[k * step]!, RESTART_POLL_MS, 10_000));
  return out;
}

/** Stop request → no sleep left, and → no process of the tree left (checked in order, each pid read until gone). */
async function timeStop(p: Prepared, child: ChildProcess): Promise<{ sleepsMs: number; treeMs: number }> {
  const { sleeps, supervision } = split(tree(child.pid!));
  const pids = [...sleeps.map((s) => s.pid), ...supervision.map((s) => s.pid)];
  const done = exited(child);
  let rootGone = false;
  void done.then(() => (rootGone = true));
  const t0 = performance.now();
  await p.stop(child);
  let i = 0;
  let sleepsMs = Number.NaN;
  for (;;) {
    while (i < pids.length && !alive(pids[i]!)) i++;
    if (i >= sleeps.length && Number.isNaN(sleepsMs)) sleepsMs = performance.now() - t0;
    if (i >= pids.length && rootGone) return { sleepsMs, treeMs: performance.now() - t0 };
    if (performance.now() - t0 > LONG_MS) throw new Error(`${pids.length - i} processes still there ${LONG_MS} ms after the stop request`);
    await sleep(1);
  }
}

const pct = (xs: readonly number[], p: number): number => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor(xs.length * p))] ?? Number.NaN;

/** Run one prepared system through the protocol; everything it started is killed and swept before this returns. */
export async function measure(p: Prepared, dir: string, proto: Protocol): Promise<Figures> {
  const { child, stderr, stdout } = launch(p, dir);
  const t0 = performance.now();
  try {
    await waitStart(child, proto.n, stderr);
    const startMs = performance.now() - t0;
    await sleep(proto.settleMs);
    const { supervision } = split(tree(child.pid!));
    const base = { startMs, pssMiB: pssSumMiB(supervision), rssMiB: rssSumMiB(supervision), processes: supervision.length };
    if (p.internal) {
      child.stdin!.end('go on\n');
      await within(exited(child), LONG_MS, 'the floor did not finish');
      if (child.exitCode !== 0) throw new Error(`the floor exited ${child.exitCode ?? child.signalCode}: ${stderr() || 'no message'}`);
      const floor = parseFloorReport(stdout());
      return { ...base, restartP50: null, restartP95: null, restarts: floor.restarts, stopSleepsMs: null, stopTreeMs: null, floor };
    }
    const lat = restartSamples(child.pid!, proto.restarts);
    await sleep(200);
    const stop = await timeStop(p, child);
    return { ...base, restartP50: pct(lat, 0.5), restartP95: pct(lat, 0.95), restarts: lat.length, stopSleepsMs: stop.sleepsMs, stopTreeMs: stop.treeMs };
  } finally {
    if (child.pid !== undefined && child.exitCode === null && child.signalCode === null) {
      try {
        process.kill(-child.pid, 'SIGKILL');
      } catch {
        // the group is gone
      }
    }
    sweep(dir);
    child.stdin?.destroy();
    child.stdout?.destroy();
    child.stderr?.destroy();
  }
}
