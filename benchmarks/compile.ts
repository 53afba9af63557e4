// Compile benchmark: wall time (Node start-up included) and peak RSS of `node dist/cli/rc-fast.js compile OUT SRC`
// at N = 1,000 / 10,000 / 100,000, beside a bare Node script doing the same file-system work (compile-bare.ts).
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { benchEnv, printCaCertsNote } from './child-env.js';
import { generateTree } from './generate-tree.js';
import { median } from './stats.js';
import type { BenchResult } from './types.js';

/** The installed `rc` binary (package.json bin: the fast entry), else the full CLI. */
const FAST = fileURLToPath(new URL('../cli/rc-fast.js', import.meta.url));
const RC = existsSync(FAST) ? FAST : fileURLToPath(new URL('../cli/rc.js', import.meta.url));
const BARE = fileURLToPath(new URL('./compile-bare.js', import.meta.url));
const TIME = '/usr/bin/time';

interface Size {
  n: number;
  runs: number;
  target: string;
}

const SIZES: Size[] = [
  { n: 1_000, runs: 9, target: '≤ 100 ms' },
  { n: 10_000, runs: 5, target: '≤ 500 ms' },
  { n: 100_000, runs: 3, target: '≤ 6000 ms' },
];

/** Wall time of one compile (`script` is rc, or the bare floor), in ms; throws if it fails. */
function timeOnce(src: string, out: string, script = RC): Promise<number> {
  rmSync(out, { recursive: true, force: true });
  const args = script === RC ? [RC, 'compile', out, src] : [script, out, src];
  return new Promise((resolve, reject) => {
    const start = process.hrtime.bigint();
    const child = spawn(process.execPath, args, { stdio: ['ignore', 'ignore', 'pipe'], env: benchEnv() });
    let err = '';
    child.stderr.on('data', (b: Buffer) => (err += b.toString()));
    child.on('error', reject);
    child.on('exit', (code) => {
      const ms = Number(process.hrtime.bigint() - start) / 1e6;
      if (code === 0) resolve(ms);
      else reject(new Error(`${script} exited ${code}: ${err.slice(0, 500)}`));
    });
  });
}

/** Peak RSS of one compile in MB, via GNU time (undefined when it is not installed). */
function peakRss(src: string, out: string): number | undefined {
  if (!existsSync(TIME)) return undefined;
  rmSync(out, { recursive: true, force: true });
  const r = spawnSync(TIME, ['-f', '%M', process.execPath, RC, 'compile', out, src], { encoding: 'utf8', env: benchEnv() });
  const kb = Number(r.stderr.trim().split('\n').pop());
  return Number.isFinite(kb) ? kb / 1024 : undefined;
}


/**
 * Where trees and outputs go: RC_BENCH_DIR, else /dev/shm when it exists (tmpfs: the figure then
 * measures rc, not the disk — on VM disks mounted with `discard`, inode creation after deletions
 * varies tenfold between runs), else the OS temp dir. RC_BENCH_SIZES=1000,10000 limits the sizes.
 */
function settings(): { base: string; sizes: Size[] } {
  const only = process.env.RC_BENCH_SIZES?.split(',').map(Number);
  const base = process.env.RC_BENCH_DIR ?? (existsSync('/dev/shm') ? '/dev/shm' : tmpdir());
  return { base, sizes: only ? SIZES.filter((s) => only.includes(s.n)) : SIZES };
}

/** Median wall time of `node -e 0` (the start-up every figure above includes). */
function nodeStartup(runs = 9): number {
  const times: number[] = [];
  for (let i = 0; i < runs; i++) {
    const t0 = performance.now();
    spawnSync(process.execPath, ['-e', '0'], { env: benchEnv() });
    times.push(performance.now() - t0);
  }
  return median(times);
}

export async function run(): Promise<BenchResult[]> {
  printCaCertsNote();
  const results: BenchResult[] = [{ name: 'node -e 0 on this machine (start-up floor)', value: nodeStartup(), unit: 'ms' }];
  const { base, sizes } = settings();
  const root = mkdtempSync(join(base, 'rc-bench-compile-'));
  try {
    for (const size of sizes) {
      const src = join(root, `src-${size.n}`);
      const out = join(root, `out-${size.n}`);
      generateTree(src, { n: size.n, seed: 1 });
      await timeOnce(src, out); // warm the page cache
      const times: number[] = [];
      const bare: number[] = [];
      for (let i = 0; i < size.runs; i++) {
        // Interleaved, so that load from other processes weighs on both alike.
        times.push(await timeOnce(src, out));
        bare.push(await timeOnce(src, out, BARE));
      }
      const label = size.n.toLocaleString('en-US');
      results.push({ name: `rc compile N=${label} (wall, median of ${size.runs})`, value: median(times), unit: 'ms', target: size.target });
      results.push({ name: `  bare Node script, same reads and writes (floor)`, value: median(bare), unit: 'ms' });
      const rss = peakRss(src, out);
      if (rss !== undefined) results.push({ name: `rc compile N=${label} peak RSS`, value: rss, unit: 'MB' });
      rmSync(src, { recursive: true, force: true });
      rmSync(out, { recursive: true, force: true });
    }
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
  return results;
}
