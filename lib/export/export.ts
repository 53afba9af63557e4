// exportDb: a compiled db as a compose file or a Kubernetes Deployment (YAML), with what cannot map as diagnostics.
import { stringify } from 'yaml';
import type { Diagnostic } from '../core/diagnostics.js';
import { err, ok, type Result } from '../core/result.js';
import type { Db } from '../db/db.js';
import { composeDocument, unhealthyRestarts } from './compose.js';
import { exportGraph, independentOneshots } from './graph.js';
import { kubernetesDocument, loopbackProbes, mixedGates } from './kubernetes.js';
import { composeName, kubernetesName, uniqueNames } from './names.js';
import { defaultTargets, selectServices, type SelectError } from './select.js';
import type { ExportGraph, ExportOptions, ExportResult } from './types.js';
import { flattenedOneshots, logConsumers, oneshotDowns, runtimeBundles, shutdownOrder } from './warnings.js';

/** A name both engines accept for the project / Deployment (a DNS-1123 label). */
export const EXPORT_NAME = /^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$/;

function renamed(graph: ExportGraph): Diagnostic[] {
  return graph.nodes
    .filter((n) => n.name !== n.service.name)
    .map((n) => ({ severity: 'info', file: n.service.source, message: `${n.service.name} is named ${n.name} in the export (the engine's naming rules)` }));
}

/**
 * YAML as people write it by hand: no folding, no anchors. YAML 1.1 quoting, so a string such as
 * `no` (compose's restart policy) stays a string for YAML 1.1 readers too.
 */
export const toYaml = (doc: unknown): string => stringify(doc, { lineWidth: 0, version: '1.1', aliasDuplicateObjects: false });

export function exportDb(db: Db, o: ExportOptions): Result<ExportResult, SelectError> {
  const selection = selectServices(db, o.targets);
  if (!selection.ok) return err(selection.error);
  const sel = selection.value;
  const targets = defaultTargets(db, o.targets);
  const graph = exportGraph(db, sel, (names) => uniqueNames(names, o.format === 'compose' ? composeName : kubernetesName));
  const diagnostics: Diagnostic[] = [...renamed(graph), ...oneshotDowns(graph, o.format), ...logConsumers(db, sel, o.format)];
  if (o.format === 'compose') {
    const { doc, profiles } = composeDocument(db, graph, o, diagnostics);
    diagnostics.push(...unhealthyRestarts(graph), ...runtimeBundles(db, sel, new Set([...profiles, ...targets]), 'compose'), ...shutdownOrder(db, graph, 'compose'));
    return ok({ yaml: toYaml(doc), diagnostics });
  }
  const doc = kubernetesDocument(db, graph, o);
  diagnostics.push(
    ...loopbackProbes(graph),
    ...mixedGates(graph),
    ...flattenedOneshots(db, independentOneshots(graph)),
    ...runtimeBundles(db, sel, new Set(targets), 'kubernetes'),
    ...shutdownOrder(db, graph, 'kubernetes'),
  );
  return ok({ yaml: toYaml(doc), diagnostics });
}

/** --strict: every warning becomes an error. */
export const strictly = (list: readonly Diagnostic[]): Diagnostic[] => list.map((d) => (d.severity === 'warning' ? { ...d, severity: 'error' } : d));
