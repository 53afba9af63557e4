// The benchmark's tree generator: exact type counts, deterministic, and the trees compile.
import { expect } from 'chai';
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { generateTree } from '../../../benchmarks/generate-tree.js';
import { compileSources } from '../../../lib/compile/index.js';
import { tempDir } from '../../helpers/paths.js';

describe('benchmarks/generate-tree', () => {
  let tmp: ReturnType<typeof tempDir>;
  beforeEach(() => (tmp = tempDir()));
  afterEach(() => tmp.cleanup());

  it('makes exact shares, configurable scripts, an ALL bundle, and compiles cleanly', () => {
    const t = generateTree(join(tmp.path, 'a'), { n: 200, seed: 7, oneshotUp: 'true\n', longrunRun: '#!/bin/sh\nexec sleep 5\n' });
    expect([t.oneshots.length, t.longruns.length, t.bundles.length]).to.deep.equal([60, 120, 21]);
    expect(readFileSync(join(t.dir, t.longruns[0]!, 'run'), 'utf8')).to.equal('#!/bin/sh\nexec sleep 5\n');
    const out = compileSources([t.dir]);
    expect(out.diagnostics).to.deep.equal([]);
    expect(out.index!.bundles.find((b) => b.name === 'ALL')!.members).to.have.length(180);
  });

  it('is deterministic for a seed', () => {
    const a = generateTree(join(tmp.path, 'a'), { n: 100, seed: 3 });
    const b = generateTree(join(tmp.path, 'b'), { n: 100, seed: 3 });
    expect(a.longruns).to.deep.equal(b.longruns);
    expect(readdirSync(a.dir).sort()).to.deep.equal(readdirSync(b.dir).sort());
  });
});
