// GraphView: the part of a db to draw (a closure or everything), with bundles nested as clusters.
import type { Db } from './db.js';
import type { AtomicType } from './types.js';

export interface GraphNode {
  index: number;
  name: string;
  type: AtomicType;
  essential: boolean;
}

export interface GraphEdge {
  /** `from` depends on `to`. */
  from: number;
  to: number;
  /** 'pipeline' when `from` is a producer for `to` (the implicit producer → consumer edge). */
  kind: 'dependency' | 'pipeline';
}

export interface GraphCluster {
  name: string;
  pipeline: boolean;
  /** Nodes drawn directly inside this cluster (not inside a nested one). */
  nodes: number[];
  /** Clusters nested inside this one. */
  clusters: GraphCluster[];
  /** Every atomic member. */
  members: number[];
}

export interface GraphView {
  nodes: GraphNode[];
  edges: GraphEdge[];
  /** Top-level clusters. */
  clusters: GraphCluster[];
  /** Nodes outside every cluster. */
  loose: number[];
}

/**
 * The view of `db` restricted to `selection` (atomic indices; everything when undefined) and its
 * dependencies. A bundle is drawn when all its members are in view (or it was named: `named`).
 * A service in several bundles is drawn in the smallest one; bundles nest by inclusion.
 */
export function graphView(db: Db, selection?: Iterable<number>, named: ReadonlySet<string> = new Set()): GraphView {
  const inView = selection === undefined ? new Set(db.index.services.map((s) => s.index)) : db.closure(selection, 'forward');
  const order = [...inView].sort((a, b) => a - b);
  const nodes = order.map((i) => {
    const s = db.service(i);
    return { index: i, name: s.name, type: s.type, essential: s.flags.essential };
  });
  const edges: GraphEdge[] = [];
  for (const i of order) {
    const s = db.service(i);
    for (const d of s.deps) {
      if (inView.has(d)) edges.push({ from: i, to: d, kind: s.type === 'longrun' && s.producerFor === d ? 'pipeline' : 'dependency' });
    }
  }
  const shown = db.index.bundles
    .filter((b) => b.members.length > 0 && (named.has(b.name) || b.members.every((m) => inView.has(m))))
    .map((b) => ({ name: b.name, pipeline: b.pipeline, nodes: [] as number[], clusters: [] as GraphCluster[], members: b.members.filter((m) => inView.has(m)) }))
    .filter((c) => c.members.length > 0)
    .sort((a, b) => a.members.length - b.members.length || (a.name < b.name ? -1 : 1));
  return { nodes, edges, ...nest(shown, order) };
}

/** Place nodes in their smallest cluster and clusters in their smallest strict container. */
function nest(shown: GraphCluster[], order: number[]): { clusters: GraphCluster[]; loose: number[] } {
  const containing = new Map<number, number[]>();
  shown.forEach((c, ci) => {
    for (const m of c.members) {
      const list = containing.get(m) ?? [];
      list.push(ci);
      containing.set(m, list);
    }
  });
  const top: GraphCluster[] = [];
  shown.forEach((c, ci) => {
    const sets = containing.get(c.members[0]!)!;
    const parent = sets.find((pi) => pi > ci && c.members.every((m) => containing.get(m)!.includes(pi)));
    if (parent === undefined) top.push(c);
    else shown[parent]!.clusters.push(c);
  });
  const loose: number[] = [];
  for (const i of order) {
    const home = containing.get(i)?.[0];
    if (home === undefined) loose.push(i);
    else shown[home]!.nodes.push(i);
  }
  return { clusters: top, loose };
}
