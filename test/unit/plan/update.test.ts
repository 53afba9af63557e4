// planUpdate: the stop phase under the old db, the start phase under the new one, with a reason for each service.
import { expect } from 'chai';
import type { DbDiff } from '../../../lib/db/diff.js';
import { planUpdate, type Plan, type UpdateInput } from '../../../lib/plan/index.js';
import { graphOf, type ServiceSpec } from './graph-fixture.js';

/** Kept services by name (same name in both graphs); `changed` lists name → fields. */
function diffOf(old: ReturnType<typeof graphOf>, next: ReturnType<typeof graphOf>, changed: Record<string, string[]>): DbDiff {
  const d: DbDiff = { removed: [], changed: [], unchanged: [], added: [] };
  const newNames = new Set(next.services.map((s) => s.name));
  for (const s of old.services) {
    if (!newNames.has(s.name)) d.removed.push({ name: s.name, oldIndex: s.index });
    else {
      const kept = { from: s.name, name: s.name, oldIndex: s.index, index: next.idx(s.name) };
      if (changed[s.name]) d.changed.push({ ...kept, fields: changed[s.name]! });
      else d.unchanged.push(kept);
    }
  }
  const oldNames = new Set(old.services.map((s) => s.name));
  for (const s of next.services) if (!oldNames.has(s.name)) d.added.push({ name: s.name, index: s.index });
  return d;
}

const lines = (p: Plan) => p.steps.map((s) => `${s.wave}:${s.action} ${s.name} (${s.reason.kind}${'name' in s.reason ? ` ${s.reason.name}` : ''}${'target' in s.reason ? ` ${s.reason.target}` : ''})`);

function run(oldSpecs: ServiceSpec[], newSpecs: ServiceSpec[], o: { changed?: Record<string, string[]>; up: string[]; wanted?: string[]; targets?: Record<string, string[]> }) {
  const old = graphOf(oldSpecs);
  const next = graphOf(newSpecs);
  const input: UpdateInput = {
    old,
    next,
    diff: diffOf(old, next, o.changed ?? {}),
    current: { up: new Set(o.up.map(old.idx)) },
    wanted: new Set((o.wanted ?? o.up).map(old.idx)),
    targets: Object.entries(o.targets ?? {}).map(([name, members]) => ({ name, members: members.map(next.idx) })),
  };
  const r = planUpdate(input);
  if (!r.ok) throw new Error(r.error.message);
  return { ...r.value, next };
}

describe('plan/planUpdate', () => {
  const OLD: ServiceSpec[] = [{ name: 'a' }, { name: 'b' }, { name: 'c', deps: ['b'] }, { name: 'e' }, { name: 'f', deps: ['c'] }];
  const NEW: ServiceSpec[] = [{ name: 'b' }, { name: 'c', deps: ['b'] }, { name: 'd', deps: ['x'] }, { name: 'e' }, { name: 'f', deps: ['c'] }, { name: 'x' }];

  it('stops removed and changed services and their up dependents (dependents first); starts them again under the new db, and the added wanted ones', () => {
    const p = run(OLD, NEW, { changed: { b: ['files: run'] }, up: ['a', 'b', 'c', 'e', 'f'], targets: { default: ['b', 'c', 'd', 'e', 'f'] } });
    expect(lines(p.stop)).to.deep.equal(['0:stop a (removed)', '2:stop b (changed)', '1:stop c (dependent-of b)', '0:stop f (dependent-of c)']);
    expect(lines(p.start)).to.deep.equal(['0:start b (changed)', '1:start c (dependent-of b)', '1:start d (added default)', '2:start f (dependent-of c)', '0:start x (added default)']);
    expect(p.next.names(p.upAfterStop)).to.deep.equal(['e']);
    expect(p.next.names(p.wanted)).to.deep.equal(['b', 'c', 'd', 'e', 'f', 'x']);
  });

  it('unchanged services are in neither phase; down services are not restarted unless wanted', () => {
    const p = run(OLD, OLD, { changed: { e: ['timeoutUp'], a: ['deps'] }, up: ['b', 'c', 'e'], wanted: ['a', 'b', 'c', 'e'] });
    expect(lines(p.stop)).to.deep.equal(['0:stop e (changed)']);
    // a was wanted but down (it failed): the update is its chance to come up with the new definition.
    expect(lines(p.start)).to.deep.equal(['0:start a (changed)', '0:start e (changed)']);
  });

  it('an added service not wanted by the last targets stays down; its reason names the target that wants it', () => {
    const p = run([{ name: 'a' }], [{ name: 'a' }, { name: 'n' }, { name: 'm' }], { up: ['a'], targets: { base: ['a'], extra: ['m'] } });
    expect(lines(p.stop)).to.deep.equal([]);
    expect(lines(p.start)).to.deep.equal(['0:start m (added extra)']);
  });

  it('wanted dependents that are down (their dependency failed before) come up with the restarted service', () => {
    const p = run(OLD, OLD, { changed: { b: ['timeoutUp'] }, up: ['e'], wanted: ['b', 'c', 'e', 'f'] });
    expect(lines(p.stop)).to.deep.equal([]);
    expect(lines(p.start)).to.deep.equal(['0:start b (changed)', '1:start c (dependent-of b)', '2:start f (dependent-of c)']);
  });

  it('nothing differs: nothing to do', () => {
    const p = run(OLD, OLD, { up: ['a', 'b', 'c'] });
    expect(p.stop.steps).to.deep.equal([]);
    expect(p.start.steps).to.deep.equal([]);
  });
});
