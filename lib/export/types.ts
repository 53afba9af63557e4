// The vocabulary of `rc export`: options, the per-service facts the writers need, the result.
import type { Diagnostic } from '../core/diagnostics.js';
import type { AtomicService } from '../db/types.js';

export type ExportFormat = 'compose' | 'kubernetes';

export interface ExportOptions {
  format: ExportFormat;
  /** Every container runs this image (it holds rc and the compiled db). */
  image: string;
  /** Names to export with their dependencies; [] = the bundle `default`, else everything. */
  targets: readonly string[];
  /** Compose project / Deployment name. */
  name: string;
  /** Where the compiled db is inside the image (`rc run -c`). */
  imageCompiled: string;
}

/** How readiness is known: a network probe, a command, the s6 protocol or a log line, or not at all. */
export type ReadyKind = 'tcp' | 'http' | 'cmd' | 'notification' | 'log' | 'none';

/** One exported service: its engine name and its edges inside the exported set. */
export interface ExportNode {
  index: number;
  service: AtomicService;
  /** Its name for the engine (compose service / container name). */
  name: string;
  /** Direct dependencies inside the exported set (through dropped log consumers), indices. */
  deps: number[];
  /** Direct dependents inside the exported set. */
  rdeps: number[];
  ready: ReadyKind;
  /** A longrun something depends on (a native sidecar in Kubernetes). */
  sidecar: boolean;
}

export interface ExportGraph {
  /** In a topological order: every node after its dependencies (ties by db index). */
  nodes: ExportNode[];
  byIndex: Map<number, ExportNode>;
  /** Target bundles beyond `default`: name → the services only their closures reach. */
  optional: Map<string, Set<number>>;
}

export interface ExportResult {
  /** The YAML document(s) for stdout. */
  yaml: string;
  /** What cannot map, one located warning per item (errors under --strict). */
  diagnostics: Diagnostic[];
}
