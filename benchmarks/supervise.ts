// Benchmarks of the supervision core: 1,000 longruns (start time, RSS, restart latency) and per-spawn cost.
// The 1,000-service figures come from a fresh Node process (this file run with `child ...`), so the RSS
// is that of a supervising process alone.
import { execFile } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { promisify } from 'node:util';
import { keepYoungGenerationSmall } from '../lib/boot/heap.js';
import { systemClock } from '../lib/core/clock.js';
import type { LongrunService } from '../lib/db/types.js';
import { OneshotRunner } from '../lib/supervise/oneshot.js';
import { discardSink } from '../lib/supervise/output-sink.js';
import { createLauncher, createSpawner } from '../lib/supervise/launcher.js';
import { Supervisor } from '../lib/supervise/supervisor.js';
import type { SupervisorEvent } from '../lib/supervise/types.js';
import { pssMiB } from './stats.js';
import type { BenchResult } from './types.js';

const N = 1000;
const RESTART_SAMPLES = 200;
const SETTLE_MS = 12_000;

interface ChildReport {
  startMs: number;
  baseRssMb: number;
  rssMb: number;
  settledRssMb: number;
  settledHeapMb: number;
  settledPssMiB: number;
  /** After a full GC: the heap the supervision really holds, and the PSS then. */
  liveHeapMb: number;
  gcPssMiB: number;
  spawner: string;
  restartP50: number;
  restartP95: number;
  stopAllMs: number;
}

const service = (name: string): LongrunService => ({
  type: 'longrun', index: 0, name, flags: { essential: false }, deps: [], rdeps: [], timeoutUp: 0, timeoutDown: 0,
  source: '', hasFinish: false, notificationFd: null, lockFd: null, timeoutKill: 0, timeoutFinish: 5000,
  maxDeathTally: 100, downSignal: 'SIGTERM', restartDelay: 0, readiness: null, producerFor: null, consumerFor: [],
  pipelineName: null,
});

const mb = (): number => process.memoryUsage().rss / 1e6;
const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));
const pct = (xs: number[], p: number): number => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor(xs.length * p))] ?? NaN;

/** Child mode: supervise N `sleep` longruns (run = symlink to sleep, NAME = seconds) and report figures. */
async function child(): Promise<ChildReport> {
  keepYoungGenerationSmall(); // as rc boot does
  const root = mkdtempSync(join(tmpdir(), 'rc-bench-sv-'));
  const baseRssMb = mb();
  const waiting = new Map<string, (e: SupervisorEvent) => void>();
  const onEvent = (e: SupervisorEvent): void => {
    if (e.type === 'spawned') waiting.get(e.service)?.(e);
  };
  const spawner = createSpawner({ env: process.env });
  const sups: Supervisor[] = [];
  for (let i = 0; i < N; i++) {
    const name = String(100_000 + i);
    const dir = join(root, name);
    mkdirSync(dir);
    symlinkSync('/usr/bin/sleep', join(dir, 'run'));
    sups.push(new Supervisor({ service: service(name), dir, spawner, clock: systemClock, output: discardSink, onEvent }));
  }
  const t0 = performance.now();
  for (const s of sups) s.up();
  const startMs = performance.now() - t0;
  if (sups.some((s) => s.status().state !== 'up')) throw new Error('not all longruns are up');
  await sleep(1000);
  const rssMb = mb();
  await sleep(SETTLE_MS);
  const settledRssMb = mb();
  const settledHeapMb = process.memoryUsage().heapTotal / 1e6;
  const settledPssMiB = pssMiB();
  (globalThis as { gc?: () => void }).gc?.();
  const liveHeapMb = process.memoryUsage().heapUsed / 1e6;
  const gcPssMiB = pssMiB();
  const lat: number[] = [];
  for (let i = 0; i < RESTART_SAMPLES; i++) {
    const s = sups[i]!;
    const back = new Promise<void>((r) => waiting.set(s.name, () => r()));
    const t = performance.now();
    process.kill(s.status().pid!, 'SIGKILL');
    await back;
    lat.push(performance.now() - t);
    waiting.delete(s.name);
  }
  const t1 = performance.now();
  await Promise.all(sups.map((s) => s.exit()));
  const stopAllMs = performance.now() - t1;
  rmSync(root, { recursive: true, force: true });
  return { spawner: createLauncher({ env: process.env }).kind, startMs, baseRssMb, rssMb, settledRssMb, settledHeapMb, settledPssMiB, liveHeapMb, gcPssMiB, restartP50: pct(lat, 0.5), restartP95: pct(lat, 0.95), stopAllMs };
}

