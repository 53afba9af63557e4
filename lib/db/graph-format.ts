// Render a GraphView as Graphviz dot, Mermaid flowchart, or plain JSON.
import type { GraphCluster, GraphView } from './graph-view.js';

export const GRAPH_FORMATS = ['dot', 'mermaid', 'json'] as const;
export type GraphFormat = (typeof GRAPH_FORMATS)[number];

const dotId = (s: string): string => `"${s.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n')}"`;
const mermaidText = (s: string): string => `"${s.replace(/"/g, '#quot;').replace(/\n/g, ' ')}"`;

export function toDot(view: GraphView): string {
  const names = new Map(view.nodes.map((n) => [n.index, n]));
  const lines = ['digraph rc {', '  rankdir=LR;', '  node [fontname="Helvetica"];', '  edge [fontname="Helvetica"];'];
  let clusterNo = 0;
  const node = (i: number, pad: string): string => {
    const n = names.get(i)!;
    const attrs = n.type === 'oneshot' ? 'shape=box' : 'shape=ellipse';
    return `${pad}${dotId(n.name)} [${attrs}${n.essential ? ', penwidth=2' : ''}];`;
  };
  const cluster = (c: GraphCluster, depth: number): void => {
    const pad = '  '.repeat(depth);
    lines.push(`${pad}subgraph ${dotId(`cluster_${clusterNo++}`)} {`);
    lines.push(`${pad}  label=${dotId(c.name)}; style=${c.pipeline ? '"rounded,dashed"' : 'rounded'};`);
    for (const sub of c.clusters) cluster(sub, depth + 1);
    for (const i of c.nodes) lines.push(node(i, `${pad}  `));
    lines.push(`${pad}}`);
  };
  for (const c of view.clusters) cluster(c, 1);
  for (const i of view.loose) lines.push(node(i, '  '));
  for (const e of view.edges) {
    const style = e.kind === 'pipeline' ? ' [style=dashed, label="pipe"]' : '';
    lines.push(`  ${dotId(names.get(e.from)!.name)} -> ${dotId(names.get(e.to)!.name)}${style};`);
  }
  lines.push('}');
  return `${lines.join('\n')}\n`;
}

export function toMermaid(view: GraphView): string {
  const names = new Map(view.nodes.map((n) => [n.index, n]));
  const lines = ['flowchart LR'];
  let clusterNo = 0;
  const node = (i: number, pad: string): string => {
    const n = names.get(i)!;
    const label = mermaidText(n.name);
    return `${pad}n${i}${n.type === 'oneshot' ? `[${label}]` : `([${label}])`}`;
  };
  const cluster = (c: GraphCluster, depth: number): void => {
    const pad = '  '.repeat(depth);
    lines.push(`${pad}subgraph b${clusterNo++}[${mermaidText(c.name)}]`);
    for (const sub of c.clusters) cluster(sub, depth + 1);
    for (const i of c.nodes) lines.push(node(i, `${pad}  `));
    lines.push(`${pad}end`);
  };
  for (const c of view.clusters) cluster(c, 1);
  for (const i of view.loose) lines.push(node(i, '  '));
  for (const e of view.edges) lines.push(`  n${e.from} ${e.kind === 'pipeline' ? '-. pipe .->' : '-->'} n${e.to}`);
  const essential = view.nodes.filter((n) => n.essential).map((n) => `n${n.index}`);
  if (essential.length > 0) lines.push(`  classDef essential stroke-width:3px`, `  class ${essential.join(',')} essential`);
  return `${lines.join('\n')}\n`;
}

interface JsonCluster {
  name: string;
  pipeline: boolean;
  members: string[];
  clusters: JsonCluster[];
}

export function toGraphJson(view: GraphView): string {
  const names = new Map(view.nodes.map((n) => [n.index, n.name]));
  const cluster = (c: GraphCluster): JsonCluster => ({
    name: c.name,
    pipeline: c.pipeline,
    members: c.members.map((m) => names.get(m)!),
    clusters: c.clusters.map(cluster),
  });
  const out = {
    nodes: view.nodes.map((n) => ({ name: n.name, type: n.type, essential: n.essential })),
    edges: view.edges.map((e) => ({ from: names.get(e.from)!, to: names.get(e.to)!, kind: e.kind })),
    bundles: view.clusters.map(cluster),
  };
  return `${JSON.stringify(out, null, 2)}\n`;
}

export function formatGraph(view: GraphView, format: GraphFormat): string {
  switch (format) {
    case 'dot':
      return toDot(view);
    case 'mermaid':
      return toMermaid(view);
    case 'json':
      return toGraphJson(view);
  }
}
