// GraphView: the part of a db to draw (a closure or everything) as a graphlib compound graph,
// services as nodes, bundles as cluster nodes nested where a bundle's contents names another.
import { Graph } from '@dagrejs/graphlib';
import type { Db } from './db.js';
import { edgeCondition } from './queries.js';
import type { AtomicType, EdgeCondition } from './types.js';

export interface ServiceNode {
  kind: 'service';
  index: number;
  name: string;
  type: AtomicType;
  essential: boolean;
}

export interface BundleNode {
  kind: 'bundle';
  name: string;
  pipeline: boolean;
  /** Every atomic member in view. */
  members: number[];
}

export interface DependencyEdge {
  /** 'pipeline' when the tail is a producer for the head (the implicit producer → consumer edge). */
  kind: 'dependency' | 'pipeline';
  /** What the tail waits for on this edge (`ready` unless its dependencies.d entry says otherwise). */
  condition: EdgeCondition;
}

/** Node ids: `s:NAME` for a service, `b:NAME` for a bundle (names never clash across kinds). */
export type GraphView = Graph<unknown, ServiceNode | BundleNode, DependencyEdge>;

export const serviceId = (name: string): string => `s:${name}`;
export const bundleId = (name: string): string => `b:${name}`;

/**
 * The view of `db` restricted to `selection` (atomic indices; everything when undefined) and its
 * dependencies. Edges go from a service to what it depends on. A bundle is drawn when all its
 * members are in view (or it was named: `named`); a service in several bundles is drawn in the
 * smallest one, and a bundle inside a bundle only when that bundle's `contents` names it (the
 * smallest such one). Two bundles whose member sets happen to include one another are not nested.
 */
export function graphView(db: Db, selection?: Iterable<number>, named: ReadonlySet<string> = new Set()): GraphView {
  const inView = selection === undefined ? new Set(db.index.services.map((s) => s.index)) : db.closure(selection, 'forward');
  const order = [...inView].sort((a, b) => a - b);
  const g: GraphView = new Graph({ directed: true, compound: true });
  for (const i of order) {
    const s = db.service(i);
    g.setNode(serviceId(s.name), { kind: 'service', index: i, name: s.name, type: s.type, essential: s.flags.essential });
  }
  for (const i of order) {
    const s = db.service(i);
    for (const d of s.deps) {
      if (!inView.has(d)) continue;
      const kind = s.type === 'longrun' && s.producerFor === d ? 'pipeline' : 'dependency';
      g.setEdge(serviceId(s.name), serviceId(db.service(d).name), { kind, condition: edgeCondition(s, d) });
    }
  }
  const shown = db.index.bundles
    .filter((b) => b.members.length > 0 && (named.has(b.name) || b.members.every((m) => inView.has(m))))
    .map((b): BundleNode => ({ kind: 'bundle', name: b.name, pipeline: b.pipeline, members: b.members.filter((m) => inView.has(m)) }))
    .filter((c) => c.members.length > 0)
    .sort((a, b) => a.members.length - b.members.length || (a.name < b.name ? -1 : 1));
  for (const b of shown) g.setNode(bundleId(b.name), b);
  nest(g, db, shown);
  return g;
}

/** Parent every service to its smallest bundle, and every bundle to the smallest bundle whose contents names it. */
function nest(g: GraphView, db: Db, shown: BundleNode[]): void {
  const contentsOf = new Map(db.index.bundles.map((b) => [b.name, b.contents]));
  // shown is sorted smallest first, so the first bundle holding a member is its smallest home.
  const containing = new Map<number, number[]>();
  shown.forEach((b, bi) => {
    for (const m of b.members) {
      const list = containing.get(m) ?? [];
      list.push(bi);
      containing.set(m, list);
    }
  });
  for (const b of shown) {
    const parent = shown.find((p) => p !== b && contentsOf.get(p.name)?.includes(b.name) === true);
    if (parent !== undefined) g.setParent(bundleId(b.name), bundleId(parent.name));
  }
  for (const [index, homes] of containing) g.setParent(serviceId(db.service(index).name), bundleId(shown[homes[0]!]!.name));
}

/** The services of the view, in db index order. */
export function viewServices(g: GraphView): ServiceNode[] {
  return g
    .nodes()
    .map((v) => g.node(v))
    .filter((n): n is ServiceNode => n.kind === 'service')
    .sort((a, b) => a.index - b.index);
}

/** The children of a cluster (or of the top level): bundles first, by size then name, then services by index. */
export function viewChildren(g: GraphView, parent?: string): { bundles: BundleNode[]; services: ServiceNode[] } {
  const kids = g.children(parent).map((v) => g.node(v));
  const bundles = kids.filter((n): n is BundleNode => n.kind === 'bundle');
  bundles.sort((a, b) => a.members.length - b.members.length || (a.name < b.name ? -1 : 1));
  const services = kids.filter((n): n is ServiceNode => n.kind === 'service').sort((a, b) => a.index - b.index);
  return { bundles, services };
}

/** Dependency edges in a stable order (tail index, then head index). */
export function viewEdges(g: GraphView): { from: ServiceNode; to: ServiceNode; kind: DependencyEdge['kind']; condition: EdgeCondition }[] {
  return g
    .edges()
    .map((e) => ({ from: g.node(e.v) as ServiceNode, to: g.node(e.w) as ServiceNode, kind: g.edge(e).kind, condition: g.edge(e).condition }))
    .sort((a, b) => a.from.index - b.from.index || a.to.index - b.to.index);
}
