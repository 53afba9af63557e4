// compileSources: read and check source directories into a DbIndex, reporting every problem at once.
import { sortDiagnostics, type Diagnostic } from '../core/diagnostics.js';
import type { DbIndex } from '../db/types.js';
import { readSources } from '../source/read-sources.js';
import { DiagnosticSink } from '../source/sink.js';
import type { SourceAtomic, SourceBundle, SourceService } from '../source/types.js';
import { flattenBundles, type NameTable } from './bundles.js';
import { buildIndex } from './build-index.js';
import { findCycles } from './cycles.js';
import { checkEdgeConditions } from './edge-conditions.js';
import { resolvePipelines, type Pipelines } from './pipelines.js';
import { edgeReason, resolveDeps, type DepGraph } from './resolve-deps.js';

export interface CompileOptions {
  /** Extra diagnostics to report with the others (e.g. "target exists"). */
  sink?: DiagnosticSink;
  /** Report warnings as errors (ignored when `sink` is given: the sink decides). */
  strict?: boolean;
}

export interface CompileOutput {
  /** Present when there is no error. */
  index?: DbIndex;
  /** Sorted: errors, warnings and info lines, each located. */
  diagnostics: Diagnostic[];
  /** The definitions behind index.services, by index (what compileToDir copies). */
  definitions?: SourceAtomic[];
}

const isAtomic = (s: SourceService): s is SourceAtomic => s.type === 'oneshot' || s.type === 'longrun';

/** A pipeline-name bundle as if it were written in the source: its contents are the funnel. */
function pipelineBundles(pipelines: Pipelines, byName: ReadonlyMap<string, SourceService>): SourceBundle[] {
  return pipelines.bundles.map((p) => {
    const consumer = byName.get(p.consumer)!;
    return {
      type: 'bundle',
      name: p.name,
      dir: consumer.dir,
      sourceDir: consumer.sourceDir,
      essential: false,
      entries: [],
      contents: p.members.map((name) => ({ name, file: p.file })),
    };
  });
}

function reportCycles(atomics: readonly SourceAtomic[], graph: DepGraph, sink: DiagnosticSink): void {
  for (const loop of findCycles(graph.deps)) {
    const from = atomics[loop[0]!]!;
    const to = atomics[loop[1]!]!;
    const ref = edgeReason(graph, loop[0]!, loop[1]!);
    const via = ref.name !== to.name ? ` (through ${ref.name})` : '';
    sink.error(ref.file, `cyclic service dependency reached from ${from.name} and involving ${to.name}${via}`, {
      line: ref.line,
      hint: `the loop is ${loop.map((i) => atomics[i]!.name).join(' -> ')}`,
    });
  }
}

/** Read, resolve and check `sources` (in argument order). Pure apart from reading the files. */
export function compileSources(sources: readonly string[], options: CompileOptions = {}): CompileOutput {
  const sink = options.sink ?? new DiagnosticSink({ strict: options.strict });
  const tree = readSources(sources, sink);
  const atomics = tree.services.filter(isAtomic);
  const indexOf = new Map<string, number>();
  atomics.forEach((s, i) => indexOf.set(s.name, i));
  const names: NameTable = { byName: tree.byName, indexOf };
  const pipelines = resolvePipelines(tree.services, names, sink);
  const extraBundles = pipelineBundles(pipelines, tree.byName);
  // Copy the name table only when pipelines add names (a copy of 100,000 entries costs ~15 ms).
  const allNames = extraBundles.length === 0 ? tree.byName : new Map(tree.byName);
  for (const b of extraBundles) allNames.set(b.name, b);
  const fullNames: NameTable = { byName: allNames, indexOf };
  const sourceBundles = tree.services.filter((s): s is SourceBundle => s.type === 'bundle');
  const bundleMembers = flattenBundles([...sourceBundles, ...extraBundles], fullNames, sink);
  const graph = resolveDeps(atomics, fullNames, bundleMembers, pipelines.producerFor, sink);
  reportCycles(atomics, graph, sink);
  const conditions = checkEdgeConditions(atomics, graph, sink);
  const diagnostics = sortDiagnostics(sink.diagnostics);
  if (sink.hasErrors) return { diagnostics };
  const index = buildIndex({ sources, atomics, indexOf, deps: graph.deps, bundles: sourceBundles, bundleMembers, pipelines, conditions });
  return { index, diagnostics, definitions: atomics };
}
