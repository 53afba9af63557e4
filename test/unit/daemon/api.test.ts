// The typed daemon API (fake services, no socket): answers, events, a caller that leaves, cancelled starts, halt origins.
import { expect } from 'chai';
import type { DaemonEvent } from '../../../lib/daemon/events.js';
import type { StreamEvent, TransitionCall } from '../../../lib/daemon/types.js';
import { dbOf, openFakeDaemon, type FakeDaemon } from './fake-services.js';

const DB = dbOf([{ name: 'db' }, { name: 'migrate', type: 'oneshot', deps: ['db'] }, { name: 'api', deps: ['migrate'] }], { default: ['api'] });

const call = (op: TransitionCall['op'], names: string[], more: Partial<TransitionCall> = {}): TransitionCall => ({
  op, names, dryRun: false, force: false, timeoutMs: 0, jobs: 0, noWait: false, ...more,
});

describe('DaemonApi (fake services)', () => {
  let rig: FakeDaemon;
  const events: DaemonEvent[] = [];

  beforeEach(async () => {
    rig = await openFakeDaemon(DB);
    events.length = 0;
    rig.daemon.subscribe((e) => void (e.kind === 'event' && events.push(e.event)));
  });
  afterEach(() => rig.close());

  it('answers a transition with a typed summary, streams its events, and says what is now wanted', async () => {
    const seen: StreamEvent[] = [];
    const r = await rig.daemon.transition(call('change', ['default']), { onEvent: (e) => void seen.push(e) });
    if (!r.ok) throw new Error(r.error.message);
    expect(r.value.exitCode).to.equal(0);
    expect(r.value.data.summary?.started).to.equal(3);
    expect(seen.filter((e) => e.kind === 'event').map((e) => (e.kind === 'event' ? e.event.type : ''))).to.include.members(['change-started', 'change-done']);
    expect(events.find((e) => e.type === 'wanted-changed')).to.deep.equal({ type: 'wanted-changed', by: 'change default', up: ['db', 'migrate', 'api'], down: [] });
    expect(events.filter((e) => e.type === 'recorded').map((e) => (e.type === 'recorded' ? e.service : ''))).to.deep.equal(['db', 'migrate', 'api']);
  });

  it('an unknown name is an error answer (exit 3, with a hint), at once', async () => {
    const r = await rig.daemon.transition(call('up', ['apii']));
    expect(r.ok).to.equal(false);
    if (!r.ok) expect(r.error).to.deep.include({ exitCode: 3, hint: "did you mean 'api'?" });
  });

  it('a caller that leaves cancels its running transition; status shows what it waited for until then', async () => {
    rig.services.auto = false;
    const left = new AbortController();
    const pending = rig.daemon.transition(call('up', ['db']), { signal: left.signal });
    await rig.services.nextPending();
    expect(rig.daemon.info().busy).to.equal('up db');
    left.abort();
    const r = await pending;
    if (!r.ok) throw new Error(r.error.message);
    expect(r.value.data.summary?.cancelled).to.equal(true);
    expect(events.find((e) => e.type === 'transition-cancelled')).to.deep.equal({ type: 'transition-cancelled', label: 'up db', reason: 'its client went away' });
    await new Promise((resolve) => setImmediate(resolve));
    expect(rig.daemon.info().busy).to.equal(null);
  });

  it('with noWait, a caller that leaves does not cancel the transition', async () => {
    rig.services.auto = false;
    const left = new AbortController();
    const pending = rig.daemon.transition(call('up', ['db'], { noWait: true }), { signal: left.signal });
    const started = await rig.services.nextPending();
    left.abort();
    started.settle();
    const r = await pending;
    if (!r.ok) throw new Error(r.error.message);
    expect(r.value.exitCode).to.equal(0);
    expect(events.some((e) => e.type === 'transition-cancelled')).to.equal(false);
  });

  it('rc down cancels the start in flight of what it brings down, instead of queueing behind it', async () => {
    rig.services.auto = false;
    const up = rig.daemon.transition(call('up', ['db']));
    await rig.services.nextPending();
    rig.services.auto = true;
    const down = rig.daemon.transition(call('down', ['db']));
    const r = await up;
    if (!r.ok) throw new Error(r.error.message);
    expect(r.value.data.summary?.failed.map((f) => [f.name, f.failure.reason])).to.deep.equal([['db', 'cancelled']]);
    expect(events.find((e) => e.type === 'start-cancelled')).to.deep.equal({ type: 'start-cancelled', service: 'db', by: 'rc down' });
    expect((await down).ok).to.equal(true);
  });

  it('rc svc -d cancels the start in flight of a longrun', async () => {
    rig.services.auto = false;
    const up = rig.daemon.transition(call('up', ['db']));
    await rig.services.nextPending();
    // The engine then stops what failed to start: let that succeed.
    rig.services.auto = true;
    expect(rig.daemon.svc(['db'], ['d']).ok).to.equal(true);
    const r = await up;
    if (!r.ok) throw new Error(r.error.message);
    expect(r.value.exitCode).to.equal(1);
    expect(events.find((e) => e.type === 'start-cancelled')).to.deep.equal({ type: 'start-cancelled', service: 'db', by: 'rc svc -d' });
  });

  it('a halt names its origin and code once, and answers with the code', async () => {
    const r = await rig.daemon.halt(7, true, rig.daemon.originOfPid(4242));
    expect(r.ok && r.value.data.code).to.equal(7);
    expect(events.filter((e) => e.type === 'halt-requested')).to.deep.equal([{ type: 'halt-requested', code: 7, origin: { kind: 'client', pid: 4242 } }]);
    expect(events.map((e) => e.type)).to.include.members(['shutdown-started', 'daemon-exiting']);
  });
});
