// Compiled dbs in memory for export tests: services by name, edges by name, bundles.
import { Db, FORMAT_VERSION, type AtomicService, type DbIndex, type EdgeCondition, type HealthCheck, type ReadinessProbe } from '../../../lib/db/index.js';

export interface ServiceSpec {
  name: string;
  type: 'oneshot' | 'longrun';
  deps?: string[];
  /** A oneshot's down script. */
  down?: boolean;
  /** A polling probe, or 'fd' for notification-fd 3. */
  ready?: ReadinessProbe | 'fd';
  timeoutUp?: number;
  timeoutKill?: number;
  downSignal?: NodeJS.Signals;
  /** This longrun is the log consumer of these producers. */
  consumerFor?: string[];
  /** A health check (health-tcp/-http/-cmd). */
  health?: HealthCheck;
  /** Per-edge conditions, by dependency name (default `ready`). */
  conditions?: Record<string, EdgeCondition>;
}

export const tcp = (port: number, host = '127.0.0.1'): ReadinessProbe => ({ kind: 'tcp', host, port, intervalMs: 1000, timeoutMs: 0 });
export const http = (url: string): ReadinessProbe => ({ kind: 'http', url, intervalMs: 2000, timeoutMs: 0 });
export const cmd = (...argv: string[]): ReadinessProbe => ({ kind: 'cmd', argv, intervalMs: 500, timeoutMs: 0 });
export const log = (pattern: string): ReadinessProbe => ({ kind: 'log', pattern, intervalMs: 0, timeoutMs: 0 });
export const healthCheck = (target: { kind: 'tcp'; host: string; port: number } | { kind: 'http'; url: string } | { kind: 'cmd'; argv: string[] }, action: 'restart' | 'none' = 'restart'): HealthCheck => ({
  ...target,
  intervalMs: 5000,
  timeoutMs: 2000,
  retries: 4,
  startPeriodMs: 20_000,
  action,
});

const flags = { essential: false };

export function makeDb(specs: ServiceSpec[], bundles: { name: string; members: string[]; pipeline?: boolean }[] = []): Db {
  const at = new Map(specs.map((s, i) => [s.name, i]));
  const idx = (n: string): number => {
    const i = at.get(n);
    if (i === undefined) throw new Error(`no service ${n} in the spec`);
    return i;
  };
  const services: AtomicService[] = specs.map((s, index) => {
    const conditions = s.conditions ? { conditions: Object.fromEntries(Object.entries(s.conditions).map(([d, c]) => [String(idx(d)), c])) } : {};
    const base = { index, name: s.name, flags, deps: (s.deps ?? []).map(idx).sort((a, b) => a - b), rdeps: [] as number[], timeoutUp: s.timeoutUp ?? 0, timeoutDown: 0, source: `/src/${s.name}`, ...conditions };
    if (s.type === 'oneshot') return { ...base, type: 'oneshot', up: ['true'], down: s.down ? ['true'] : [] };
    return {
      ...base,
      type: 'longrun', hasFinish: false, notificationFd: s.ready === 'fd' ? 3 : null, lockFd: null, timeoutKill: s.timeoutKill ?? 0,
      timeoutFinish: 5000, maxDeathTally: 100, downSignal: s.downSignal ?? 'SIGTERM', restartDelay: null,
      readiness: s.ready && s.ready !== 'fd' ? s.ready : null, producerFor: null, consumerFor: (s.consumerFor ?? []).map(idx), pipelineName: null,
      ...(s.health ? { health: s.health } : {}),
    };
  });
  for (const s of services) {
    for (const d of s.deps) services[d]!.rdeps.push(s.index);
    if (s.type === 'longrun') for (const p of s.consumerFor) (services[p] as { producerFor: number | null }).producerFor = s.index;
  }
  const index: DbIndex = {
    format: 'rc-compiled-db',
    version: FORMAT_VERSION,
    sources: ['/src'],
    services,
    bundles: bundles.map((b) => ({ name: b.name, members: b.members.map(idx).sort((x, y) => x - y), contents: b.members, flags, source: `/src/${b.name}`, pipeline: b.pipeline ?? false })),
  };
  return new Db(index, '/compiled');
}
