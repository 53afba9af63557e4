// Client start-up: each `rc` client command (the bundled binary, dist/cli/rc-fast.js) against `node -e 0`, in one run.
//
// Boots `rc boot` on a temp live dir with the synthetic 1,000-service db (its `default` bundle holds
// every atomic service), then times, interleaved, N runs of each command and reports the medians
// and their distance to `node -e 0`. Timed children run without NODE_EXTRA_CA_CERTS (child-env.ts).
// RC_BENCH_CLIENT_RUNS sets N (default 21); RC_BENCH_CLIENT_COMPARE=/path/to/another/rc-fast.js
// times the same client commands of that build too, in the same interleaved runs (before/after).
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { compileToDir } from '../lib/compile/index.js';
import { connectControl } from '../lib/control/index.js';
import { benchEnv, printCaCertsNote } from './child-env.js';
import { generateTree } from './generate-tree.js';
import type { BenchResult } from './types.js';

const RC = fileURLToPath(new URL('../cli/rc-fast.js', import.meta.url));
const RUNS = Number(process.env['RC_BENCH_CLIENT_RUNS'] ?? 21);
const MARGIN_MS = 15;

const median = (xs: number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)]!;
};

const COMPARE = process.env['RC_BENCH_CLIENT_COMPARE'];

/** The client commands of one binary, each as argv after `node`. */
function clientCommands(rc: string, live: string, tag = ''): [string, string[]][] {
  return [
    [`rc status (1,000 services)${tag}`, [rc, 'status', '--live', live]],
    [`rc list${tag}`, [rc, 'list', '--live', live]],
    [`rc change default (no-op, all up)${tag}`, [rc, 'change', 'default', '--live', live]],
    [`rc --help${tag}`, [rc, '--help']],
    [`rc status --help${tag}`, [rc, 'status', '--help']],
  ];
}

/** The commands timed; the first is the floor the others are held to. */
function commands(live: string): [string, string[]][] {
  const compare = COMPARE ? clientCommands(COMPARE, live, ' [RC_BENCH_CLIENT_COMPARE]') : [];
  return [['node -e 0', ['-e', '0']], ...clientCommands(RC, live), ...compare];
}

/** Wall time of one run; throws if it does not exit 0. */
function timeOnce(argv: string[], env: NodeJS.ProcessEnv): number {
  const t0 = performance.now();
  const r = spawnSync(process.execPath, argv, { env, stdio: ['ignore', 'ignore', 'pipe'] });
  const ms = performance.now() - t0;
  if (r.status !== 0) throw new Error(`node ${argv.join(' ')} exited ${r.status ?? r.signal}: ${r.stderr.toString()}`);
  return ms;
}

async function waitForDaemon(live: string, child: ChildProcess): Promise<void> {
  const end = Date.now() + 20_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`rc boot exited ${child.exitCode}`);
    const c = await connectControl(live);
    if (c.ok) {
      c.value.close();
      return;
    }
    if (Date.now() > end) throw new Error('the daemon did not come up');
    await new Promise((r) => setTimeout(r, 20));
  }
}

/** Wait until `rc change default` has brought everything up (the boot change runs first). */
function settle(live: string, env: NodeJS.ProcessEnv): void {
  const r = spawnSync(process.execPath, [RC, 'change', 'default', '--live', live], { env, stdio: ['ignore', 'ignore', 'pipe'], timeout: 60_000 });
  if (r.status !== 0) throw new Error(`rc change default failed: ${r.stderr.toString()}`);
}

async function stopDaemon(daemon: ChildProcess, env: NodeJS.ProcessEnv, live: string): Promise<void> {
  if (daemon.exitCode !== null || daemon.signalCode !== null) return;
  const exited = new Promise<void>((r) => daemon.once('exit', () => r()));
  spawnSync(process.execPath, [RC, 'halt', '--live', live], { env, stdio: 'ignore', timeout: 30_000 });
  const timer = setTimeout(() => daemon.kill('SIGKILL'), 30_000);
  await exited;
  clearTimeout(timer);
}

export async function run(): Promise<BenchResult[]> {
  const root = mkdtempSync(join(tmpdir(), 'rc-bench-client-'));
  printCaCertsNote();
  const env = benchEnv();
  let daemon: ChildProcess | undefined;
  let live = '';
  try {
    const tree = generateTree(join(root, 'src'), { n: 1000, allBundle: 'default' });
    const compiled = join(root, 'compiled');
    if (!compileToDir(compiled, [tree.dir]).ok) throw new Error('the synthetic tree does not compile');
    live = join(root, 'live');
    daemon = spawn(process.execPath, [RC, 'boot', '--live', live, '--db', compiled, '--quiet'], { env, stdio: ['ignore', 'ignore', 'ignore'] });
    await waitForDaemon(live, daemon);
    settle(live, env);
    const cmds = commands(live);
    const times = cmds.map((): number[] => []);
    for (let k = 0; k < RUNS; k++) cmds.forEach(([, argv], i) => times[i]!.push(timeOnce(argv, env)));
    const floor = median(times[0]!);
    const out: BenchResult[] = [{ name: `node -e 0 (median of ${RUNS}, interleaved)`, value: floor, unit: 'ms' }];
    for (let i = 1; i < cmds.length; i++) {
      const m = median(times[i]!);
      out.push({ name: cmds[i]![0], value: m, unit: 'ms' });
      out.push({ name: `  - node -e 0`, value: m - floor, unit: 'ms', target: `≤ +${MARGIN_MS} ms` });
    }
    return out;
  } finally {
    if (daemon) await stopDaemon(daemon, env, live).catch(() => daemon?.kill('SIGKILL'));
    rmSync(root, { recursive: true, force: true });
  }
}
