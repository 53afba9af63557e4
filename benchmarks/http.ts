// rc boot --http (issue 15): latency of GET /metrics and GET /api/v1/services with 1,000 services, against the control
// socket's status call (the floor: the same data without HTTP), and the daemon's resident memory with the server on vs off.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { Agent, get } from 'node:http';
import { loadavg, tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { compileToDir } from '../lib/compile/index.js';
import { connectControl, type ControlClient } from '../lib/control/client.js';
import { benchEnv } from './child-env.js';
import { median } from './stats.js';
import type { BenchResult } from './types.js';

const N = 1000;
const REQUESTS = 60;
const SETTLE_MS = 2000;
const here = dirname(fileURLToPath(import.meta.url));
const rcBin = join(here, '..', 'cli', 'rc.js');
const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/** N `sleep` longruns (a third of them oneshots would not change the HTTP side) in a bundle ALL. */
function writeTree(dir: string): void {
  const names: string[] = [];
  for (let i = 0; i < N; i++) {
    const d = join(dir, `svc${i}`);
    mkdirSync(d, { recursive: true });
    writeFileSync(join(d, 'type'), 'longrun\n');
    writeFileSync(join(d, 'run'), '#!/bin/sh\nexec sleep 1000000\n', { mode: 0o755 });
    names.push(`svc${i}`);
  }
  mkdirSync(join(dir, 'ALL'));
  writeFileSync(join(dir, 'ALL', 'type'), 'bundle\n');
  writeFileSync(join(dir, 'ALL', 'contents'), `${names.join('\n')}\n`);
}

const rssKb = (pid: number): number => Number(/^VmRSS:\s+(\d+)/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1] ?? Number.NaN);

interface Daemon {
  child: ChildProcess;
  control: ControlClient;
  url: string | null;
}

async function boot(compiled: string, live: string, http: boolean): Promise<Daemon> {
  const args = [rcBin, 'boot', '--live', live, '--db', compiled, '--target', 'ALL', ...(http ? ['--http', '127.0.0.1:0'] : [])];
  const child = spawn(process.execPath, args, { env: benchEnv(), stdio: ['ignore', 'ignore', 'pipe'] });
  let err = '';
  child.stderr.on('data', (c) => (err += c));
  const end = Date.now() + 60_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`rc boot exited ${child.exitCode}: ${err}`);
    if (Date.now() > end) throw new Error(`the daemon did not come up: ${err}`);
    const c = await connectControl(live);
    const url = /http: listening on (http:\/\/[\d.]+:\d+)\//.exec(err)?.[1] ?? null;
    if (c.ok && (!http || url !== null)) {
      const done = await waitIdle(c.value);
      if (done) return { child, control: c.value, url };
      c.value.close();
    } else if (c.ok) c.value.close();
    await sleep(100);
  }
}

/** True once every service is up and nothing runs. */
async function waitIdle(c: ControlClient): Promise<boolean> {
  const r = await c.call({ op: 'status' } as never);
  if (r.type !== 'result') return false;
  const d = r.data as { daemon: { busy: string | null }; services: { up: boolean }[] };
  return d.daemon.busy === null && d.services.every((s) => s.up);
}

/** ms of each of REQUESTS sequential GETs over one keep-alive connection. */
async function latencies(url: string): Promise<number[]> {
  const agent = new Agent({ keepAlive: true, maxSockets: 1 });
  const one = (): Promise<number> =>
    new Promise((resolve, reject) => {
      const t0 = performance.now();
      get(url, { agent }, (res) => {
        res.resume();
        res.on('end', () => (res.statusCode === 200 ? resolve(performance.now() - t0) : reject(new Error(`${url}: ${res.statusCode}`))));
      }).on('error', reject);
    });
  try {
    for (let i = 0; i < 5; i++) await one();
    const out: number[] = [];
    for (let i = 0; i < REQUESTS; i++) out.push(await one());
    return out;
  } finally {
    agent.destroy();
  }
}

async function controlLatencies(c: ControlClient): Promise<number[]> {
  const out: number[] = [];
  for (let i = 0; i < REQUESTS + 5; i++) {
    const t0 = performance.now();
    await c.call({ op: 'status' } as never);
    out.push(performance.now() - t0);
  }
  return out.slice(5);
}

async function stop(d: Daemon): Promise<void> {
  await d.control.call({ op: 'halt' } as never);
  d.control.close();
  if (d.child.exitCode === null) await new Promise((r) => d.child.once('exit', r));
}

/** RSS in MiB: the median of 5 samples 200 ms apart. */
async function rssMiB(pid: number): Promise<number> {
  const xs: number[] = [];
  for (let i = 0; i < 5; i++) {
    xs.push(rssKb(pid) / 1024);
    await sleep(200);
  }
  return median(xs);
}

export async function run(): Promise<BenchResult[]> {
  const root = mkdtempSync(join(tmpdir(), 'rc-bench-http-'));
  try {
    const load = loadavg()[0]!;
    const src = join(root, 'src');
    writeTree(src);
    const compiled = join(root, 'compiled');
    if (!compileToDir(compiled, [src]).ok) throw new Error('the benchmark tree does not compile');
    const off = await boot(compiled, join(root, 'live-off'), false);
    await sleep(SETTLE_MS);
    const status = median(await controlLatencies(off.control));
    const memOff = await rssMiB(off.child.pid!);
    await stop(off);
    const on = await boot(compiled, join(root, 'live-on'), true);
    await sleep(SETTLE_MS);
    const metrics = median(await latencies(`${on.url}/metrics`));
    const services = median(await latencies(`${on.url}/api/v1/services`));
    const memOn = await rssMiB(on.child.pid!);
    await stop(on);
    return [
      { name: `control socket status, ${N} services (floor, median of ${REQUESTS})`, value: status, unit: 'ms' },
      { name: `GET /api/v1/services, ${N} services (median of ${REQUESTS})`, value: services, unit: 'ms' },
      { name: `GET /metrics, ${N} services (median of ${REQUESTS})`, value: metrics, unit: 'ms' },
      { name: `daemon RSS without --http, ${N} longruns up`, value: memOff, unit: 'MiB' },
      { name: `daemon RSS with --http, after ${2 * (REQUESTS + 5)} requests`, value: memOn, unit: 'MiB' },
      { name: 'memory added by the HTTP server', value: memOn - memOff, unit: 'MiB' },
      { name: 'load average (1 min) at the start', value: load, unit: '' },
    ];
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
}
