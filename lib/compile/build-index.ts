// Assemble the DbIndex from resolved definitions: integer indices, deps both ways, flags, longrun settings.
import { resolve } from 'node:path';
import { FORMAT_VERSION, type AtomicService, type Bundle, type DbIndex, type EdgeCondition, type LongrunService } from '../db/types.js';
import type { SourceAtomic, SourceBundle, SourceLongrun } from '../source/types.js';
import type { Pipelines } from './pipelines.js';

/** s6-supervise defaults for files a longrun does not have. */
const DEFAULT_TIMEOUT_FINISH = 5000;
const DEFAULT_MAX_DEATH_TALLY = 100;

export interface IndexInput {
  sources: readonly string[];
  atomics: readonly SourceAtomic[];
  indexOf: ReadonlyMap<string, number>;
  deps: readonly number[][];
  bundles: readonly SourceBundle[];
  bundleMembers: ReadonlyMap<string, number[]>;
  pipelines: Pipelines;
  /** Per atomic index: non-default edge conditions keyed by dependency index (see checkEdgeConditions). */
  conditions?: readonly (Record<string, EdgeCondition> | undefined)[];
}

const ascending = (a: number, b: number): number => a - b;

/** Where a service sits in the graph: its flags, dependency indices and definition directory. */
export interface ServicePlace {
  essential: boolean;
  deps: number[];
  rdeps: number[];
  source: string;
  conditions?: Record<string, EdgeCondition>;
}

/** A longrun's pipeline neighbours, as indices (none: null, [], null). */
export interface PipelineLinks {
  producerFor: number | null;
  consumerFor: number[];
  pipelineName: string | null;
}

/** One service record, fields spelled out (object spread is measurably slow at 100,000 services). */
function record(s: SourceAtomic, index: number, input: IndexInput, c: ServicePlace): AtomicService {
  const flags = { essential: c.essential };
  const { name, timeoutUp, timeoutDown } = s;
  if (s.type === 'oneshot') {
    const o: AtomicService = { type: 'oneshot', index, name, flags, deps: c.deps, rdeps: c.rdeps, timeoutUp, timeoutDown, source: c.source, up: s.up, down: s.down };
    if (c.conditions !== undefined) o.conditions = c.conditions;
    return o;
  }
  const { indexOf, pipelines } = input;
  const consumer = pipelines.producerFor.get(s.name);
  return longrunService(s, index, c, {
    producerFor: consumer === undefined ? null : indexOf.get(consumer)!,
    consumerFor: (pipelines.consumerFor.get(s.name) ?? []).map((p) => indexOf.get(p)!).sort(ascending),
    pipelineName: pipelines.pipelineName.get(s.name) ?? null,
  });
}

/** The db record of a source longrun (also used for the Db of a scan directory); s6-supervise defaults fill absent files. */
export function longrunService(s: SourceLongrun, index: number, c: ServicePlace, links: PipelineLinks): LongrunService {
  const out: LongrunService = {
    type: 'longrun',
    index,
    name: s.name,
    flags: { essential: c.essential },
    deps: c.deps,
    rdeps: c.rdeps,
    timeoutUp: s.timeoutUp,
    timeoutDown: s.timeoutDown,
    source: c.source,
    hasFinish: s.finish !== null,
    notificationFd: s.notificationFd,
    lockFd: s.lockFd,
    timeoutKill: s.timeoutKill ?? 0,
    timeoutFinish: s.timeoutFinish ?? DEFAULT_TIMEOUT_FINISH,
    maxDeathTally: s.maxDeathTally ?? DEFAULT_MAX_DEATH_TALLY,
    downSignal: s.downSignal,
    restartDelay: s.restartDelay,
    readiness: s.readiness,
    producerFor: links.producerFor,
    consumerFor: links.consumerFor,
    pipelineName: links.pipelineName,
  };
  // Optional fields only when set: a db without these extensions keeps its shape.
  if (s.health !== null) out.health = s.health;
  if (c.conditions !== undefined) out.conditions = c.conditions;
  return out;
}

function essentialFlags(input: IndexInput): Uint8Array {
  const essential = new Uint8Array(input.atomics.length);
  input.atomics.forEach((s, i) => (essential[i] = s.essential ? 1 : 0));
  for (const b of input.bundles) {
    if (!b.essential) continue;
    for (const m of input.bundleMembers.get(b.name) ?? []) essential[m] = 1;
  }
  return essential;
}

function reverseDeps(deps: readonly number[][]): number[][] {
  const rdeps: number[][] = deps.map(() => []);
  deps.forEach((list, i) => {
    for (const d of list) rdeps[d]!.push(i);
  });
  return rdeps;
}

function buildBundles(input: IndexInput): Bundle[] {
  const out: Bundle[] = input.bundles.map((b) => ({
    name: b.name,
    members: input.bundleMembers.get(b.name) ?? [],
    contents: b.contents.map((r) => r.name),
    flags: { essential: b.essential },
    source: resolve(b.dir),
    pipeline: false,
  }));
  for (const p of input.pipelines.bundles) {
    const consumer = input.atomics[input.indexOf.get(p.consumer)!]!;
    out.push({
      name: p.name,
      members: p.members.map((m) => input.indexOf.get(m)!).sort(ascending),
      contents: [...p.members].sort(),
      flags: { essential: false },
      source: resolve(consumer.dir),
      pipeline: true,
    });
  }
  return out;
}

/** Absolute definition directories, resolving each source once (path.resolve per service is slow at 100,000). */
function absoluteDirs(input: IndexInput): string[] {
  const roots = new Map<string, string>();
  return input.atomics.map((s) => {
    let root = roots.get(s.sourceDir);
    if (root === undefined) {
      root = resolve(s.sourceDir);
      roots.set(s.sourceDir, root);
    }
    return root === '/' ? `/${s.name}` : `${root}/${s.name}`;
  });
}

export function buildIndex(input: IndexInput): DbIndex {
  const essential = essentialFlags(input);
  const dirs = absoluteDirs(input);
  const deps = input.deps.map((d) => [...d].sort(ascending));
  const rdeps = reverseDeps(deps);
  const services = input.atomics.map((s, i) =>
    record(s, i, input, { essential: essential[i] === 1, deps: deps[i]!, rdeps: rdeps[i]!, source: dirs[i]!, conditions: input.conditions?.[i] }),
  );
  return { format: 'rc-compiled-db', version: FORMAT_VERSION, sources: input.sources.map((s) => resolve(s)), services, bundles: buildBundles(input) };
}
