// db: Db queries, and writeDb / readDb round trips.
import { expect } from 'chai';
import { existsSync, readdirSync, readFileSync, writeFileSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { Db, readDb, writeDb, FORMAT_VERSION } from '../../../lib/db/index.js';
import { sampleIndex } from './sample-index.js';
import { ok } from '../../../lib/core/result.js';
import { tempDir } from '../../helpers/paths.js';

describe('db: Db queries', () => {
  const db = new Db(sampleIndex(), '/compiled');
  it('resolves atomic names and bundles', () => {
    expect(db.size).to.equal(3);
    expect(db.resolveAtomic('app')).to.deep.equal([2]);
    expect(db.resolveAtomic('stack')).to.deep.equal([1, 2]);
    expect(db.resolveAtomic('nope')).to.equal(undefined);
    expect(db.bundle('stack')?.members).to.deep.equal([1, 2]);
    expect(db.names()).to.deep.equal(['init', 'db', 'app', 'stack']);
    expect(db.closest('ap')).to.equal('app');
    expect(db.servicedir(1)).to.equal('/compiled/servicedirs/db');
  });
  it('computes closures in both directions', () => {
    expect([...db.closure([2], 'forward')].sort()).to.deep.equal([0, 1, 2]);
    expect([...db.closure([0], 'reverse')].sort()).to.deep.equal([0, 1, 2]);
    expect([...db.closure([1], 'reverse')].sort()).to.deep.equal([1, 2]);
  });
});

describe('db: writeDb / readDb', () => {
  let tmp: ReturnType<typeof tempDir>;
  beforeEach(() => (tmp = tempDir()));
  afterEach(() => tmp.cleanup());

  const populate = (dir: string) => {
    mkdirSync(join(dir, 'servicedirs', 'db'));
    writeFileSync(join(dir, 'servicedirs', 'db', 'run'), '#!/bin/sh\n');
    return ok(undefined);
  };

  it('writes atomically and reads back', () => {
    const target = join(tmp.path, 'compiled');
    expect(writeDb(target, sampleIndex(), populate).ok).to.equal(true);
    expect(readdirSync(tmp.path)).to.deep.equal(['compiled']);
    const r = readDb(target);
    expect(r.ok && r.value.service(2).name).to.equal('app');
  });
  it('refuses an existing target unless forced, then replaces it', () => {
    const target = join(tmp.path, 'compiled');
    writeDb(target, sampleIndex(), populate);
    const again = writeDb(target, sampleIndex(), populate);
    expect(again.ok).to.equal(false);
    expect(!again.ok && again.error.message).to.match(/File exists/);
    const idx = sampleIndex();
    idx.sources = ['/other'];
    expect(writeDb(target, idx, populate, { force: true }).ok).to.equal(true);
    expect(readdirSync(tmp.path)).to.deep.equal(['compiled']);
    const r = readDb(target);
    expect(r.ok && r.value.index.sources).to.deep.equal(['/other']);
  });
  it('leaves nothing behind when populating fails', () => {
    const target = join(tmp.path, 'compiled');
    const r = writeDb(target, sampleIndex(), () => ({ ok: false, error: { code: 'system', message: 'boom', path: 'x' } }));
    expect(r.ok).to.equal(false);
    expect(readdirSync(tmp.path)).to.deep.equal([]);
    expect(existsSync(target)).to.equal(false);
  });
  it('reports invalid, truncated and wrong-version dbs as invalid-db, a missing dir as system', () => {
    const target = join(tmp.path, 'compiled');
    writeDb(target, sampleIndex(), populate);
    const file = join(target, 'db.json');
    const text = readFileSync(file, 'utf8');
    const cases: [string, RegExp][] = [
      [text.slice(0, text.length / 2), /corrupt or truncated/],
      ['', /empty/],
      [text.replace(`"version":${FORMAT_VERSION}`, '"version":99'), /unsupported format version 99/],
      [text.replace('"rdeps":[2]', '"rdeps":[]'), /rdeps/],
      [text.replace('"deps":[1]', '"deps":[7]'), /not an index below 3/],
      ['[1,2,3]', /expected an object|format/],
    ];
    for (const [content, re] of cases) {
      writeFileSync(file, content);
      const r = readDb(target);
      expect(r.ok, content.slice(0, 40)).to.equal(false);
      if (!r.ok) {
        expect(r.error.code).to.equal('invalid-db');
        expect(r.error.message).to.match(re).and.to.contain(file);
      }
    }
    const missing = readDb(join(tmp.path, 'nope'));
    expect(!missing.ok && missing.error.code).to.equal('system');
  });
});
