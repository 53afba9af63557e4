// The dashboard's dependency graph (browser JavaScript as a string): an SVG drawn from /api/v1/graph, nodes coloured by state.

export const GRAPH_JS = String.raw`
const SVG = 'http://www.w3.org/2000/svg';
const nodes = new Map();
const NODE_W = 160;
const NODE_H = 24;

function svg(tag, attrs) {
  const e = document.createElementNS(SVG, tag);
  for (const [k, v] of Object.entries(attrs)) e.setAttribute(k, String(v));
  return e;
}

async function drawGraph() {
  const res = await fetch('/api/v1/graph');
  if (!res.ok) return;
  const g = await res.json();
  const root = svg('svg', { width: g.width, height: g.height, viewBox: '0 0 ' + g.width + ' ' + g.height, role: 'img', 'aria-label': 'dependency graph' });
  const at = new Map(g.nodes.map((n) => [n.name, n]));
  for (const [from, to] of g.edges) {
    const a = at.get(from);
    const b = at.get(to);
    const x1 = a.x + NODE_W, y1 = a.y + NODE_H / 2, x2 = b.x, y2 = b.y + NODE_H / 2;
    // An edge that skips layers arcs below the nodes in between instead of running through them.
    const skip = b.layer - a.layer > 1 ? NODE_H * 0.9 : 0;
    const c1 = x1 + (x2 - x1) / 3, c2 = x2 - (x2 - x1) / 3;
    root.append(svg('path', { class: 'edge', d: 'M' + x1 + ',' + y1 + ' C' + c1 + ',' + (y1 + skip * 2) + ' ' + c2 + ',' + (y2 + skip * 2) + ' ' + x2 + ',' + y2 }));
  }
  for (const n of g.nodes) {
    const group = svg('g', { class: 'node', 'data-service': n.name, transform: 'translate(' + n.x + ',' + n.y + ')' });
    group.append(svg('rect', { width: NODE_W, height: NODE_H }));
    const label = svg('text', { x: 8, y: 16 });
    label.textContent = (n.type === 'oneshot' ? '◦ ' : '● ') + (n.name.length > 20 ? n.name.slice(0, 19) + '…' : n.name);
    const title = svg('title', {});
    title.textContent = n.name + ' (' + n.type + ')';
    group.append(label, title);
    group.addEventListener('click', () => showLogs(n.name));
    root.append(group);
    nodes.set(n.name, group);
  }
  $('#graph').replaceChildren(root);
  for (const entry of rows.values()) graphState(entry.row.name, entry.row.up, stateClass(entry.row));
}

function graphState(name, up, cls) {
  const g = nodes.get(name);
  if (!g) return;
  g.setAttribute('class', 'node' + (cls === 's-failed' ? ' failed' : cls === 's-wait' ? ' moving' : up ? ' up' : ''));
}
`;
