// source/read-sources: definition paths.
import { expect } from 'chai';
import { join } from 'node:path';
import { entryPrefix } from '../../../lib/source/read-sources.js';

describe('source/read-sources: definition paths', () => {
  it('entryPrefix(src) + name is join(src, name) for every shape of source argument', () => {
    const sources = ['src', 'src/', './src', 'a/./b//', '/', '/abs/dir', '/abs/dir/', '.', './', '', 'a/..', 'a/../', '../up', 'x/y/../z'];
    for (const src of sources) {
      for (const name of ['svc', 'a b', 'x-1.2']) expect(entryPrefix(src) + name, JSON.stringify(src)).to.equal(join(src, name));
    }
  });
});
