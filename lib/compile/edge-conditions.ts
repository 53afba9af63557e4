// Per-edge conditions: check each non-default edge against its target, and keep them for the db record.
import type { EdgeCondition } from '../db/types.js';
import type { DiagnosticSink } from '../source/sink.js';
import type { SourceAtomic } from '../source/types.js';
import type { DepGraph } from './resolve-deps.js';

/**
 * Check the conditions of `graph`'s edges: `healthy` needs a longrun with a health check (an
 * error otherwise); `started` on a oneshot means nothing more than `ready` (a oneshot has no
 * process to wait for): a warning, and the edge is compiled as `ready`. Returns, per service,
 * its non-default conditions keyed by dependency index (undefined when there are none).
 */
export function checkEdgeConditions(atomics: readonly SourceAtomic[], graph: DepGraph, sink: DiagnosticSink): (Record<string, EdgeCondition> | undefined)[] {
  return graph.deps.map((list, i) => {
    let out: Record<string, EdgeCondition> | undefined;
    list.forEach((j, k) => {
      const cond = graph.conds[i]![k]!;
      if (cond === 'ready') return;
      const from = atomics[i]!;
      const to = atomics[j]!;
      const ref = graph.why[i]![k]!;
      const via = ref.name !== to.name ? ` (a member of ${ref.name})` : '';
      if (cond === 'healthy' && (to.type !== 'longrun' || to.health === null)) {
        const what = to.type === 'longrun' ? 'a longrun without a health check' : 'a oneshot';
        sink.error(ref.file, `${from.name} waits for ${to.name}${via} to be healthy, but ${to.name} is ${what}`, {
          line: ref.line,
          hint: to.type === 'longrun' ? `give ${to.name} a health-cmd, health-http or health-tcp, or make this edge ready (an empty file)` : 'write ready (or nothing): a oneshot is done when its up exits 0',
        });
        return;
      }
      if (cond === 'started' && to.type === 'oneshot') {
        sink.warn(ref.file, `${from.name} waits for oneshot ${to.name}${via} to be started: a oneshot is waited for until it is done (ready)`, {
          line: ref.line,
          hint: 'started applies to longruns; write ready, or leave the file empty',
        });
        return;
      }
      (out ??= {})[String(j)] = cond;
    });
    return out;
  });
}
