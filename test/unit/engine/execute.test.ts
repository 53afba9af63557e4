// executePlan over a fake driver: ordering, the jobs cap, skips after a failure, timeouts.
import { expect } from 'chai';
import { FakeClock } from '../../../lib/core/clock.js';
import type { EngineEvent, ExecutionSummary } from '../../../lib/engine/events.js';
import { executePlan, type ExecuteOptions } from '../../../lib/engine/execute.js';
import { summaryExitCode } from '../../../lib/engine/summary.js';
import { plan } from '../../../lib/plan/plan.js';
import type { Plan, PlanGraph, PlanRequest } from '../../../lib/plan/types.js';
import { graphOf } from '../plan/graph-fixture.js';
import { FakeDriver, flush } from './fake-driver.js';

// a ← b ← c (a chain);  x, y independent;  m (oneshot) ← n
const g = graphOf([
  { name: 'a' },
  { name: 'b', deps: ['a'] },
  { name: 'c', deps: ['b'] },
  { name: 'x' },
  { name: 'y' },
  { name: 'm', type: 'oneshot' },
  { name: 'n', deps: ['m'] },
]);

function mustPlan(graph: PlanGraph, up: string[], request: Omit<PlanRequest, 'targets'> & { targets: string[] }): Plan {
  const idx = (n: string) => graph.services.findIndex((s) => s.name === n);
  const r = plan(graph, { up: new Set(up.map(idx)) }, { ...request, targets: request.targets.map(idx) });
  if (!r.ok) throw new Error(r.error.message);
  return r.value;
}

interface Run {
  driver: FakeDriver;
  events: EngineEvent[];
  states: [string, boolean][];
  done: Promise<ExecutionSummary>;
  clock: FakeClock;
}

function run(p: Plan, opts: Partial<ExecuteOptions> = {}, timeouts: Record<string, [number, number]> = {}): Run {
  const driver = new FakeDriver();
  const events: EngineEvent[] = [];
  const states: [string, boolean][] = [];
  const clock = new FakeClock();
  const name = (i: number) => g.services[i]!.name;
  const done = executePlan(p, driver, {
    clock,
    timeouts: (i, dir) => timeouts[name(i)]?.[dir === 'up' ? 0 : 1] ?? 0,
    onEvent: (e) => events.push(e),
    onStateChange: (i, up) => states.push([name(i), up]),
    ...opts,
  });
  return { driver, events, states, done, clock };
}

const started = (r: Run) => r.driver.calls.map((c) => `${c.action} ${g.services[c.index]!.name}`);
const byName = (r: Run, n: string) => r.driver.next((c) => g.services[c.index]!.name === n);

