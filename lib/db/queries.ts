// Read-only questions about a compiled db (what `rc db` answers): lists, dependencies, pipelines.
import type { Db } from './db.js';
import type { AtomicService, EdgeCondition } from './types.js';

export const LIST_KINDS = ['all', 'services', 'oneshots', 'longruns', 'bundles'] as const;
export type ListKind = (typeof LIST_KINDS)[number];

/** Names in database order: atomic services by index, then bundles. */
export function listNames(db: Db, kind: ListKind): string[] {
  const { services, bundles } = db.index;
  switch (kind) {
    case 'all':
      return db.names();
    case 'services':
      return services.map((s) => s.name);
    case 'oneshots':
      return services.filter((s) => s.type === 'oneshot').map((s) => s.name);
    case 'longruns':
      return services.filter((s) => s.type === 'longrun').map((s) => s.name);
    case 'bundles':
      return bundles.map((b) => b.name);
  }
}

export interface DepsQuery {
  /** Services that depend on the given ones, instead of their dependencies. */
  reverse?: boolean;
  /** Transitively, not only direct ones. */
  all?: boolean;
}

/**
 * Dependencies (or dependents) of the given atomic services, in index order. A given service is
 * listed only when another given service depends on it (directly, or transitively with `all`).
 */
export function dependencies(db: Db, indices: readonly number[], query: DepsQuery = {}): number[] {
  const direct = new Set<number>();
  for (const i of indices) {
    const s = db.service(i);
    for (const d of query.reverse ? s.rdeps : s.deps) direct.add(d);
  }
  const result = query.all ? db.closure(direct, query.reverse ? 'reverse' : 'forward') : direct;
  return [...result].sort((a, b) => a - b);
}

export interface PipelineInfo {
  /** The pipeline-name bundle, when the last consumer declares one. */
  name: string | null;
  /** Every service of the funnel, in index order. */
  members: number[];
  /** producer → consumer links. */
  links: [number, number][];
  /** The last consumer (end of the funnel). */
  last: number;
}

/** The pipeline (funnel) a longrun belongs to, or undefined when it is in none. */
export function pipelineOf(db: Db, i: number): PipelineInfo | undefined {
  const start = db.service(i);
  if (start.type !== 'longrun' || (start.producerFor === null && start.consumerFor.length === 0)) return undefined;
  let last = i;
  const walked = new Set<number>([i]);
  for (;;) {
    const s = db.service(last);
    if (s.type !== 'longrun' || s.producerFor === null || walked.has(s.producerFor)) break;
    last = s.producerFor;
    walked.add(last);
  }
  const members = new Set<number>([last]);
  const links: [number, number][] = [];
  const todo = [last];
  while (todo.length > 0) {
    const c = db.service(todo.pop()!);
    if (c.type !== 'longrun') continue;
    for (const p of c.consumerFor) {
      links.push([p, c.index]);
      if (!members.has(p)) {
        members.add(p);
        todo.push(p);
      }
    }
  }
  const lastSvc = db.service(last);
  const name = lastSvc.type === 'longrun' ? lastSvc.pipelineName : null;
  return { name, members: [...members].sort((a, b) => a - b), links: links.sort((a, b) => a[0] - b[0] || a[1] - b[1]), last };
}

/** What `service` waits for on its edge to dependency `dep` (`ready` unless the edge says otherwise). */
export function edgeCondition(service: AtomicService, dep: number): EdgeCondition {
  return service.conditions?.[dep] ?? 'ready';
}

const STRICTNESS: Record<EdgeCondition, number> = { started: 0, ready: 1, healthy: 2 };

/**
 * The condition of each direct edge between the given services and the listed ones (their
 * dependencies, or with `reverse` their dependents), the strictest when several given services
 * have an edge to one; services reached only transitively are absent.
 */
export function directConditions(db: Db, indices: readonly number[], reverse = false): Map<number, EdgeCondition> {
  const out = new Map<number, EdgeCondition>();
  const put = (i: number, c: EdgeCondition): void => {
    const was = out.get(i);
    if (was === undefined || STRICTNESS[c] > STRICTNESS[was]) out.set(i, c);
  };
  for (const i of indices) {
    const s = db.service(i);
    if (reverse) for (const r of s.rdeps) put(r, edgeCondition(db.service(r), i));
    else for (const d of s.deps) put(d, edgeCondition(s, d));
  }
  return out;
}
