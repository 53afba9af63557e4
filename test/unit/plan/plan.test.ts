// plan: the steps for a request against live state.
import { expect } from 'chai';
import { plan, planWaves } from '../../../lib/plan/plan.js';
import type { Plan, PlanRequest } from '../../../lib/plan/types.js';
import { graphOf } from './graph-fixture.js';

// syslog (essential) ← db ← migrate (oneshot) ← api ← web;  cache ← worker → db;  maint → db
const g = graphOf([
  { name: 'syslog', essential: true },
  { name: 'db', deps: ['syslog'] },
  { name: 'migrate', type: 'oneshot', deps: ['db'] },
  { name: 'api', deps: ['migrate'] },
  { name: 'web', deps: ['api'] },
  { name: 'cache' },
  { name: 'worker', deps: ['cache', 'db'] },
  { name: 'maint', deps: ['db'] },
]);
const ids = (...names: string[]) => names.map(g.idx);
const up = (...names: string[]) => ({ up: new Set(ids(...names)) });
const DEFAULT = ['syslog', 'db', 'migrate', 'api', 'web', 'cache', 'worker'];

function mustPlan(current: { up: Set<number>; notRunning?: Set<number> }, request: PlanRequest, force = false): Plan {
  const r = plan(g, current, request, { force });
  if (!r.ok) throw new Error(r.error.message);
  return r.value;
}

/** "phase action name <- after names" per step, e.g. "start start api <- migrate". */
function describe_(p: Plan): string[] {
  return p.steps.map((s) => `${s.action} ${s.name}${s.after.length ? ` <- ${s.after.map((a) => p.steps[a]!.name).join(',')}` : ''}`);
}
const wavesOf = (p: Plan) => planWaves(p).map((w) => `${w.phase}: ${w.steps.map((s) => s.name).join(' ')}`);

