// log/makeDirs: creating the logger's directory and its parents.
import { expect } from 'chai';
import { statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { makeDirs } from '../../../lib/log/make-dirs.js';
import { tempDir } from '../../helpers/paths.js';

describe('log/makeDirs', () => {
  let tmp: { path: string; cleanup: () => void };
  beforeEach(() => (tmp = tempDir('rc-mkdirs-')));
  afterEach(() => tmp.cleanup());

  it('creates missing parents with the mode, and accepts an existing directory', () => {
    const dir = join(tmp.path, 'a', 'b', 'c');
    makeDirs(dir, 0o700);
    expect(statSync(dir).isDirectory()).to.equal(true);
    expect(statSync(join(tmp.path, 'a')).mode & 0o777).to.equal(0o700);
    makeDirs(dir);
  });

  it('throws at once where Node\'s recursive mkdir would spin for ever (ENOENT under /proc) and on a file in the way', () => {
    expect(() => makeDirs(`/proc/rc-test-nope-${process.pid}/x`)).to.throw(/ENOENT/);
    writeFileSync(join(tmp.path, 'file'), '');
    expect(() => makeDirs(join(tmp.path, 'file', 'x'))).to.throw(/ENOTDIR/);
  });
});
