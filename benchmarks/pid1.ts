// Benchmarks of the PID-1 duties: cost of one reaper scan, and how soon an orphan is reaped.
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { dirname, join } from 'node:path';
import { promisify } from 'node:util';
import { fileURLToPath } from 'node:url';
import { ChildRegistry } from '../lib/supervise/child-registry.js';
import { loadLibc } from '../lib/sys/libc.js';
import { Reaper } from '../lib/supervise/reaper.js';
import type { BenchResult } from './types.js';

const execFileAsync = promisify(execFile);
const harness = join(dirname(fileURLToPath(import.meta.url)), '..', 'test', 'fixtures', 'pid1', 'reaper-harness.js');

/** Mean time of one reapNow() with `children` live children and no zombie. */
async function scanCost(children: number): Promise<number> {
  const libc = loadLibc();
  if (!libc.ok) throw new Error(libc.error);
  const registry = new ChildRegistry();
  const kids: ChildProcess[] = [];
  for (let i = 0; i < children; i++) kids.push(registry.track(spawn('sleep', ['30'], { stdio: 'ignore' })));
  await new Promise((r) => setTimeout(r, 200));
  const reaper = new Reaper({ isOwnChild: registry.isOwnChild, libc: libc.value, pid: process.pid });
  const rounds = 500;
  const t0 = performance.now();
  for (let i = 0; i < rounds; i++) reaper.reapNow();
  const each = (performance.now() - t0) / rounds;
  for (const k of kids) k.kill('SIGKILL');
  await Promise.all(kids.map((k) => new Promise((r) => (k.exitCode !== null || k.signalCode !== null ? r(null) : k.once('exit', r)))));
  return each;
}

/** Run the harness as a subreaper (no root needed) and return its latency figures. */
async function orphanLatency(count: number): Promise<{ p50: number; max: number; zombies: number }> {
  const { stdout } = await execFileAsync(process.execPath, [harness, 'orphans', String(count)], { timeout: 30_000 });
  const r = JSON.parse(stdout.trim().split('\n').pop() ?? '{}') as { latencyMs: { p50: number; max: number }; zombies: number };
  return { ...r.latencyMs, zombies: r.zombies };
}

export async function run(): Promise<BenchResult[]> {
  const out: BenchResult[] = [];
  for (const n of [0, 100, 1000]) out.push({ name: `reaper scan (reapNow) with ${n} live children`, value: (await scanCost(n)) * 1000, unit: 'µs' });
  for (const n of [5, 100]) {
    const r = await orphanLatency(n);
    out.push({ name: `orphan exit → reaped, ${n} orphans at once, p50`, value: r.p50, unit: 'ms' });
    out.push({ name: `orphan exit → reaped, ${n} orphans at once, max`, value: r.max, unit: 'ms' });
    out.push({ name: `zombies 2 s after ${n} orphans`, value: r.zombies, unit: '', target: '0' });
  }
  return out;
}