/** Mean ms per short-lived process (spawn to exit), node:child_process via OneshotRunner vs execa. */
async function perSpawn(rounds: number): Promise<{ node: number; execa: number }> {
  const runner = new OneshotRunner({ spawner: createSpawner({ env: process.env }) });
  const { execa } = await import('execa');
  const opts = { name: 'b', dir: '/', argv: ['true'], timeoutMs: 0, output: discardSink };
  for (let i = 0; i < 20; i++) await runner.run(opts); // warm up
  let t = performance.now();
  for (let i = 0; i < rounds; i++) await runner.run(opts);
  const node = (performance.now() - t) / rounds;
  for (let i = 0; i < 20; i++) await execa('true', { detached: true, reject: false });
  t = performance.now();
  for (let i = 0; i < rounds; i++) await execa('true', { detached: true, reject: false, cwd: '/', stdin: 'ignore' });
  return { node, execa: (performance.now() - t) / rounds };
}

async function runChild(): Promise<ChildReport> {
  const self = fileURLToPath(import.meta.url);
  const { stdout } = await promisify(execFile)(process.execPath, ['--expose-gc', self, 'child'], { timeout: 180_000, maxBuffer: 1 << 20 });
  return JSON.parse(stdout.trim().split('\n').pop() ?? '{}') as ChildReport;
}

export async function run(): Promise<BenchResult[]> {
  const r = await runChild();
  const spawnCost = await perSpawn(300);
  return [
    { name: `start ${N} sleep longruns (all spawned; ${r.spawner} spawner)`, value: r.startMs, unit: 'ms' },
    { name: `RSS, Node process alone (before supervising)`, value: r.baseRssMb, unit: 'MB' },
    { name: `RSS with ${N} longruns up (1 s after start)`, value: r.rssMb, unit: 'MB' },
    { name: `RSS with ${N} longruns up (settled, ${SETTLE_MS / 1000} s idle)`, value: r.settledRssMb, unit: 'MB', target: '≤ 60' },
    { name: `PSS with ${N} longruns up (settled; smaps_rollup)`, value: r.settledPssMiB, unit: 'MiB', target: '≤ 44 (supervisord)' },
    { name: `  PSS after a full GC`, value: r.gcPssMiB, unit: 'MiB' },
    { name: `V8 heap in use after a full GC (heapUsed)`, value: r.liveHeapMb, unit: 'MB' },
    { name: `V8 heap (heapTotal) with ${N} longruns up (settled)`, value: r.settledHeapMb, unit: 'MB' },
    { name: `RSS per supervised longrun (settled)`, value: ((r.settledRssMb - r.baseRssMb) * 1000) / N, unit: 'kB' },
    { name: `restart latency, restart-delay 0, p50 (${RESTART_SAMPLES} kills)`, value: r.restartP50, unit: 'ms', target: '≤ 20' },
    { name: `restart latency, restart-delay 0, p95`, value: r.restartP95, unit: 'ms' },
    { name: `stop all ${N} (SIGTERM, wait for down)`, value: r.stopAllMs, unit: 'ms' },
    { name: `spawn-to-exit of \`true\`, ${createLauncher({ env: process.env }).kind} spawner (OneshotRunner)`, value: spawnCost.node, unit: 'ms' },
    { name: 'spawn-to-exit of `true`, execa 9', value: spawnCost.execa, unit: 'ms' },
  ];
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href && process.argv[2] === 'child') {
  process.stdout.write(`${JSON.stringify(await child())}\n`);
  process.exit(0);
}