describe('plan', () => {
  it('up: the forward closure minus what is already up, each start after its deps', () => {
    const p = mustPlan(up('syslog'), { kind: 'up', targets: ids('api') });
    expect(describe_(p)).to.deep.equal(['start db', 'start migrate <- db', 'start api <- migrate']);
    expect(p.steps.map((s) => s.reason)).to.deep.equal([
      { kind: 'needed-by', index: g.idx('migrate'), name: 'migrate' },
      { kind: 'needed-by', index: g.idx('api'), name: 'api' },
      { kind: 'requested' },
    ]);
    expect(wavesOf(p)).to.deep.equal(['start: db', 'start: migrate', 'start: api']);
  });

  it('a service recorded up but not running (notRunning) is started by up, change and restart, and still stopped by down', () => {
    const cur = { up: new Set(ids('syslog', 'db', 'migrate', 'api')), notRunning: new Set(ids('db')) };
    const plainUp = (p: Plan) => describe_(p);
    expect(plainUp(mustPlan(cur, { kind: 'up', targets: ids('api') }))).to.deep.equal(['start db']);
    expect(plainUp(mustPlan(cur, { kind: 'up', targets: ids('syslog') }))).to.deep.equal([]);
    expect(plainUp(mustPlan(cur, { kind: 'change', targets: ids('api') }))).to.deep.equal(['start db']);
    expect(plainUp(mustPlan(cur, { kind: 'restart', targets: ids('db') }))).to.deep.equal(['restart db']);
    expect(plainUp(mustPlan(cur, { kind: 'down', targets: ids('db') }))).to.deep.equal(['stop db <- migrate', 'stop migrate <- api', 'stop api']);
  });

  it('a start waits for every start in its dependency closure, also through a service that is up (a oneshot kept up by a crash recovery)', () => {
    // After kill -9 the next daemon keeps migrate (oneshot) recorded up, while db, below it, starts down.
    const p = mustPlan(up('syslog', 'migrate'), { kind: 'up', targets: ids('web') });
    expect(describe_(p)).to.deep.equal(['start db', 'start api <- db', 'start web <- api']);
    // The stop phase likewise: a stop waits for the stops above it, through a service that is already down.
    const q = mustPlan(up('syslog', 'db', 'api'), { kind: 'down', targets: ids('db') });
    expect(describe_(q)).to.deep.equal(['stop db <- api', 'stop api']);
  });

  it('up: nothing to do when everything is up', () => {
    const p = mustPlan(up('syslog', 'db'), { kind: 'up', targets: ids('db') });
    expect(p.steps).to.deep.equal([]);
    expect(planWaves(p)).to.deep.equal([]);
  });

  it('down: whatever is up in the reverse closure, dependents first', () => {
    const p = mustPlan(up(...DEFAULT), { kind: 'down', targets: ids('db') });
    expect(describe_(p)).to.deep.equal(['stop db <- migrate,worker', 'stop migrate <- api', 'stop api <- web', 'stop web', 'stop worker']);
    expect(p.steps.find((s) => s.name === 'web')!.reason).to.deep.equal({ kind: 'depends-on', index: g.idx('api'), name: 'api' });
    expect(p.steps.find((s) => s.name === 'db')!.reason).to.deep.equal({ kind: 'requested' });
    expect(wavesOf(p)).to.deep.equal(['stop: web worker', 'stop: api', 'stop: migrate', 'stop: db']);
  });

  it('change: stops exactly what the new target does not need, in reverse order, then starts the rest', () => {
    const p = mustPlan(up(...DEFAULT), { kind: 'change', targets: ids('syslog', 'db', 'maint'), label: 'maintenance' });
    expect(wavesOf(p)).to.deep.equal(['stop: web worker', 'stop: api cache', 'stop: migrate', 'start: maint']);
    const reasons = Object.fromEntries(p.steps.map((s) => [s.name, s.reason]));
    expect(reasons.cache).to.deep.equal({ kind: 'not-in-target', target: 'maintenance' });
    expect(reasons.maint).to.deep.equal({ kind: 'in-target', target: 'maintenance' });
    expect(p.kept).to.deep.equal([]);
  });

  it('change back: the start phase follows dependencies, the stop phase the reverse', () => {
    const p = mustPlan(up('syslog', 'db', 'maint'), { kind: 'change', targets: ids('web', 'worker'), label: 'default' });
    expect(describe_(p)).to.deep.equal(['stop maint', 'start migrate', 'start api <- migrate', 'start web <- api', 'start cache', 'start worker <- cache']);
    expect(p.stopCount).to.equal(1);
    expect(p.steps.find((s) => s.name === 'migrate')!.reason).to.deep.equal({ kind: 'needed-by', index: g.idx('api'), name: 'api' });
  });

  it('essential services are kept up with what they depend on, unless forced', () => {
    const all = up('syslog', 'db', 'maint');
    const p = mustPlan(all, { kind: 'down', targets: ids('syslog') });
    expect(describe_(p)).to.deep.equal(['stop db <- maint', 'stop maint']);
    expect(p.kept).to.deep.equal([{ index: 0, name: 'syslog', reason: { kind: 'essential' } }]);
    const forced = mustPlan(all, { kind: 'down', targets: ids('syslog') }, true);
    expect(describe_(forced)).to.deep.equal(['stop syslog <- db', 'stop db <- maint', 'stop maint']);
    expect(forced.kept).to.deep.equal([]);
  });

  it('an essential dependent keeps its dependencies up on down and change', () => {
    const h = graphOf([{ name: 'base' }, { name: 'mid', deps: ['base'] }, { name: 'guard', essential: true, deps: ['mid'] }, { name: 'app', deps: ['base'] }]);
    const current = { up: new Set([0, 1, 2, 3]) };
    const r = plan(h, current, { kind: 'down', targets: [0] });
    expect(r.ok && r.value.steps.map((s) => s.name)).to.deep.equal(['app']);
    expect(r.ok && r.value.kept).to.deep.equal([
      { index: 0, name: 'base', reason: { kind: 'needed-by-essential', index: 2, name: 'guard' } },
      { index: 1, name: 'mid', reason: { kind: 'needed-by-essential', index: 2, name: 'guard' } },
      { index: 2, name: 'guard', reason: { kind: 'essential' } },
    ]);
    const c = plan(h, current, { kind: 'change', targets: [] });
    expect(c.ok && c.value.steps.map((s) => s.name)).to.deep.equal(['app']);
  });

  it('restart: a longrun in place, a oneshot down then up, a down target is started', () => {
    const p = mustPlan(up('syslog', 'db', 'migrate', 'api'), { kind: 'restart', targets: ids('db', 'migrate', 'cache') });
    expect(describe_(p)).to.deep.equal(['stop migrate', 'restart db', 'start migrate <- db', 'start cache']);
    expect(p.stopCount).to.equal(1);
  });

  it('restart --deps: stops the up dependents first (reverse order), then starts everything again in dependency order', () => {
    const p = mustPlan(up(...DEFAULT), { kind: 'restart', targets: ids('db'), deps: true });
    expect(describe_(p)).to.deep.equal([
      'stop db <- migrate,worker',
      'stop migrate <- api',
      'stop api <- web',
      'stop web',
      'stop worker',
      'start db',
      'start migrate <- db',
      'start api <- migrate',
      'start web <- api',
      'start worker <- db',
    ]);
    expect(p.stopCount).to.equal(5);
    expect(p.steps.find((s) => s.name === 'worker')!.reason).to.deep.equal({ kind: 'depends-on', index: g.idx('db'), name: 'db' });
    // s6-rc -d change db, then s6-rc -u change of what was up: nothing runs while a dependency is down.
    expect(wavesOf(p)).to.deep.equal(['stop: web worker', 'stop: api', 'stop: migrate', 'stop: db', 'start: db', 'start: migrate worker', 'start: api', 'start: web']);
  });

  it('restart --deps of a oneshot: its dependents stop before its down and start after its up', () => {
    const p = mustPlan(up(...DEFAULT), { kind: 'restart', targets: ids('migrate'), deps: true });
    expect(wavesOf(p)).to.deep.equal(['stop: web', 'stop: api', 'stop: migrate', 'start: migrate', 'start: api', 'start: web']);
  });

  it('rejects indices outside the db', () => {
    const r = plan(g, up(), { kind: 'up', targets: [99] });
    expect(r.ok).to.equal(false);
    expect(!r.ok && r.error.kind).to.equal('unknown-index');
  });

  it('reports a cycle (invalid db) instead of looping', () => {
    const h = graphOf([{ name: 'a', deps: ['b'] }, { name: 'b', deps: ['a'] }]);
    const r = plan(h, { up: new Set() }, { kind: 'up', targets: [0] });
    expect(!r.ok && r.error.kind).to.equal('cycle');
  });

  it('is JSON-serializable', () => {
    const p = mustPlan(up(...DEFAULT), { kind: 'change', targets: ids('maint') });
    expect(JSON.parse(JSON.stringify(p))).to.deep.equal(p);
  });
});
