// Render a GraphView as Graphviz dot, Mermaid flowchart, or plain JSON.
import { bundleId, viewChildren, viewEdges, viewServices, type BundleNode, type GraphView, type ServiceNode } from './graph-view.js';

export const GRAPH_FORMATS = ['dot', 'mermaid', 'json'] as const;
export type GraphFormat = (typeof GRAPH_FORMATS)[number];

const dotId = (s: string): string => `"${s.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n')}"`;
const mermaidText = (s: string): string => `"${s.replace(/"/g, '#quot;').replace(/\n/g, ' ')}"`;

/** Walk the cluster tree: `open`/`close` around each bundle (nested ones first), `leaf` for each service. */
function walk(
  g: GraphView,
  visit: { open: (b: BundleNode, depth: number) => void; close: (depth: number) => void; leaf: (s: ServiceNode, depth: number) => void },
  parent?: string,
  depth = 1,
): void {
  const { bundles, services } = viewChildren(g, parent);
  for (const b of bundles) {
    visit.open(b, depth);
    walk(g, visit, bundleId(b.name), depth + 1);
    visit.close(depth);
  }
  for (const s of services) visit.leaf(s, depth);
}

export function toDot(g: GraphView): string {
  const lines = ['digraph rc {', '  rankdir=LR;', '  node [fontname="Helvetica"];', '  edge [fontname="Helvetica"];'];
  let clusterNo = 0;
  walk(g, {
    open: (b, depth) => {
      const pad = '  '.repeat(depth);
      lines.push(`${pad}subgraph ${dotId(`cluster_${clusterNo++}`)} {`);
      lines.push(`${pad}  label=${dotId(b.name)}; style=${b.pipeline ? '"rounded,dashed"' : 'rounded'};`);
    },
    close: (depth) => lines.push(`${'  '.repeat(depth)}}`),
    leaf: (n, depth) => {
      const attrs = n.type === 'oneshot' ? 'shape=box' : 'shape=ellipse';
      lines.push(`${'  '.repeat(depth)}${dotId(n.name)} [${attrs}${n.essential ? ', penwidth=2' : ''}];`);
    },
  });
  for (const e of viewEdges(g)) {
    const style = e.kind === 'pipeline' ? ' [style=dashed, label="pipe"]' : e.condition !== 'ready' ? ` [style=dotted, label=${dotId(e.condition)}]` : '';
    lines.push(`  ${dotId(e.from.name)} -> ${dotId(e.to.name)}${style};`);
  }
  lines.push('}');
  return `${lines.join('\n')}\n`;
}

export function toMermaid(g: GraphView): string {
  const lines = ['flowchart LR'];
  let clusterNo = 0;
  walk(g, {
    open: (b, depth) => lines.push(`${'  '.repeat(depth)}subgraph b${clusterNo++}[${mermaidText(b.name)}]`),
    close: (depth) => lines.push(`${'  '.repeat(depth)}end`),
    leaf: (n, depth) => {
      const label = mermaidText(n.name);
      lines.push(`${'  '.repeat(depth)}n${n.index}${n.type === 'oneshot' ? `[${label}]` : `([${label}])`}`);
    },
  });
  for (const e of viewEdges(g)) {
    const arrow = e.kind === 'pipeline' ? '-. pipe .->' : e.condition !== 'ready' ? `-. ${e.condition} .->` : '-->';
    lines.push(`  n${e.from.index} ${arrow} n${e.to.index}`);
  }
  const essential = viewServices(g).filter((n) => n.essential).map((n) => `n${n.index}`);
  if (essential.length > 0) lines.push(`  classDef essential stroke-width:3px`, `  class ${essential.join(',')} essential`);
  return `${lines.join('\n')}\n`;
}

interface JsonCluster {
  name: string;
  pipeline: boolean;
  members: string[];
  clusters: JsonCluster[];
}

export function toGraphJson(g: GraphView): string {
  const names = new Map(viewServices(g).map((n) => [n.index, n.name]));
  const cluster = (b: BundleNode): JsonCluster => ({
    name: b.name,
    pipeline: b.pipeline,
    members: b.members.map((m) => names.get(m)!),
    clusters: viewChildren(g, bundleId(b.name)).bundles.map(cluster),
  });
  const out = {
    nodes: viewServices(g).map((n) => ({ name: n.name, type: n.type, essential: n.essential })),
    // condition only on non-default edges: graphs without conditions keep their shape.
    edges: viewEdges(g).map((e) => ({ from: e.from.name, to: e.to.name, kind: e.kind, ...(e.condition !== 'ready' ? { condition: e.condition } : {}) })),
    bundles: viewChildren(g).bundles.map(cluster),
  };
  return `${JSON.stringify(out, null, 2)}\n`;
}

export function formatGraph(g: GraphView, format: GraphFormat): string {
  switch (format) {
    case 'dot':
      return toDot(g);
    case 'mermaid':
      return toMermaid(g);
    case 'json':
      return toGraphJson(g);
  }
}
