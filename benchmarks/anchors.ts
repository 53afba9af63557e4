// Anchors (issue 13): N longruns under a native C floor, rc, s6, runit and supervisord, each measured the same way in one run.
//
// Every system runs the same `run` script (`exec sleep 100000`) in each of N service dirs (RC_BENCH_N,
// default 1000). Start: launch → all N `sleep`s running (the tree's descendants, /proc every 10 ms).
// PSS: after RC_BENCH_SETTLE_MS (default 10 s) idle, summed over the tree without its `sleep`s.
// Restart: SIGKILL one service's `sleep`, time until its parent has a new one (/proc every 0.2 ms).
// Stop all: the system's own stop request → no `sleep` left, and → every process of the tree gone.
// RC_BENCH_ANCHORS=rc,s6 runs only the systems whose names start with one of these words.
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { benchEnv, printCaCertsNote } from './child-env.js';
import type { FloorReport } from './anchors-floor.js';
import { measure, type Figures } from './anchors-measure.js';
import { sweep } from './anchors-proc.js';
import { ANCHORS } from './anchors-systems.js';
import { median } from './stats.js';
import type { BenchResult } from './types.js';

const envInt = (name: string, fallback: number): number => {
  const v = Number(process.env[name]);
  return Number.isInteger(v) && v > 0 ? v : fallback;
};

type Outcome = { name: string; figures: Figures } | { name: string; skipped: string };

async function runOne(anchor: (typeof ANCHORS)[number], root: string, n: number, settleMs: number, restarts: number): Promise<Outcome> {
  const missing = anchor.missing();
  if (missing !== null) return { name: anchor.name, skipped: missing };
  const dir = join(root, anchor.name.replace(/\W+/g, '-'));
  mkdirSync(dir);
  try {
    const prepared = await anchor.prepare(dir, n);
    return { name: anchor.name, figures: await measure(prepared, dir, { n, settleMs, restarts }) };
  } catch (e) {
    return { name: anchor.name, skipped: `failed: ${(e as Error).message}` };
  } finally {
    rmSync(dir, { recursive: true, force: true, maxRetries: 5, retryDelay: 50 });
  }
}

/** One row per system for one measure; systems without that figure are left out. */
function rows(outcomes: readonly Outcome[], label: string, unit: string, pick: (f: Figures) => number | null | undefined, target?: string): BenchResult[] {
  const out: BenchResult[] = [];
  for (const o of outcomes) {
    if (!('figures' in o)) continue;
    const v = pick(o.figures);
    if (v !== null && v !== undefined) out.push({ name: `${label}: ${o.name}`, value: v, unit, ...(o.name.startsWith('rc') && target ? { target } : {}) });
  }
  return out;
}

/** `node -e 0` (median of 5): the start-up every Node supervisor pays before its first spawn. */
function nodeStartMs(): number {
  return median(
    Array.from({ length: 5 }, () => {
      const t0 = performance.now();
      spawnSync(process.execPath, ['-e', '0'], { env: benchEnv() });
      return performance.now() - t0;
    }),
  );
}

/** The figures the floor measures inside itself (floor.c). */
function insideRows(floor: FloorReport, n: number): BenchResult[] {
  return [
    { name: `native floor inside: ${n} posix_spawn calls returned`, value: floor.start_spawned_ms, unit: 'ms' },
    { name: `native floor inside: all ${n} running sleep`, value: floor.start_running_ms, unit: 'ms' },
    { name: `native floor inside: restart p50 (${floor.restarts}; kill, waitpid, spawn, sleep runs)`, value: floor.restart_p50_ms, unit: 'ms' },
    { name: 'native floor inside: restart p95', value: floor.restart_p95_ms, unit: 'ms' },
    { name: 'native floor inside: kill → posix_spawn returned, p50', value: floor.respawn_p50_ms, unit: 'ms' },
    { name: `native floor inside: stop all ${n} (TERM+CONT each, reap all)`, value: floor.stop_all_ms, unit: 'ms' },
    { name: 'native floor inside: its own PSS', value: floor.pss_mib, unit: 'MiB' },
  ];
}

