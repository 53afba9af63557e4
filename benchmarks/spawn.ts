// What one process costs to start from Node on this machine: node:child_process.spawn blocks the event loop for
// the fork and the exec of every child (libuv waits for the exec), whatever orchestrates it. The daemon's bring-up
// of the synthetic db (benchmarks/engine.ts) is mostly this, times 900.
import { spawn, type ChildProcess, type SpawnOptions } from 'node:child_process';
import { chmodSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createLauncher } from '../lib/supervise/launcher.js';
import type { ChildHandle } from '../lib/supervise/spawner.js';
import type { BenchResult } from './types.js';

const COUNT = 300;
const TICK_MS = 1000 / 100; // USER_HZ

interface Mode {
  label: string;
  options: SpawnOptions;
}

const MODES: Mode[] = [
  { label: "stdio 'ignore'", options: { stdio: 'ignore' } },
  { label: 'out/err piped', options: { stdio: ['ignore', 'pipe', 'pipe'] } },
  // What rc does: pipes for the log lines, and the child in its own session and process group.
  { label: 'piped, detached', options: { stdio: ['ignore', 'pipe', 'pipe'], detached: true } },
];

const exited = (c: ChildProcess): Promise<void> =>
  new Promise((resolve) => (c.exitCode !== null || c.signalCode !== null ? resolve() : c.once('exit', () => resolve())));

/** ms per spawn() call (wall, and this process's CPU) for `sleep`, then every child is killed and reaped. */
async function spawnCalls(mode: Mode): Promise<{ wall: number; cpu: number }> {
  const kids: ChildProcess[] = [];
  const cpu0 = process.cpuUsage();
  const t0 = performance.now();
  for (let i = 0; i < COUNT; i++) kids.push(spawn('sleep', ['1000'], mode.options));
  const wall = (performance.now() - t0) / COUNT;
  const used = process.cpuUsage(cpu0);
  for (const k of kids) {
    k.stdout?.resume();
    k.stderr?.resume();
    k.kill('SIGKILL');
  }
  await Promise.all(kids.map(exited));
  return { wall, cpu: (used.user + used.system) / 1000 / COUNT };
}

/** The same as `spawnCalls` for rc's posix spawner (posix_spawn through koffi): piped, detached. */
async function posixCalls(): Promise<{ wall: number; cpu: number }> {
  const launcher = createLauncher();
  if (launcher.kind !== 'posix') throw new Error(`no posix spawner here: ${launcher.note ?? ''}`);
  const kids: ChildHandle[] = [];
  const cpu0 = process.cpuUsage();
  const t0 = performance.now();
  for (let i = 0; i < COUNT; i++) kids.push(launcher.spawnProcess({ file: 'sleep', args: ['1000'], stdio: ['ignore', 'pipe', 'pipe'], detached: true }));
  const wall = (performance.now() - t0) / COUNT;
  const used = process.cpuUsage(cpu0);
  const ends = kids.map((k) => new Promise((resolve) => k.onEnd(resolve)));
  for (const k of kids) {
    k.stdout?.resume();
    k.stderr?.resume();
    k.kill('SIGKILL');
  }
  await Promise.all(ends);
  return { wall, cpu: (used.user + used.system) / 1000 / COUNT };
}

/** CPU time of this process's reaped children so far (ms), from /proc. */
function childrenCpuMs(): number {
  const text = readFileSync('/proc/self/stat', 'utf8');
  const f = text.slice(text.lastIndexOf(')') + 2).split(' ');
  return (Number(f[13]) + Number(f[14])) * TICK_MS;
}

/** The child's own CPU time per run of `file` (ms), one at a time. */
async function childCpu(file: string): Promise<number> {
  const before = childrenCpuMs();
  for (let i = 0; i < COUNT; i++) await exited(spawn(file, [], { stdio: 'ignore' }));
  return (childrenCpuMs() - before) / COUNT;
}

export async function run(): Promise<BenchResult[]> {
  const results: BenchResult[] = [];
  await spawnCalls(MODES[0]!); // warm up: the first spawns of a process are slower
  for (const mode of MODES) {
    const r = await spawnCalls(mode);
    results.push({ name: `spawn('sleep'), ${mode.label}: per call (${COUNT})`, value: r.wall, unit: 'ms' });
    results.push({ name: '  CPU time of the spawning process, per call', value: r.cpu, unit: 'ms' });
  }
  const posix = await posixCalls();
  results.push({ name: `posix_spawn('sleep') (rc's spawner), piped, detached: per call (${COUNT})`, value: posix.wall, unit: 'ms' });
  results.push({ name: '  CPU time of the spawning process, per call', value: posix.cpu, unit: 'ms' });
  const tmp = mkdtempSync(join(tmpdir(), 'rc-bench-spawn-'));
  try {
    const script = join(tmp, 'run');
    writeFileSync(script, '#!/bin/sh\nexec sleep 0\n');
    chmodSync(script, 0o755);
    // The synthetic db's processes, their own CPU time: it competes with the spawner for the cores.
    results.push({ name: 'child CPU: `#!/bin/sh` + `exec sleep 0`', value: await childCpu(script), unit: 'ms' });
    results.push({ name: 'child CPU: `true`', value: await childCpu('true'), unit: 'ms' });
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
  return results;
}
