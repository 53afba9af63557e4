// rc export and rc probe: export time of synthetic 1,000 / 10,000-service dbs (floor: reading the db), and
// `rc probe` start-up (it runs as a health check every few seconds in every container) against `node -e 0`.
// RC_BENCH_EXPORT_RUNS sets the number of runs of each (default 11).
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { compileToDir } from '../lib/compile/index.js';
import { readDb, type Db } from '../lib/db/index.js';
import { exportDb, type ExportFormat } from '../lib/export/index.js';
import { benchEnv } from './child-env.js';
import { generateTree } from './generate-tree.js';
import { median } from './stats.js';
import type { BenchResult } from './types.js';

const RC = fileURLToPath(new URL('../cli/rc-fast.js', import.meta.url));
const RUNS = Number(process.env['RC_BENCH_EXPORT_RUNS'] ?? 11);

function open(dir: string): Db {
  const r = readDb(dir);
  if (!r.ok) throw new Error(r.error.message);
  return r.value;
}

/** Median ms of `fn` over RUNS runs. */
function timeIt(fn: () => void): number {
  const ms: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    const t0 = performance.now();
    fn();
    ms.push(performance.now() - t0);
  }
  return median(ms);
}

function exportFigures(root: string, n: number): BenchResult[] {
  const tree = generateTree(join(root, `src-${n}`), { n, allBundle: 'default' });
  const dir = join(root, `db-${n}`);
  const c = compileToDir(dir, [tree.dir]);
  if (!c.ok) throw new Error(`compile of ${n} services failed`);
  const floor = timeIt(() => open(dir));
  const db = open(dir);
  const run = (format: ExportFormat) => () => {
    const r = exportDb(db, { format, image: 'app', targets: [], name: 'bench', imageCompiled: '/etc/rc/compiled' });
    if (!r.ok) throw new Error(r.error.message);
  };
  const label = n.toLocaleString('en');
  return [
    { name: `read the db (floor), ${label} services`, value: floor, unit: 'ms' },
    { name: `export compose, ${label} services`, value: timeIt(run('compose')), unit: 'ms' },
    { name: `export kubernetes, ${label} services`, value: timeIt(run('kubernetes')), unit: 'ms' },
  ];
}

/** Interleaved runs of `node -e 0` and `rc probe` on a readiness file; medians and the difference. */
function probeFigures(root: string): BenchResult[] {
  const src = join(root, 'probe-src');
  mkdirSync(join(src, 'svc'), { recursive: true });
  writeFileSync(join(src, 'svc', 'type'), 'longrun\n');
  writeFileSync(join(src, 'svc', 'run'), '#!/bin/sh\nexec sleep 1000\n', { mode: 0o755 });
  writeFileSync(join(src, 'svc', 'notification-fd'), '3\n');
  const db = join(root, 'probe-db');
  if (!compileToDir(db, [src]).ok) throw new Error('compile failed');
  const ready = join(root, 'ready');
  mkdirSync(ready);
  writeFileSync(join(ready, 'svc'), `${JSON.stringify({ pid: process.pid, since: Date.now() })}\n`);
  const env = benchEnv();
  const argvs: [string, string[]][] = [
    ['node -e 0 (floor)', ['-e', '0']],
    ['rc probe (readiness file)', [RC, 'probe', '-c', db, '--ready-dir', ready, 'svc']],
  ];
  const ms = argvs.map((): number[] => []);
  for (let i = 0; i < RUNS; i++) {
    argvs.forEach(([, argv], k) => {
      const t0 = performance.now();
      const r = spawnSync(process.execPath, argv, { env, stdio: 'ignore' });
      if (r.status !== 0) throw new Error(`node ${argv.join(' ')} exited ${r.status}`);
      ms[k]!.push(performance.now() - t0);
    });
  }
  const [floor, probe] = ms.map(median) as [number, number];
  return [
    { name: argvs[0]![0], value: floor, unit: 'ms' },
    { name: argvs[1]![0], value: probe, unit: 'ms' },
    { name: 'rc probe over node -e 0', value: probe - floor, unit: 'ms' },
  ];
}

export function run(): Promise<BenchResult[]> {
  const root = mkdtempSync(join(tmpdir(), 'rc-bench-export-'));
  try {
    return Promise.resolve([...exportFigures(root, 1000), ...exportFigures(root, 10_000), ...probeFigures(root)]);
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
}
