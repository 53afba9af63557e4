// The dashboard's graph layout: every dependency sits in a layer left of its dependents; rows do not overlap.
import { expect } from 'chai';
import type { AtomicService } from '../../../lib/db/types.js';
import { COLUMN, layoutGraph } from '../../../lib/http/graph-layout.js';

const svc = (index: number, name: string, deps: number[]): AtomicService =>
  ({ index, name, type: 'oneshot', deps, rdeps: [], flags: { essential: false }, timeoutUp: 0, timeoutDown: 0, source: '', up: [], down: [] });

describe('http graph layout', () => {
  it('puts each service one layer right of its deepest dependency', () => {
    // d depends on b and c; b on a; c on nothing.
    const g = layoutGraph([svc(0, 'a', []), svc(1, 'b', [0]), svc(2, 'c', []), svc(3, 'd', [1, 2])]);
    const layer = Object.fromEntries(g.nodes.map((n) => [n.name, n.layer]));
    expect(layer).to.deep.equal({ a: 0, b: 1, c: 0, d: 2 });
    expect(g.edges).to.have.deep.members([['a', 'b'], ['b', 'd'], ['c', 'd']]);
    for (const [from, to] of g.edges) expect(g.nodes.find((n) => n.name === from)!.x).to.be.below(g.nodes.find((n) => n.name === to)!.x);
    expect(g.width).to.be.at.least(2 * COLUMN);
  });

  it('gives every node of a layer its own row, and handles a long chain without recursion', () => {
    const chain = Array.from({ length: 5000 }, (_, i) => svc(i, `s${i}`, i === 0 ? [] : [i - 1]));
    const g = layoutGraph(chain);
    expect(g.nodes[4999]!.layer).to.equal(4999);
    const wide = layoutGraph(Array.from({ length: 50 }, (_, i) => svc(i, `w${i}`, [])));
    expect(new Set(wide.nodes.map((n) => n.y)).size).to.equal(50);
  });
});
