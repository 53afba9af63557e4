// Pipelines (funnels): check producer-for / consumer-for agree, and build pipeline-name bundles.
import { join } from 'node:path';
import { hasReservedPrefix } from '../core/names.js';
import type { DiagnosticSink } from '../source/sink.js';
import type { NameRef, SourceLongrun, SourceService } from '../source/types.js';
import { undefinedName, type NameTable } from './bundles.js';

export interface PipelineBundle {
  name: string;
  /** The last consumer whose pipeline-name created it. */
  consumer: string;
  /** Atomic names in the funnel (the last consumer and everything upstream). */
  members: string[];
  file: string;
}

export interface Pipelines {
  /** producer name → consumer name, for links both sides declare. */
  producerFor: Map<string, string>;
  /** consumer name → producer names (valid links only, in declaration order). */
  consumerFor: Map<string, string[]>;
  bundles: PipelineBundle[];
  /** last consumer name → its pipeline-name, when a bundle was created. */
  pipelineName: Map<string, string>;
}

const typeOf = (s: SourceService): string => (s.type === 'broken' ? 'unknown' : s.type);

/** Look up the other end of a link; report undefined names and non-longruns. */
function peer(self: SourceLongrun, ref: NameRef, role: string, names: NameTable, sink: DiagnosticSink): SourceLongrun | undefined {
  const other = names.byName.get(ref.name);
  const what = `longrun service ${self.name} declares being ${role}`;
  if (other === undefined) {
    undefinedName(ref, `during pipeline resolution for service ${self.name}`, names, sink);
    return undefined;
  }
  if (other.type === 'broken') return undefined;
  if (other.type !== 'longrun') {
    sink.error(ref.file, `${what} a service named ${ref.name} of type ${typeOf(other)}`, { line: ref.line, hint: 'both ends of a pipeline must be longruns' });
    return undefined;
  }
  return other;
}

function checkLinks(longruns: SourceLongrun[], names: NameTable, sink: DiagnosticSink): Pick<Pipelines, 'producerFor' | 'consumerFor'> {
  const producerFor = new Map<string, string>();
  const consumerFor = new Map<string, string[]>();
  for (const p of longruns) {
    if (p.producerFor === null) continue;
    const c = peer(p, p.producerFor, 'a producer for', names, sink);
    if (c === undefined) continue;
    if (!c.consumerFor.some((r) => r.name === p.name)) {
      sink.error(p.producerFor.file, `longrun service ${p.name} declares being a producer for a service named ${c.name} that does not declare it back`, {
        line: p.producerFor.line,
        hint: `add ${p.name} to ${join(c.dir, 'consumer-for')}`,
      });
      continue;
    }
    producerFor.set(p.name, c.name);
  }
  for (const c of longruns) {
    for (const ref of c.consumerFor) {
      const p = peer(c, ref, 'the consumer for', names, sink);
      if (p === undefined) continue;
      if (p.producerFor?.name !== c.name) {
        const other = p.producerFor ? ` (it produces for ${p.producerFor.name})` : '';
        sink.error(ref.file, `longrun service ${c.name} declares being the consumer for a service named ${p.name} that does not declare it back${other}`, {
          line: ref.line,
          hint: p.producerFor ? 'a producer feeds exactly one consumer' : `write ${c.name} in ${join(p.dir, 'producer-for')}`,
        });
        continue;
      }
      const list = consumerFor.get(c.name) ?? [];
      list.push(p.name);
      consumerFor.set(c.name, list);
    }
  }
  return { producerFor, consumerFor };
}

/** Every service upstream of `last` (inclusive), or undefined after reporting a loop. */
function funnel(last: SourceLongrun, name: string, consumerFor: Map<string, string[]>, sink: DiagnosticSink): string[] | undefined {
  const seen = new Set<string>([last.name]);
  const todo = [last.name];
  while (todo.length > 0) {
    for (const p of consumerFor.get(todo.pop()!) ?? []) {
      if (seen.has(p)) {
        sink.error(last.pipelineName!.file, `pipeline ${name} is too long: possible loop involving ${p}`, { line: last.pipelineName!.line });
        return undefined;
      }
      seen.add(p);
      todo.push(p);
    }
  }
  return [...seen];
}

export function resolvePipelines(services: readonly SourceService[], names: NameTable, sink: DiagnosticSink): Pipelines {
  const longruns = services.filter((s): s is SourceLongrun => s.type === 'longrun');
  const links = checkLinks(longruns, names, sink);
  const bundles: PipelineBundle[] = [];
  const pipelineName = new Map<string, string>();
  const taken = new Map<string, string>();
  for (const c of longruns) {
    const ref = c.pipelineName;
    if (ref === null) continue;
    const isLast = c.consumerFor.length > 0 && c.producerFor === null;
    if (!isLast) {
      sink.warn(ref.file, `pipeline-name on ${c.name} is ignored: ${c.name} is not the last consumer of a pipeline`, { line: ref.line, hint: 'put pipeline-name on the service that has consumer-for and no producer-for' });
      continue;
    }
    if (hasReservedPrefix(ref.name)) {
      sink.error(ref.file, `in ${c.sourceDir}: identifier ${ref.name} starts with reserved prefix`, { line: ref.line });
      continue;
    }
    const clash = names.byName.get(ref.name);
    const other = taken.get(ref.name);
    if (clash !== undefined || other !== undefined) {
      const type = clash ? typeOf(clash) : 'bundle';
      sink.error(ref.file, `duplicate service definition: ${ref.name} defined in ${ref.file} is already defined and has type ${type}`, {
        line: ref.line,
        related: [{ file: clash ? clash.dir : other!, message: 'already defined here' }],
      });
      continue;
    }
    const members = funnel(c, ref.name, links.consumerFor, sink);
    if (members === undefined) continue;
    taken.set(ref.name, ref.file);
    pipelineName.set(c.name, ref.name);
    bundles.push({ name: ref.name, consumer: c.name, members, file: ref.file });
  }
  return { ...links, bundles, pipelineName };
}
