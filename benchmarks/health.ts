// Health checks (issue 12): the daemon's CPU use with 1,000 longruns each checked by health-tcp every second,
// against the same 1,000 longruns without checks (the floor, measured in the same run). The TCP server the
// checks connect to runs in this process; rc boot is a child whose CPU time is read from /proc.
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { loadavg, tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { compileToDir } from '../lib/compile/index.js';
import { connectControl, type ControlClient } from '../lib/control/client.js';
import { benchEnv } from './child-env.js';
import { median } from './stats.js';
import type { BenchResult } from './types.js';

const N = 1000;
const WINDOW_MS = 10_000;
const WINDOWS = 3;
const SETTLE_MS = 3000;
const TICK_MS = 1000 / 100; // USER_HZ
const here = dirname(fileURLToPath(import.meta.url));
const rcBin = join(here, '..', 'cli', 'rc.js');

const cpuMs = (pid: number): number => {
  const text = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const f = text.slice(text.lastIndexOf(')') + 2).split(' ');
  return (Number(f[11]) + Number(f[12])) * TICK_MS;
};
const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/** N `sleep` longruns in a bundle ALL; with `port`, each has health-tcp 127.0.0.1:PORT every second. */
function writeTree(dir: string, port: number | null): void {
  const names: string[] = [];
  for (let i = 0; i < N; i++) {
    const name = `svc${i}`;
    const d = join(dir, name);
    mkdirSync(d, { recursive: true });
    writeFileSync(join(d, 'type'), 'longrun\n');
    writeFileSync(join(d, 'run'), '#!/bin/sh\nexec sleep 1000000\n', { mode: 0o755 });
    if (port !== null) {
      writeFileSync(join(d, 'health-tcp'), `127.0.0.1:${port}\n`);
      writeFileSync(join(d, 'health-interval'), '1000\n');
    }
    names.push(name);
  }
  mkdirSync(join(dir, 'ALL'));
  writeFileSync(join(dir, 'ALL', 'type'), 'bundle\n');
  writeFileSync(join(dir, 'ALL', 'contents'), `${names.join('\n')}\n`);
}

async function client(live: string, child: ChildProcess): Promise<ControlClient> {
  const end = Date.now() + 15_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`rc boot exited ${child.exitCode}`);
    const c = await connectControl(live);
    if (c.ok) return c.value;
    if (Date.now() > end) throw new Error('the daemon did not come up');
    await sleep(20);
  }
}

/** Boot the tree, bring ALL up, let it settle, then the daemon's CPU % in WINDOWS windows of WINDOW_MS. */
async function measure(root: string, port: number | null, accepted: () => number): Promise<{ cpuPct: number[]; checksPerS: number }> {
  const src = join(root, port === null ? 'plain' : 'health');
  writeTree(src, port);
  const compiled = `${src}.db`;
  if (!compileToDir(compiled, [src]).ok) throw new Error('the benchmark tree does not compile');
  const live = `${src}.live`;
  const daemon = spawn(process.execPath, [rcBin, 'boot', '--live', live, '--db', compiled, '--target', 'svc0'], { env: benchEnv(), stdio: ['ignore', 'ignore', 'ignore'] });
  try {
    const c = await client(live, daemon);
    const up = await c.call({ op: 'change', targets: ['ALL'] } as never);
    if (up.type !== 'result' || up.exitCode !== 0) throw new Error(`bringing ALL up failed: ${JSON.stringify(up).slice(0, 300)}`);
    await sleep(SETTLE_MS);
    const cpuPct: number[] = [];
    const a0 = accepted();
    const t0 = performance.now();
    for (let w = 0; w < WINDOWS; w++) {
      const cpu0 = cpuMs(daemon.pid!);
      const w0 = performance.now();
      await sleep(WINDOW_MS);
      cpuPct.push(((cpuMs(daemon.pid!) - cpu0) / (performance.now() - w0)) * 100);
    }
    const checksPerS = ((accepted() - a0) * 1000) / (performance.now() - t0);
    await c.call({ op: 'halt' } as never);
    c.close();
    return { cpuPct, checksPerS };
  } finally {
    if (daemon.exitCode === null) daemon.kill('SIGKILL');
  }
}

/** The same checks from a bare Node script (health-bare.ts): what the work costs without rc around it. */
async function bare(port: number): Promise<number[]> {
  const args = [join(here, 'health-bare.js'), port, N, WINDOW_MS, WINDOWS, SETTLE_MS].map(String);
  const { stdout } = await promisify(execFile)(process.execPath, args, { env: benchEnv(), timeout: 120_000 });
  return (JSON.parse(stdout) as { cpuPct: number[] }).cpuPct;
}

export async function run(): Promise<BenchResult[]> {
  const root = mkdtempSync(join(tmpdir(), 'rc-bench-health-'));
  let accepted = 0;
  const server: Server = createServer((socket) => {
    accepted++;
    socket.destroy();
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const port = (server.address() as { port: number }).port;
  try {
    const load = loadavg()[0]!;
    const plain = await measure(root, null, () => accepted);
    const health = await measure(root, port, () => accepted);
    const bareScript = median(await bare(port));
    const floor = median(plain.cpuPct);
    const withChecks = median(health.cpuPct);
    return [
      { name: `daemon CPU, ${N} longruns, no health checks (median of ${WINDOWS} x ${WINDOW_MS / 1000} s)`, value: floor, unit: '%' },
      { name: `daemon CPU, ${N} longruns, health-tcp every 1 s (median)`, value: withChecks, unit: '%' },
      { name: 'daemon CPU added by the health checks', value: withChecks - floor, unit: '%' },
      { name: `bare Node script making the same ${N} checks/s (median)`, value: bareScript, unit: '%' },
      { name: 'added daemon CPU / bare script', value: (withChecks - floor) / Math.max(0.01, bareScript), unit: 'x' },
      { name: 'health checks answered per second (TCP accepts)', value: health.checksPerS, unit: '/s', target: `≈ ${N}` },
      { name: 'CPU per health check (added CPU / checks)', value: ((withChecks - floor) * 10) / Math.max(1, health.checksPerS), unit: 'ms' },
      { name: 'load average (1 min) at the start', value: load, unit: '' },
    ];
  } finally {
    server.close();
    rmSync(root, { recursive: true, force: true });
  }
}
