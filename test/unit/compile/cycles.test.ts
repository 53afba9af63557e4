// compile/cycles: iterative cycle detection, one loop per cycle component.
import { expect } from 'chai';
import { findCycles } from '../../../lib/compile/cycles.js';

describe('compile/cycles: iterative cycle detection', () => {
  it('finds nothing in a DAG', () => {
    expect(findCycles([[1, 2], [2], []])).to.deep.equal([]);
  });
  it('finds a self-loop', () => {
    expect(findCycles([[0]])).to.deep.equal([[0, 0]]);
  });
  it('returns one whole loop per cyclic component, from its smallest node', () => {
    // 0 -> 1 -> 2 -> 0, and 3 <-> 4, and 5 -> 0 (not in a cycle)
    expect(findCycles([[1], [2], [0], [4], [3], [0]])).to.deep.equal([
      [0, 1, 2, 0],
      [3, 4, 3],
    ]);
  });
  it('handles a 100,000-deep chain closed into a loop without overflowing the stack', () => {
    const n = 100_000;
    const deps = Array.from({ length: n }, (_, i) => [(i + 1) % n]);
    const loops = findCycles(deps);
    expect(loops).to.have.length(1);
    expect(loops[0]).to.have.length(n + 1);
    const chain = Array.from({ length: n }, (_, i) => (i + 1 < n ? [i + 1] : []));
    expect(findCycles(chain)).to.deep.equal([]);
  });
});
