// What an export cannot carry, as located diagnostics: one warning per item, file = the service's source.
import { join } from 'node:path';
import type { Diagnostic } from '../core/diagnostics.js';
import { warning } from '../core/diagnostics.js';
import type { Db } from '../db/db.js';
import { DB_INDEX_FILE } from '../db/types.js';
import { isLogConsumer } from './graph.js';
import type { Selection } from './select.js';
import type { ExportFormat, ExportGraph } from './types.js';

const ENGINE: Record<ExportFormat, string> = { compose: 'docker compose', kubernetes: 'Kubernetes' };
/** A one-line warning names at most this many services. */
const MAX_LISTED = 12;
const list = (names: readonly string[]): string =>
  names.length > MAX_LISTED ? `${names.slice(0, MAX_LISTED).join(', ')} and ${names.length - MAX_LISTED} more` : names.join(', ');

/** Where a problem of the whole export is reported: the compiled db's index. */
export const dbFile = (db: Db): string => join(db.dir, DB_INDEX_FILE);

/** A oneshot's `down` never runs: the engine has no stop-time step for a container that completed. */
export function oneshotDowns(graph: ExportGraph, format: ExportFormat): Diagnostic[] {
  return graph.nodes
    .filter((n) => n.service.type === 'oneshot' && n.service.down.length > 0)
    .map((n) =>
      warning(n.service.source, `oneshot ${n.service.name}: its down script is not exported (${ENGINE[format]} runs nothing when a completed container is stopped)`, {
        hint: 'run it by hand when you take the stack down, or make it idempotent in up',
      }),
    );
}

/** Log consumers are dropped; their producers' output goes to the engine's logging. */
export function logConsumers(db: Db, selection: Selection, format: ExportFormat): Diagnostic[] {
  const logs = format === 'compose' ? 'docker compose logs' : 'kubectl logs';
  return [...selection.indices]
    .sort((a, b) => a - b)
    .map((i) => db.service(i))
    .filter(isLogConsumer)
    .map((s) => {
      const producers = s.type === 'longrun' ? s.consumerFor.map((p) => db.service(p).name) : [];
      return warning(s.source, `log consumer ${s.name} is dropped: the output of ${list(producers)} is left to the engine's logging (${logs})`, {
        hint: "configure the engine's logging driver for rotation or shipping",
      });
    });
}

/** Bundles only `rc change` switches at run time: nothing in the engine can. */
export function runtimeBundles(db: Db, selection: Selection, mapped: ReadonlySet<string>, format: ExportFormat): Diagnostic[] {
  const names = db.index.bundles
    .filter((b) => !b.pipeline && !mapped.has(b.name) && b.members.some((m) => selection.indices.has(m)))
    .map((b) => b.name);
  if (names.length === 0) return [];
  const what = format === 'compose' ? 'every exported service runs (a profile holds only a target bundle)' : 'the Pod runs every exported service';
  return [warning(dbFile(db), `runtime bundle switching (rc change BUNDLE) cannot be exported: ${what}; bundles ${list(names)} are gone`)];
}

/** Shutdown order beyond what the engine gives. */
export function shutdownOrder(db: Db, graph: ExportGraph, format: ExportFormat): Diagnostic[] {
  const needed = graph.nodes.filter((n) => n.service.type === 'longrun' && n.rdeps.length > 0).map((n) => n.name);
  if (needed.length === 0) return [];
  const message =
    format === 'compose'
      ? `shutdown order across containers: docker compose stops dependents first only on stop/down; when ${list(needed)} exits or restarts on its own, its dependents keep running (rc stops them first)`
      : `shutdown order across containers: the Pod stops its containers, then its sidecars (${list(needed)}) in reverse order, but a sidecar's restart does not stop what depends on it (rc stops them first)`;
  return [warning(dbFile(db), message)];
}

/** A Pod's init containers run one at a time. */
export function flattenedOneshots(db: Db, independent: readonly string[]): Diagnostic[] {
  if (independent.length === 0) return [];
  return [
    warning(dbFile(db), `oneshots ${list(independent)} do not depend on each other but run one after the other: a Pod runs its init containers in one sequence (rc runs them in parallel)`),
  ];
}