describe('executePlan', () => {
  it('starts B only after A is done, and independent services at once', async () => {
    const r = run(mustPlan(g, [], { kind: 'up', targets: ['c', 'x', 'y'] }));
    await flush();
    expect(started(r)).to.deep.equal(['start a', 'start x', 'start y']);
    (await byName(r, 'a')).resolve();
    await flush();
    expect(started(r)).to.include('start b');
    expect(started(r)).not.to.include('start c');
    (await byName(r, 'b')).resolve();
    await flush();
    expect(started(r)).to.include('start c');
    for (const c of r.driver.inFlight()) c.resolve();
    const s = await r.done;
    expect(s.ok).to.equal(true);
    expect(s.started).to.equal(5);
    expect(summaryExitCode(s)).to.equal(0);
    expect(r.states.map(([n, up]) => `${n}:${up}`)).to.deep.equal(['a:true', 'b:true', 'x:true', 'y:true', 'c:true']);
  });

  it('caps transitions in flight with jobs', async () => {
    const r = run(mustPlan(g, [], { kind: 'up', targets: ['a', 'x', 'y', 'm'] }), { jobs: 2 });
    for (let done = 0; done < 4; done++) {
      await flush();
      expect(r.driver.inFlight()).to.have.length(Math.min(2, 4 - done));
      r.driver.inFlight()[0]!.resolve();
    }
    expect((await r.done).ok).to.equal(true);
  });

  it('skips, transitively, whatever depends on a failure; independent branches go on', async () => {
    const r = run(mustPlan(g, [], { kind: 'up', targets: ['c', 'x'] }));
    (await byName(r, 'a')).resolve({ ok: false, reason: 'exit-code', exitCode: 3, message: 'exited 3' });
    (await byName(r, 'x')).resolve();
    // a longrun that failed to come up is stopped
    (await r.driver.next((c) => c.action === 'stop')).resolve();
    const s = await r.done;
    expect(s.ok).to.equal(false);
    expect(summaryExitCode(s)).to.equal(1);
    expect(s.failed.map((f) => [f.name, f.failure.reason])).to.deep.equal([['a', 'exit-code']]);
    expect(s.skipped.map((k) => [k.name, k.reason])).to.deep.equal([
      ['b', { kind: 'dependency-failed', dependency: 'a', cause: 'a' }],
      ['c', { kind: 'dependency-failed', dependency: 'b', cause: 'a' }],
    ]);
    expect(s.done).to.deep.equal([g.idx('x')]);
    expect(started(r)).to.include('stop a');
    expect(r.events.filter((e) => e.type === 'service-skipped')).to.have.length(2);
  });

  it('passes the per-service timeout to the driver, capped by the global deadline', async () => {
    const r = run(mustPlan(g, [], { kind: 'up', targets: ['x', 'y', 'a'] }), { timeoutMs: 1000 }, { x: [500, 0], y: [5000, 0] });
    await flush();
    const t = Object.fromEntries(r.driver.calls.map((c) => [g.services[c.index]!.name, c.options.timeoutMs]));
    expect(t).to.deep.equal({ a: 1000, x: 500, y: 1000 });
    r.driver.inFlight().forEach((c) => c.resolve());
    await r.done;
  });

  it('global timeout: aborts what is in flight, skips the rest, exit code 2', async () => {
    const r = run(mustPlan(g, [], { kind: 'up', targets: ['c', 'x'] }), { timeoutMs: 3000 });
    (await byName(r, 'a')).resolve();
    await flush();
    const b = await byName(r, 'b');
    r.clock.advance(3000);
    const s = await r.done;
    expect(b.options.signal.aborted).to.equal(true);
    expect(s.timedOut).to.equal(true);
    expect(summaryExitCode(s)).to.equal(2);
    expect(s.failed.map((f) => [f.name, f.failure.reason]).sort()).to.deep.equal([['b', 'cancelled'], ['x', 'cancelled']]);
    expect(s.skipped.map((k) => [k.name, k.reason.kind])).to.deep.equal([['c', 'timeout']]);
    const timeout = r.events.find((e) => e.type === 'timeout');
    expect(timeout && timeout.type === 'timeout' && timeout.inFlight.map((x) => x.name)).to.deep.equal(['b', 'x']);
    // exact state: only a is recorded up, and the aborted longrun start is not "stopped" again by the engine
    expect(r.states).to.deep.equal([['a', true]]);
    expect(started(r)).to.deep.equal(['start a', 'start x', 'start b']);
    expect(r.events.at(-1)!.type).to.equal('change-done');
  });

  it('records a success that races the timeout', async () => {
    const r = run(mustPlan(g, [], { kind: 'up', targets: ['x'] }), { timeoutMs: 100 });
    const x = await byName(r, 'x');
    r.driver.honourAbort = false;
    x.options.signal.addEventListener('abort', () => queueMicrotask(() => x.resolve()));
    r.clock.advance(100);
    const s = await r.done;
    expect(s.timedOut).to.equal(true);
    expect(r.states).to.deep.equal([['x', true]]);
  });

  it('cancels through the caller signal without timedOut', async () => {
    const ac = new AbortController();
    const r = run(mustPlan(g, [], { kind: 'up', targets: ['b'] }), { signal: ac.signal });
    await byName(r, 'a');
    ac.abort();
    const s = await r.done;
    expect([s.cancelled, s.timedOut, summaryExitCode(s)]).to.deep.equal([true, false, 1]);
    expect(s.skipped.map((k) => k.reason.kind)).to.deep.equal(['cancelled']);
  });

  it('a failed stop skips the stop of its dependencies and the whole start phase', async () => {
    const r = run(mustPlan(g, ['a', 'b', 'x'], { kind: 'change', targets: ['y'] }));
    (await byName(r, 'b')).resolve({ ok: false, reason: 'timeout', message: 'timed out' });
    (await byName(r, 'x')).resolve();
    const s = await r.done;
    expect(s.skipped.map((k) => [k.name, k.reason])).to.deep.equal([
      ['a', { kind: 'dependent-failed', dependent: 'b', cause: 'b' }],
      ['y', { kind: 'stop-phase-failed', failed: ['b'] }],
    ]);
    expect(started(r)).to.deep.equal(['stop b', 'stop x']);
    expect(r.states).to.deep.equal([['x', false]]);
  });

  it('a change stops in reverse order before it starts anything', async () => {
    const r = run(mustPlan(g, ['a', 'b', 'c'], { kind: 'change', targets: ['x'] }));
    r.driver.auto = () => ({ ok: true });
    for (const c of r.driver.inFlight()) c.resolve();
    const s = await r.done;
    expect(started(r)).to.deep.equal(['stop c', 'stop b', 'stop a', 'start x']);
    expect([s.stopped, s.started]).to.deep.equal([3, 1]);
  });

  it('restart: a longrun in place, a oneshot down then up (its dependents stay up)', async () => {
    const r = run(mustPlan(g, ['a', 'm', 'n'], { kind: 'restart', targets: ['a', 'm'] }));
    r.driver.auto = () => ({ ok: true });
    for (const c of r.driver.inFlight()) c.resolve();
    const s = await r.done;
    expect(started(r)).to.deep.equal(['stop m', 'restart a', 'start m']);
    expect([s.restarted, s.stopped, s.started]).to.deep.equal([1, 1, 1]);
    expect(r.states).to.deep.equal([['m', false], ['m', true]]);
  });

  it('restart --deps: the dependents stop first, then the targets; all start again in dependency order', async () => {
    const r = run(mustPlan(g, ['a', 'm', 'n'], { kind: 'restart', targets: ['a', 'm'], deps: true }));
    r.driver.auto = () => ({ ok: true });
    for (const c of r.driver.inFlight()) c.resolve();
    const s = await r.done;
    const calls = started(r);
    expect(calls).to.have.members(['stop a', 'stop n', 'stop m', 'start a', 'start m', 'start n']);
    expect(calls.indexOf('stop n')).to.be.below(calls.indexOf('stop m'));
    expect(calls.indexOf('stop m')).to.be.below(calls.indexOf('start m'));
    expect(calls.indexOf('start m')).to.be.below(calls.indexOf('start n'));
    expect(calls.slice(0, 3).every((c) => c.startsWith('stop '))).to.equal(true);
    expect([s.restarted, s.stopped, s.started]).to.deep.equal([0, 3, 3]);
  });

  it('a failed in-place restart leaves the longrun stopped and recorded down', async () => {
    const r = run(mustPlan(g, ['x'], { kind: 'restart', targets: ['x'] }));
    (await byName(r, 'x')).resolve({ ok: false, reason: 'permanent-failure', message: 'finish exited 125' });
    (await r.driver.next((c) => c.action === 'stop')).resolve();
    const s = await r.done;
    expect(s.failed).to.have.length(1);
    expect(r.states).to.deep.equal([['x', false]]);
  });

  it('a burst of ready steps is launched in batches, with a turn of the event loop between them (status stays answered)', async () => {
    const wide = graphOf(Array.from({ length: 200 }, (_v, i) => ({ name: `s${i}` })));
    const p = mustPlan(wide, [], { kind: 'up', targets: wide.services.map((x) => x.name) });
    const driver = new FakeDriver();
    driver.auto = () => ({ ok: true });
    const done = executePlan(p, driver, { timeouts: () => 0, onEvent: () => {} });
    // Synchronously, one batch only; the rest after the event loop had its turn.
    expect(driver.calls).to.have.length(64);
    const s = await done;
    expect(s.started).to.equal(200);
  });

  it('a driver that throws is a failure, not a crash', async () => {
    const driver = new FakeDriver();
    driver.start = () => {
      throw new Error('boom');
    };
    const p = mustPlan(g, [], { kind: 'up', targets: ['m'] });
    const s = await executePlan(p, driver, { timeouts: () => 0, onEvent: () => {} });
    expect(s.failed[0]!.failure).to.deep.equal({ reason: 'exec-failed', message: 'driver error: boom' });
  });

  it('a throwing event sink (a bug) rejects and aborts what is in flight instead of hanging', async () => {
    const driver = new FakeDriver();
    const p = mustPlan(g, [], { kind: 'up', targets: ['x', 'y'] });
    const done = executePlan(p, driver, {
      timeouts: () => 0,
      onEvent: (e) => {
        if (e.type === 'service-started') throw new Error('sink bug');
      },
    });
    driver.calls[0]!.resolve();
    let error: unknown;
    await done.catch((e: unknown) => (error = e));
    expect((error as Error).message).to.equal('sink bug');
    expect(driver.calls[1]!.options.signal.aborted).to.equal(true);
  });

  it('reports kept services and an empty plan at once', async () => {
    const h = graphOf([{ name: 'e', essential: true }]);
    const p = mustPlan(h, ['e'], { kind: 'down', targets: ['e'] });
    const events: EngineEvent[] = [];
    const s = await executePlan(p, new FakeDriver(), { timeouts: () => 0, onEvent: (e) => events.push(e) });
    expect(events.map((e) => e.type)).to.deep.equal(['change-started', 'service-kept', 'change-done']);
    expect(s.ok).to.equal(true);
    expect(s.kept.map((k) => k.name)).to.deep.equal(['e']);
  });

  it('emits JSON-serializable events in order, state persisted before each success event', async () => {
    const order: string[] = [];
    const p = mustPlan(g, [], { kind: 'up', targets: ['b'] });
    const driver = new FakeDriver();
    driver.auto = () => ({ ok: true });
    await executePlan(p, driver, {
      timeouts: () => 0,
      onEvent: (e) => {
        expect(JSON.parse(JSON.stringify(e))).to.deep.equal(e);
        order.push('name' in e ? `${e.type} ${e.name}` : e.type);
      },
      onStateChange: (i, up) => order.push(`state ${g.services[i]!.name} ${up}`),
    });
    expect(order).to.deep.equal([
      'change-started',
      'service-starting a',
      'state a true',
      'service-started a',
      'service-starting b',
      'state b true',
      'service-started b',
      'change-done',
    ]);
  });
});
