// Planner and executor overhead on synthetic graphs (no processes): plan 10,000 / 100,000 services,
// execute 1,000 / 100,000 steps through an instant driver.
import type { ServiceDriver } from '../lib/engine/driver.js';
import { executePlan } from '../lib/engine/execute.js';
import { plan } from '../lib/plan/plan.js';
import type { PlanGraph, PlanService } from '../lib/plan/types.js';
import type { BenchResult } from './types.js';

/** A layered DAG like the compiler benchmark's: a third oneshots, each service depending on up to 3 earlier ones. */
export function syntheticGraph(n: number): PlanGraph {
  let seed = 42;
  const rand = () => ((seed = (seed * 1103515245 + 12345) & 0x7fffffff) / 0x7fffffff);
  const services: PlanService[] = [];
  for (let i = 0; i < n; i++) {
    const deps = new Set<number>();
    const k = i === 0 ? 0 : Math.floor(rand() * 4);
    for (let j = 0; j < k; j++) deps.add(Math.max(0, i - 1 - Math.floor(rand() * Math.min(i, 50))));
    services.push({ index: i, name: `svc-${i}`, type: i % 3 === 0 ? 'oneshot' : 'longrun', flags: { essential: false }, deps: [...deps].sort((a, b) => a - b), rdeps: [] });
  }
  for (const s of services) for (const d of s.deps) (services[d]!.rdeps as number[]).push(s.index);
  return { services };
}

const all = (n: number) => Array.from({ length: n }, (_, i) => i);

function timePlan(n: number): number {
  const g = syntheticGraph(n);
  const t0 = performance.now();
  const r = plan(g, { up: new Set() }, { kind: 'change', targets: all(n) });
  if (!r.ok) throw new Error(r.error.message);
  return performance.now() - t0;
}

async function timeExecute(n: number): Promise<number> {
  const g = syntheticGraph(n);
  const r = plan(g, { up: new Set() }, { kind: 'up', targets: all(n) });
  if (!r.ok) throw new Error(r.error.message);
  const instant = () => Promise.resolve({ ok: true } as const);
  const driver: ServiceDriver = { start: instant, stop: instant, restart: instant };
  const t0 = performance.now();
  const summary = await executePlan(r.value, driver, { timeouts: () => 0, onEvent: () => {}, onStateChange: () => {} });
  if (!summary.ok) throw new Error('benchmark execution failed');
  return performance.now() - t0;
}

export async function run(): Promise<BenchResult[]> {
  timePlan(1000); // warm up
  await timeExecute(1000);
  return [
    { name: 'plan: change to all of 10,000 services', value: timePlan(10_000), unit: 'ms', target: '< 100 ms' },
    { name: 'plan: change to all of 100,000 services', value: timePlan(100_000), unit: 'ms', target: '< 1,000 ms' },
    { name: 'execute: 1,000 steps, instant driver (engine overhead)', value: await timeExecute(1000), unit: 'ms', target: '< 20 ms' },
    { name: 'execute: 100,000 steps, instant driver (engine overhead)', value: await timeExecute(100_000), unit: 'ms', target: '< 2,000 ms' },
  ];
}
