// The daemon end to end on the synthetic 1,000-service db (300 oneshots `true`, 600 longruns `sleep`):
// bring up, bring down, a no-op change, the `rc status` round trip, and a bare Node spawner for comparison.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { compileToDir } from '../lib/compile/index.js';
import { connectControl, type ControlClient } from '../lib/control/client.js';
import { benchEnv, printCaCertsNote } from './child-env.js';
import { generateTree } from './generate-tree.js';
import { median, pssMiB } from './stats.js';
import type { BenchResult } from './types.js';

const here = dirname(fileURLToPath(import.meta.url));
const rcBin = join(here, '..', 'cli', 'rc.js');
/** The installed `rc` binary (package.json bin): the same CLI as rc.js, bundled. */
const rcFast = join(here, '..', 'cli', 'rc-fast.js');
const TICK_MS = 1000 / 100; // USER_HZ

/** CPU time (user + system, ms) of a process so far, from /proc. */
function cpuMs(pid: number): number {
  const text = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const f = text.slice(text.lastIndexOf(')') + 2).split(' ');
  return (Number(f[11]) + Number(f[12])) * TICK_MS;
}

async function waitForDaemon(live: string, child: ChildProcess): Promise<ControlClient> {
  const end = Date.now() + 15000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`rc boot exited ${child.exitCode}`);
    const c = await connectControl(live);
    if (c.ok) return c.value;
    if (Date.now() > end) throw new Error('the daemon did not come up');
    await new Promise((r) => setTimeout(r, 20));
  }
}

/** One request through the control socket; wall time and the daemon's CPU time. */
async function timed(client: ControlClient, pid: number, body: Record<string, unknown> & { op: string }): Promise<{ wall: number; cpu: number }> {
  const cpu0 = cpuMs(pid);
  const t0 = performance.now();
  const reply = await client.call(body as never);
  const wall = performance.now() - t0;
  if (reply.type !== 'result' || reply.exitCode !== 0) throw new Error(`${body.op} failed: ${JSON.stringify(reply).slice(0, 500)}`);
  return { wall, cpu: cpuMs(pid) - cpu0 };
}

function statusRoundTrip(entry: string, live: string, env: NodeJS.ProcessEnv, runs: number): number {
  const times: number[] = [];
  for (let k = 0; k < runs; k++) {
    const t0 = performance.now();
    const r = spawnSync(process.execPath, [entry, 'status', '--live', live], { env, stdio: ['ignore', 'ignore', 'pipe'] });
    times.push(performance.now() - t0);
    if (r.status !== 0) throw new Error(`rc status failed: ${r.stderr.toString()}`);
  }
  return median(times);
}

function bareSpawn(compiled: string): number {
  const r = spawnSync(process.execPath, [join(here, 'engine-bare.js'), compiled], { encoding: 'utf8', env: benchEnv() });
  if (r.status !== 0) throw new Error(`bare spawner failed: ${r.stderr}`);
  return (JSON.parse(r.stdout) as { upMs: number }).upMs;
}

export async function run(): Promise<BenchResult[]> {
  const root = mkdtempSync(join(tmpdir(), 'rc-bench-engine-'));
  printCaCertsNote();
  const env = benchEnv();
  let daemon: ChildProcess | undefined;
  try {
    const tree = generateTree(join(root, 'src'), { n: 1000 });
    const compiled = join(root, 'compiled');
    const c = compileToDir(compiled, [tree.dir]);
    if (!c.ok) throw new Error('the synthetic tree does not compile');
    const live = join(root, 'live');
    daemon = spawn(process.execPath, [rcBin, 'boot', '--live', live, '--db', compiled, '--target', tree.oneshots[0]!], { env, stdio: ['ignore', 'ignore', 'ignore'] });
    const client = await waitForDaemon(live, daemon);
    const pid = daemon.pid!;
    await new Promise((r) => setTimeout(r, 300));
    await timed(client, pid, { op: 'down', names: ['ALL'] });
    const up = await timed(client, pid, { op: 'change', targets: ['ALL'] });
    const upPss = pssMiB(pid);
    const noops: number[] = [];
    for (let k = 0; k < 5; k++) noops.push((await timed(client, pid, { op: 'change', targets: ['ALL'] })).wall);
    const status = statusRoundTrip(rcFast, live, env, 20);
    const statusFull = statusRoundTrip(rcBin, live, env, 20);
    const nodeAlone = median(Array.from({ length: 10 }, () => {
      const t0 = performance.now();
      spawnSync(process.execPath, ['-e', '0'], { env });
      return performance.now() - t0;
    }));
    const statusEnv = statusRoundTrip(rcFast, live, process.env, 5);
    const down = await timed(client, pid, { op: 'down', names: ['ALL'] });
    await timed(client, pid, { op: 'halt' });
    client.close();
    const bare = median([bareSpawn(compiled), bareSpawn(compiled), bareSpawn(compiled)]);
    const n = `${tree.oneshots.length} oneshots + ${tree.longruns.length} longruns`;
    return [
      { name: `up: ${n} (wall)`, value: up.wall, unit: 'ms', target: '≤ 1000 ms; s6-rc 3550 ms' },
      { name: 'up: daemon CPU time', value: up.cpu, unit: 'ms' },
      { name: 'up: bare Node script spawning the same processes', value: bare, unit: 'ms' },
      { name: 'up: ratio to the bare script', value: up.wall / bare, unit: 'x', target: '≤ 1.5' },
      { name: `daemon PSS with everything up (${tree.longruns.length} longruns; smaps_rollup)`, value: upPss, unit: 'MiB' },
      { name: 'no-op change, everything already up (median of 5)', value: median(noops), unit: 'ms' },
      { name: 'down: everything (wall)', value: down.wall, unit: 'ms', target: '≤ 1000 ms; s6-rc 3370 ms' },
      { name: 'down: daemon CPU time', value: down.cpu, unit: 'ms' },
      { name: 'rc status round trip, 1,000 services (median of 20)', value: status, unit: 'ms', target: '≤ 60 ms' },
      { name: 'rc status through the unbundled CLI (cli/rc.js)', value: statusFull, unit: 'ms' },
      { name: 'node -e 0 on this machine (start-up floor)', value: nodeAlone, unit: 'ms' },
      { name: 'rc status with NODE_EXTRA_CA_CERTS set (median of 5)', value: statusEnv, unit: 'ms' },
    ];
  } finally {
    if (daemon && daemon.exitCode === null) daemon.kill('SIGKILL');
    rmSync(root, { recursive: true, force: true });
  }
}
