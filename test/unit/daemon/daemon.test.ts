// Daemon (fake services, real socket): wanted vs up, dry runs, the queue, unknown names, the shutdown.
import { expect } from 'chai';
import type { ControlClient } from '../../../lib/control/client.js';
import type { StatusResultData } from '../../../lib/control/protocol.js';
import type { Daemon } from '../../../lib/daemon/daemon.js';
import { livePaths } from '../../../lib/live/live-dir.js';
import { readPreviousState } from '../../../lib/live/live-state.js';
import { dbOf, openFakeDaemon, type FakeDaemon, type FakeServices } from './fake-services.js';

const DB = dbOf(
  [
    { name: 'db' },
    { name: 'migrate', type: 'oneshot', deps: ['db'] },
    { name: 'api', deps: ['migrate'] },
    { name: 'log', essential: true },
    { name: 'maint', deps: ['db'] },
  ],
  { default: ['api', 'log'], maintenance: ['maint', 'log'] },
);

describe('Daemon (fake services, real socket)', () => {
  let rig: FakeDaemon;
  let daemon: Daemon;
  let services: FakeServices;
  let client: ControlClient;

  beforeEach(async () => {
    rig = await openFakeDaemon(DB);
    ({ daemon, services, client } = rig);
  });
  afterEach(() => rig.close());

  const rows = async () => {
    const r = await client.call({ op: 'status' });
    if (r.type !== 'result') throw new Error(r.message);
    return Object.fromEntries(r.data.services.map((s) => [s.name, `${s.up ? 'up' : 'down'}/${s.wanted ? 'wanted' : '-'}`]));
  };

  it('records what is wanted and what is up through change, down and up', async () => {
    expect(await daemon.change(['default'], 0)).to.equal(0);
    expect(await rows()).to.deep.equal({ db: 'up/wanted', migrate: 'up/wanted', api: 'up/wanted', log: 'up/wanted', maint: 'down/-' });
    expect(await daemon.change(['maintenance'], 0)).to.equal(0);
    expect(await rows()).to.deep.equal({ db: 'up/wanted', migrate: 'down/-', api: 'down/-', log: 'up/wanted', maint: 'up/wanted' });
    const down = await client.call({ op: 'down', names: ['log'] });
    expect(down).to.deep.include({ type: 'result', exitCode: 0 });
    expect((down as { data: { notes: string[] } }).data.notes).to.deep.equal(['log is essential: kept up (use --force to bring it down)']);
    expect((await rows())['log']).to.equal('up/wanted');
    await client.call({ op: 'down', names: ['db'], force: true });
    expect(await rows()).to.deep.equal({ db: 'down/-', migrate: 'down/-', api: 'down/-', log: 'up/wanted', maint: 'down/-' });
  });

  it('answers a dry run from the recorded state without moving anything', async () => {
    const r = await client.call({ op: 'change', targets: ['default'], dryRun: true });
    expect(r.type).to.equal('result');
    const plan = (r as { data: { plan: { steps: { name: string }[] } } }).data.plan;
    expect(plan.steps.map((s) => s.name)).to.deep.equal(['db', 'migrate', 'api', 'log']);
    expect(services.calls).to.deep.equal([]);
  });

  it('queues transitions, tells waiting clients their position, answers status meanwhile', async () => {
    services.auto = false;
    const first = daemon.change(['db'], 0);
    const call = await services.nextPending();
    const queued: number[] = [];
    const second = client.call({ op: 'up', names: ['maint'] }, { onQueued: (p) => queued.push(p) });
    const st = await client.call({ op: 'status' });
    expect((st as { data: StatusResultData }).data.daemon).to.deep.include({ busy: 'change db', queued: 1 });
    expect(queued).to.deep.equal([1]);
    call.settle();
    expect(await first).to.equal(0);
    (await services.nextPending()).settle();
    expect(await second).to.deep.include({ type: 'result', exitCode: 0 });
  });

  it('rejects unknown names with exit 3 and a hint, before queueing', async () => {
    const r = await client.call({ op: 'up', names: ['dbb'] });
    expect(r).to.deep.include({ type: 'error', exitCode: 3, message: "unknown service name 'dbb'", hint: "did you mean 'db'?" });
  });

  it('shuts down: everything down (essential included), state written clean, exit listeners get the code', async () => {
    await daemon.change(['default'], 0);
    const codes: number[] = [];
    daemon.onExit((c) => codes.push(c));
    const halt = await client.call({ op: 'halt', code: 9 });
    expect(halt).to.deep.include({ type: 'result', exitCode: 0 });
    expect(codes).to.deep.equal([9]);
    expect(services.shutdownMode).to.equal(true);
    expect(services.killed).to.be.greaterThan(0);
    const stops = services.calls.filter((c) => c.action === 'stop').map((c) => DB.service(c.index).name);
    expect(stops).to.have.members(['api', 'migrate', 'db', 'log']);
    expect(stops.indexOf('api')).to.be.lessThan(stops.indexOf('migrate'));
    const prev = readPreviousState(livePaths(rig.dir));
    expect(prev.state?.clean).to.equal(true);
    expect(Object.values(prev.state!.services).every((s) => !s.up)).to.equal(true);
    expect(await daemon.shutdown(1)).to.equal(9);
  });
});
