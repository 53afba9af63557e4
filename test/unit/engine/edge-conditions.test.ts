// Engine and planner with per-edge conditions (issue 12): started edges release at the spawn, healthy ones after a check.
import { expect } from 'chai';
import { FakeClock } from '../../../lib/core/clock.js';
import type { EngineEvent } from '../../../lib/engine/events.js';
import { executePlan } from '../../../lib/engine/execute.js';
import { plan } from '../../../lib/plan/plan.js';
import type { Plan, PlanGraph, PlanService } from '../../../lib/plan/types.js';
import { graphOf } from '../plan/graph-fixture.js';
import { FakeDriver, flush } from './fake-driver.js';

/** db <- app (started), cache <- web (healthy), app <- web (ready). */
function graph(): PlanGraph & { idx: (n: string) => number } {
  const g = graphOf([
    { name: 'db' },
    { name: 'cache' },
    { name: 'app', deps: ['db'] },
    { name: 'web', deps: ['app', 'cache'] },
  ]);
  (g.services[g.idx('app')] as { conditions?: PlanService['conditions'] }).conditions = { [g.idx('db')]: 'started' };
  (g.services[g.idx('web')] as { conditions?: PlanService['conditions'] }).conditions = { [g.idx('cache')]: 'healthy' };
  return g;
}

function up(g: PlanGraph & { idx: (n: string) => number }, names: string[]): Plan {
  const r = plan(g, { up: new Set() }, { kind: 'up', targets: names.map(g.idx) });
  if (!r.ok) throw new Error(r.error.message);
  return r.value;
}

describe('plan + engine: per-edge conditions', () => {
  it('the plan carries non-default conditions on start steps, keyed by prerequisite step id; stop steps carry none', () => {
    const g = graph();
    const p = up(g, ['web']);
    const id = (n: string) => p.steps.find((s) => s.name === n)!.id;
    expect(p.steps.find((s) => s.name === 'app')!.conditions).to.deep.equal({ [id('db')]: 'started' });
    expect(p.steps.find((s) => s.name === 'web')!.conditions).to.deep.equal({ [id('cache')]: 'healthy' });
    expect(p.steps.find((s) => s.name === 'db')).to.not.have.property('conditions');
    const down = plan(g, { up: new Set([0, 1, 2, 3]) }, { kind: 'down', targets: [g.idx('db')] });
    expect(down.ok && down.value.steps.every((s) => s.conditions === undefined && s.phase === 'stop')).to.equal(true);
    expect(down.ok && down.value.steps.map((s) => s.name)).to.deep.equal(['db', 'app', 'web']);
  });

  it('starts a dependent on a started edge once the prerequisite is spawned, before it is done', async () => {
    const g = graph();
    const driver = new FakeDriver();
    const events: EngineEvent[] = [];
    const done = executePlan(up(g, ['app']), driver, { timeouts: () => 0, onEvent: (e) => events.push(e), clock: new FakeClock() });
    const db = await driver.next((c) => c.index === g.idx('db'));
    expect(db.options.onStarted, 'asked to report the spawn').to.be.a('function');
    await flush();
    expect(driver.calls.map((c) => c.index)).to.deep.equal([g.idx('db')]);
    db.options.onStarted!();
    const app = await driver.next((c) => c.index === g.idx('app'));
    app.resolve();
    await flush();
    expect(db.settled, 'db is still not ready').to.equal(false);
    db.resolve();
    const summary = await done;
    expect(summary.ok).to.equal(true);
    expect(events.filter((e) => e.type === 'service-started').map((e) => (e as { name: string }).name)).to.deep.equal(['app', 'db']);
  });

  it('a started edge is released by the success too, when the driver never reports the spawn', async () => {
    const g = graph();
    const driver = new FakeDriver();
    driver.auto = () => ({ ok: true });
    const summary = await executePlan(up(g, ['app']), driver, { timeouts: () => 0, onEvent: () => undefined, clock: new FakeClock() });
    expect(summary.ok).to.equal(true);
    expect(driver.calls.map((c) => g.services[c.index]!.name)).to.deep.equal(['db', 'app']);
  });

  it('waits for a healthy edge after the prerequisite is done, then starts the dependent', async () => {
    const g = graph();
    const driver = new FakeDriver();
    driver.auto = () => ({ ok: true });
    const done = executePlan(up(g, ['web']), driver, { timeouts: () => 0, onEvent: () => undefined, clock: new FakeClock() });
    await flush();
    expect(driver.healthWaits.map((w) => g.services[w.index]!.name)).to.deep.equal(['cache']);
    expect(driver.calls.map((c) => g.services[c.index]!.name)).to.not.include('web');
    driver.healthWaits[0]!.resolve({ ok: true });
    const summary = await done;
    expect(summary.ok).to.equal(true);
    expect(driver.calls.map((c) => g.services[c.index]!.name)).to.include('web');
  });

  it('skips the dependent, with the reason, when the prerequisite turns unhealthy first', async () => {
    const g = graph();
    const driver = new FakeDriver();
    driver.auto = () => ({ ok: true });
    const events: EngineEvent[] = [];
    const done = executePlan(up(g, ['web']), driver, { timeouts: () => 0, onEvent: (e) => events.push(e), clock: new FakeClock() });
    await flush();
    driver.healthWaits[0]!.resolve({ ok: false, message: 'it turned unhealthy (exit 1: refused)' });
    const summary = await done;
    expect(summary.ok).to.equal(false);
    expect(summary.skipped).to.deep.equal([
      { step: summary.skipped[0]!.step, index: g.idx('web'), name: 'web', action: 'start', reason: { kind: 'dependency-unhealthy', dependency: 'cache', message: 'it turned unhealthy (exit 1: refused)' } },
    ]);
  });

  it('a global timeout aborts a wait for health and skips what waits on it', async () => {
    const g = graph();
    const driver = new FakeDriver();
    driver.auto = () => ({ ok: true });
    const clock = new FakeClock();
    const done = executePlan(up(g, ['web']), driver, { timeouts: () => 0, timeoutMs: 1000, onEvent: () => undefined, clock });
    await flush();
    clock.advance(1000);
    const summary = await done;
    expect(summary.timedOut).to.equal(true);
    expect(summary.skipped.map((s) => [s.name, s.reason.kind])).to.deep.equal([['web', 'timeout']]);
    expect(driver.healthWaits[0]!.aborted).to.equal(true);
  });
});
