// hashTree / changedFiles: file contents, the executable bit and link targets count; mtimes do not.
import { expect } from 'chai';
import { chmodSync, mkdirSync, symlinkSync, utimesSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { changedFiles, hashTree } from '../../../lib/db/index.js';
import { tempDir } from '../../helpers/paths.js';

describe('db/content-hash', () => {
  let t: { path: string; cleanup: () => void };
  beforeEach(() => (t = tempDir('rc-hash-')));
  afterEach(() => t.cleanup());

  const tree = (name: string): string => {
    const d = join(t.path, name);
    mkdirSync(join(d, 'data', 'sub'), { recursive: true });
    mkdirSync(join(d, 'env'));
    writeFileSync(join(d, 'run'), '#!/bin/sh\nexec app\n', { mode: 0o755 });
    writeFileSync(join(d, 'data', 'sub', 'conf'), 'port=1\n');
    writeFileSync(join(d, 'env', 'MODE'), 'prod\n');
    return d;
  };

  it('equal trees hash equal whatever their mtimes; each differing file is named', async () => {
    const a = tree('a');
    const b = tree('b');
    utimesSync(join(b, 'run'), 1, 1);
    expect(changedFiles(await hashTree(a), await hashTree(b))).to.deep.equal([]);
    writeFileSync(join(b, 'data', 'sub', 'conf'), 'port=2\n');
    writeFileSync(join(b, 'env', 'EXTRA'), 'x\n');
    expect(changedFiles(await hashTree(a), await hashTree(b))).to.deep.equal(['data/sub/conf', 'env/EXTRA']);
  });

  it('the executable bit and a link target count', async () => {
    const a = tree('a');
    const b = tree('b');
    chmodSync(join(b, 'run'), 0o644);
    symlinkSync('one', join(a, 'link'));
    symlinkSync('two', join(b, 'link'));
    expect(changedFiles(await hashTree(a), await hashTree(b))).to.deep.equal(['link', 'run']);
  });

  it('a missing directory has no files', async () => {
    expect((await hashTree(join(t.path, 'nope'))).size).to.equal(0);
  });
});
