// Read-only requests, answered at any time (also during a transition): status rows, lists, log tails.
import type { Db } from '../db/db.js';
import type { ListFilter, StatusRow } from './types.js';
import type { RingLine, RingStore } from '../log/ring.js';
import type { LiveStateStore } from '../live/live-state.js';
import type { ServiceSet } from './service-set.js';

export interface QueryHost {
  db: Db;
  state: LiveStateStore;
  services: ServiceSet;
  wallNow(): number;
}

export function statusRow(host: QueryHost, i: number): StatusRow {
  const s = host.db.service(i);
  const rec = host.state.get(i);
  const view = host.services.view(i, rec.up);
  return {
    name: s.name,
    type: s.type,
    up: rec.up,
    wanted: rec.wanted,
    state: view.state,
    pid: view.pid,
    sinceMs: view.since === null ? null : Math.max(0, host.wallNow() - view.since),
    ready: view.ready,
    restarts: view.restarts,
    lastExit: view.lastExit,
    essential: s.flags.essential,
    health: view.health ?? null,
    healthCheckedAt: view.healthCheckedAt ?? null,
  };
}

/** Rows for the given indices, or every service (database order) when none are given. */
export function statusRows(host: QueryHost, indices: readonly number[] | null): StatusRow[] {
  const list = indices ?? host.db.index.services.map((s) => s.index);
  return list.map((i) => statusRow(host, i));
}

/** s6-rc list semantics: the selection in database order, filtered by the recorded state. */
export function listNames(host: QueryHost, indices: readonly number[] | null, filter: ListFilter): string[] {
  const chosen = indices === null ? null : new Set(indices);
  const out: string[] = [];
  for (const s of host.db.index.services) {
    if (chosen && !chosen.has(s.index)) continue;
    const up = host.state.get(s.index).up;
    if (filter === 'up' && !up) continue;
    if (filter === 'down' && up) continue;
    out.push(s.name);
  }
  return out;
}

/** The last `n` lines of each named service, merged in time order (stable). */
export function tailLogs(ring: RingStore, services: readonly string[], n: number): RingLine[] {
  const all = services.flatMap((name) => ring.tail(name, n));
  return all.map((line, k) => ({ line, k })).sort((a, b) => a.line.time - b.line.time || a.k - b.k).map((x) => x.line);
}
