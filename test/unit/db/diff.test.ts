// diffDbs: removed / changed (with fields) / unchanged / added, renames, bundle membership, fields the diff does not know by name.
import { expect } from 'chai';
import { Db, diffDbs, type Conversion, type DbIndex, type FileDigests } from '../../../lib/db/index.js';
import { sampleIndex } from './sample-index.js';

const clone = (i: DbIndex): DbIndex => JSON.parse(JSON.stringify(i)) as DbIndex;
const files = (db: DbIndex, perService: Record<string, Record<string, string>> = {}): FileDigests[] =>
  db.services.map((s) => new Map(Object.entries(perService[s.name] ?? { run: 'h1' })));

function diff(a: DbIndex, b: DbIndex, o: { aFiles?: FileDigests[]; bFiles?: FileDigests[]; conversions?: Map<string, Conversion> } = {}) {
  return diffDbs({ old: new Db(a, '/old'), next: new Db(b, '/new'), oldFiles: o.aFiles ?? files(a), nextFiles: o.bFiles ?? files(b), ...(o.conversions ? { conversions: o.conversions } : {}) });
}

describe('db/diffDbs', () => {
  it('the same db: everything unchanged', () => {
    const d = diff(sampleIndex(), sampleIndex());
    expect(d.unchanged.map((u) => u.name)).to.deep.equal(['init', 'db', 'app']);
    expect(d.changed).to.deep.equal([]);
    expect(d.removed).to.deep.equal([]);
    expect(d.added).to.deep.equal([]);
  });

  it('names the fields that differ, and the files whose content differs', () => {
    const b = clone(sampleIndex());
    b.services[1]!.timeoutUp = 500;
    (b.services[0] as { up: string[] }).up = ['echo', 'hi'];
    const d = diff(sampleIndex(), b, { bFiles: files(b, { app: { run: 'h2', 'data/x': 'h3' } }) });
    expect(d.changed.map((c) => [c.name, c.fields])).to.deep.equal([
      ['init', ['up']],
      ['db', ['timeoutUp']],
      ['app', ['files: data/x', 'files: run']],
    ]);
  });

  it('bundle membership, the essential flag and the source path change nothing', () => {
    const b = clone(sampleIndex());
    b.bundles[0]!.members = [2];
    b.bundles[0]!.contents = ['app'];
    b.services[2]!.source = '/elsewhere/app';
    b.services[2]!.flags = { essential: true };
    expect(diff(sampleIndex(), b).changed).to.deep.equal([]);
  });

  it('compares dependencies by name, not by index: a service inserted before them changes nothing', () => {
    const a = sampleIndex();
    const b = clone(a);
    // New service at index 0: every index moves by one.
    b.services = [{ ...clone(a).services[0]!, name: 'first', index: 0, deps: [], rdeps: [] }, ...b.services.map((s) => ({ ...s, index: s.index + 1, deps: s.deps.map((x) => x + 1), rdeps: s.rdeps.map((x) => x + 1) }))];
    const d = diff(a, b);
    expect(d.added).to.deep.equal([{ name: 'first', index: 0 }]);
    expect(d.changed).to.deep.equal([]);
    expect(d.unchanged.map((u) => `${u.name}:${u.oldIndex}->${u.index}`)).to.deep.equal(['init:0->1', 'db:1->2', 'app:2->3']);
  });

  it('a removed dependency makes its dependents changed (deps)', () => {
    const a = sampleIndex();
    const b = clone(a);
    b.services = [{ ...b.services[1]!, index: 0, deps: [], rdeps: [1] }, { ...b.services[2]!, index: 1, deps: [0], rdeps: [] }];
    b.bundles[0]!.members = [0, 1];
    const d = diff(a, b);
    expect(d.removed).to.deep.equal([{ name: 'init', oldIndex: 0 }]);
    expect(d.changed.map((c) => [c.name, c.fields])).to.deep.equal([['db', ['deps']]]);
  });

  it('a field it does not know by name (a health check added by another feature) counts', () => {
    const b = clone(sampleIndex());
    (b.services[2] as unknown as Record<string, unknown>)['health'] = { kind: 'cmd', argv: ['true'] };
    expect(diff(sampleIndex(), b).changed.map((c) => [c.name, c.fields])).to.deep.equal([['app', ['health']]]);
  });

  it('per-edge conditions are compared by the dependency name', () => {
    const a = clone(sampleIndex());
    a.services[2]!.conditions = { '1': 'started' };
    const b = clone(a);
    b.services = [{ ...clone(a).services[0]!, name: 'first', index: 0, deps: [], rdeps: [] }, ...b.services.map((s) => ({ ...s, index: s.index + 1, deps: s.deps.map((x) => x + 1), rdeps: s.rdeps.map((x) => x + 1) }))];
    b.services[3]!.conditions = { '2': 'started' };
    expect(diff(a, b).changed).to.deep.equal([]);
    b.services[3]!.conditions = { '2': 'healthy' };
    expect(diff(a, b).changed.map((c) => [c.name, c.fields])).to.deep.equal([['app', ['conditions']]]);
  });

  it('honours renames (dependents that name the renamed service are unchanged) and forced restarts', () => {
    const a = sampleIndex();
    const b = clone(a);
    b.services[1]!.name = 'database';
    b.bundles[0]!.contents = ['database', 'app'];
    const renamed = diff(a, b, { conversions: new Map([['db', { to: 'database', restart: false }]]) });
    expect(renamed.removed).to.deep.equal([]);
    expect(renamed.added).to.deep.equal([]);
    expect(renamed.changed).to.deep.equal([]);
    expect(renamed.unchanged.find((u) => u.from === 'db')).to.deep.equal({ from: 'db', name: 'database', oldIndex: 1, index: 1 });
    const plain = diff(a, b);
    expect(plain.removed.map((r) => r.name)).to.deep.equal(['db']);
    expect(plain.added.map((r) => r.name)).to.deep.equal(['database']);
    const forced = diff(a, a, { conversions: new Map([['app', { to: 'app', restart: true }]]) });
    expect(forced.changed.map((c) => [c.name, c.fields])).to.deep.equal([['app', ['restart']]]);
  });
});
