// rc update's planning cost: diff + plan of a 10,000-service db (in memory) against a plain change plan of the same graph (floor),
// and hashing the service directories of a compiled 10,000-service db (async) with the longest event-loop stall it causes.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { compileToDir } from '../lib/compile/index.js';
import { Db, diffDbs, readDb, serviceDigests, FORMAT_VERSION, type AtomicService, type DbIndex, type FileDigests } from '../lib/db/index.js';
import { plan, planUpdate } from '../lib/plan/index.js';
import { syntheticGraph } from './engine-plan.js';
import { generateTree } from './generate-tree.js';
import { median } from './stats.js';
import type { BenchResult } from './types.js';

const RUNS = 9;

/** A full DbIndex over the synthetic graph: oneshots and longruns with every field the compiler writes. */
function syntheticIndex(n: number, rename: (i: number) => string = (i) => `svc-${i}`): DbIndex {
  const g = syntheticGraph(n);
  const flags = { essential: false };
  const services: AtomicService[] = g.services.map((s) => {
    const base = { index: s.index, name: rename(s.index), flags, deps: [...s.deps], rdeps: [...s.rdeps], timeoutUp: 0, timeoutDown: 0, source: `/src/${s.name}` };
    return s.type === 'oneshot'
      ? { ...base, type: 'oneshot', up: ['true'], down: [] }
      : { ...base, type: 'longrun', hasFinish: false, notificationFd: null, lockFd: null, timeoutKill: 0, timeoutFinish: 5000, maxDeathTally: 100, downSignal: 'SIGTERM', restartDelay: null, readiness: null, producerFor: null, consumerFor: [], pipelineName: null };
  });
  return { format: 'rc-compiled-db', version: FORMAT_VERSION, sources: ['/src'], services, bundles: [{ name: 'default', members: services.map((s) => s.index), contents: services.map((s) => s.name), flags, source: '/src/default', pipeline: false }] };
}

const digestsOf = (index: DbIndex, changed: ReadonlySet<number>): FileDigests[] =>
  index.services.map((s) => new Map([['run', changed.has(s.index) ? 'v2' : 'v1'], ['env/MODE', 'prod']]));

function planningTimes(n: number): { update: number; floor: number; restarted: number } {
  const oldIndex = syntheticIndex(n);
  // The new db: 1% of the services changed (a timeout, or a file), the last 0.5% renamed away (removed + added).
  const renamedFrom = n - Math.floor(n / 200);
  const nextIndex = syntheticIndex(n, (i) => (i >= renamedFrom ? `new-${i}` : `svc-${i}`));
  const changedFiles = new Set<number>();
  for (let i = 0; i < n; i += 200) {
    nextIndex.services[i]!.timeoutUp = 1000;
    changedFiles.add(i + 100);
  }
  const old = new Db(oldIndex, '/old');
  const next = new Db(nextIndex, '/new');
  const oldFiles = digestsOf(oldIndex, new Set());
  const nextFiles = digestsOf(nextIndex, changedFiles);
  const all = new Set(oldIndex.services.map((s) => s.index));
  const times: number[] = [];
  const floors: number[] = [];
  let restarted = 0;
  for (let r = 0; r < RUNS; r++) {
    const t0 = performance.now();
    const diff = diffDbs({ old, next, oldFiles, nextFiles });
    const p = planUpdate({ old: oldIndex, next: nextIndex, diff, current: { up: all }, wanted: all, targets: [{ name: 'default', members: next.resolveAtomic('default')! }] });
    times.push(performance.now() - t0);
    if (!p.ok) throw new Error(p.error.message);
    restarted = p.value.stop.steps.length;
    const t1 = performance.now();
    plan(oldIndex, { up: new Set() }, { kind: 'change', targets: [...all] });
    floors.push(performance.now() - t1);
  }
  return { update: median(times), floor: median(floors), restarted };
}

/** Hash every service directory of a compiled db while a 1 ms ticker measures the longest gap between its ticks. */
async function hashing(n: number): Promise<{ ms: number; stall: number }> {
  const root = mkdtempSync(join(tmpdir(), 'rc-bench-update-'));
  try {
    const src = join(root, 'src');
    const out = join(root, 'compiled');
    generateTree(src, { n, seed: 1 });
    const compiled = compileToDir(out, [src]);
    if (!compiled.ok) throw new Error('the generated tree does not compile');
    const read = readDb(out);
    if (!read.ok) throw new Error(read.error.message);
    await serviceDigests(read.value); // warm the page cache
    const times: number[] = [];
    const stalls: number[] = [];
    for (let r = 0; r < 5; r++) {
      let last = performance.now();
      let stall = 0;
      const tick = setInterval(() => {
        const now = performance.now();
        stall = Math.max(stall, now - last);
        last = now;
      }, 1);
      const t0 = performance.now();
      await serviceDigests(read.value);
      times.push(performance.now() - t0);
      clearInterval(tick);
      stalls.push(stall);
    }
    return { ms: median(times), stall: median(stalls) };
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
}

export async function run(): Promise<BenchResult[]> {
  planningTimes(1000); // warm up
  const p = planningTimes(10_000);
  const h = await hashing(10_000);
  return [
    { name: `update: diff + plan of 10,000 services (${p.restarted} to restart; median of ${RUNS})`, value: p.update, unit: 'ms', target: '< 300 ms' },
    { name: '  floor: plan of a change to all 10,000 (same graph)', value: p.floor, unit: 'ms' },
    { name: 'update: hash the servicedirs of a compiled 10,000-service db (median of 5)', value: h.ms, unit: 'ms' },
    { name: '  longest event-loop stall while hashing (median of 5)', value: h.stall, unit: 'ms', target: '< 50 ms' },
  ];
}