/** rc's figure over the floor's, for each measure both have (the floor's restart and stop are measured inside it). */
function ratios(outcomes: readonly Outcome[]): BenchResult[] {
  const get = (prefix: string): Figures | undefined => outcomes.find((o): o is { name: string; figures: Figures } => o.name.startsWith(prefix) && 'figures' in o)?.figures;
  const rc = get('rc');
  const floor = get('native');
  const inside = floor?.floor;
  if (!rc || !floor || !inside) return [];
  const pairs: [string, number | null, number][] = [
    ['start', rc.startMs, floor.startMs],
    ['restart p50', rc.restartP50, inside.restart_p50_ms],
    ['stop all (no sleep left)', rc.stopSleepsMs, inside.stop_all_ms],
  ];
  return pairs.flatMap(([what, a, b]) => (a === null ? [] : [{ name: `rc ÷ native floor: ${what}`, value: a / b, unit: 'x' }]));
}

export async function run(): Promise<BenchResult[]> {
  const n = envInt('RC_BENCH_N', 1000);
  const settleMs = envInt('RC_BENCH_SETTLE_MS', 10_000);
  const restarts = Math.min(50, n);
  printCaCertsNote();
  const load = loadavg()[0]!;
  const root = mkdtempSync(join(tmpdir(), 'rc-bench-anchors-'));
  const outcomes: Outcome[] = [];
  // Interrupted: the supervisors run in their own process groups, so sweep them before leaving.
  const interrupted = (sig: NodeJS.Signals): void => {
    sweep(root);
    rmSync(root, { recursive: true, force: true });
    process.exit(128 + (sig === 'SIGINT' ? 2 : 15));
  };
  process.once('SIGINT', interrupted).once('SIGTERM', interrupted);
  try {
    const only = (process.env.RC_BENCH_ANCHORS ?? '').split(',').filter((w) => w !== '');
    for (const anchor of ANCHORS.filter((a) => only.length === 0 || only.some((w) => a.name.startsWith(w)))) {
      const o = await runOne(anchor, root, n, settleMs, restarts);
      if ('skipped' in o) process.stdout.write(`${o.name}: skipped (${o.skipped})\n`);
      outcomes.push(o);
    }
  } finally {
    process.off('SIGINT', interrupted).off('SIGTERM', interrupted);
    rmSync(root, { recursive: true, force: true, maxRetries: 5, retryDelay: 50 });
  }
  const floor = outcomes.find((o): o is { name: string; figures: Figures } => 'figures' in o && o.figures.floor !== undefined)?.figures.floor;
  return [
    ...rows(outcomes, `start ${n} longruns (launch → all sleeps running)`, 'ms', (f) => f.startMs, '≤ 800 ms'),
    ...rows(outcomes, `PSS of the supervision processes, settled ${settleMs / 1000} s`, 'MiB', (f) => f.pssMiB, '≤ 44 MiB'),
    ...rows(outcomes, `RSS of the supervision processes, settled (one process: its PSS when alone)`, 'MiB', (f) => f.rssMiB),
    ...rows(outcomes, 'supervision processes (the tree without its sleeps)', '', (f) => f.processes),
    ...rows(outcomes, `restart p50 (${restarts} kills; kill → new sleep running)`, 'ms', (f) => f.restartP50, '≤ 2 ms'),
    ...rows(outcomes, 'restart p95', 'ms', (f) => f.restartP95),
    ...rows(outcomes, `stop all ${n} (request → no sleep left)`, 'ms', (f) => f.stopSleepsMs, '≤ 150 ms'),
    ...rows(outcomes, `stop all ${n} (request → whole tree exited)`, 'ms', (f) => f.stopTreeMs),
    ...(floor ? insideRows(floor, n) : []),
    ...ratios(outcomes),
    { name: 'node -e 0 on this machine (in the rc start figure)', value: nodeStartMs(), unit: 'ms' },
    { name: 'load average (1 min) at the start', value: load, unit: '' },
    { name: 'load average (1 min) at the end', value: loadavg()[0]!, unit: '' },
  ];
}
