// Daemon (fake services, real socket): rc halt without --wait, and the hooks that run before the services stop.
import { expect } from 'chai';
import type { ControlClient } from '../../../lib/control/client.js';
import type { Daemon } from '../../../lib/daemon/daemon.js';
import { dbOf, openFakeDaemon, type FakeDaemon, type FakeServices } from './fake-services.js';

const ticks = async (n = 20): Promise<void> => {
  for (let i = 0; i < n; i++) await new Promise((r) => setImmediate(r));
};

const DB = dbOf([{ name: 'db' }, { name: 'api', deps: ['db'] }], { default: ['api'] });

describe('Daemon: halt without waiting, shutdown hooks', () => {
  let rig: FakeDaemon;
  let daemon: Daemon;
  let services: FakeServices;
  let client: ControlClient;

  beforeEach(async () => {
    rig = await openFakeDaemon(DB);
    ({ daemon, services, client } = rig);
  });
  afterEach(() => rig.close());

  it('halt with wait: false is answered before anything stops (a finish script can call it); the first code wins', async () => {
    expect(await daemon.change(['default'], 0)).to.equal(0);
    services.auto = false;
    const exited = new Promise<number>((r) => daemon.onExit(r));
    const halt = await client.call({ op: 'halt', code: 7, wait: false });
    expect(halt).to.deep.include({ type: 'result', exitCode: 0, data: { code: 7, accepted: true } });
    // The stop of api is still pending: the reply did not wait for it.
    const stop = await services.nextPending();
    expect(DB.service(stop.index).name).to.equal('api');
    const second = await client.call({ op: 'halt', code: 9, wait: false });
    expect(second).to.deep.include({ data: { code: 7, accepted: true } });
    stop.settle();
    (await services.nextPending()).settle();
    expect(await exited).to.equal(7);
  });

  it('runs the before-shutdown hooks first, and stops no service until they are done', async () => {
    expect(await daemon.change(['default'], 0)).to.equal(0);
    const before = services.calls.length;
    let release!: () => void;
    const hook = new Promise<void>((r) => (release = r));
    const order: string[] = [];
    daemon.beforeShutdown(async () => {
      order.push('hook start');
      await hook;
      order.push('hook done');
    });
    const done = daemon.shutdown(4);
    for (let i = 0; i < 10; i++) await new Promise((r) => setImmediate(r));
    expect(order).to.deep.equal(['hook start']);
    expect(services.calls.length).to.equal(before);
    release();
    expect(await done).to.equal(4);
    expect(order).to.deep.equal(['hook start', 'hook done']);
    expect(services.calls.slice(before).map((c) => DB.service(c.index).name)).to.deep.equal(['api', 'db']);
  });
});

describe('Daemon: --stop-timeout bounds the whole shutdown', () => {
  let rig: FakeDaemon;
  afterEach(() => rig.close());

  it('when it runs out, the stops still pending are abandoned and every group gets SIGKILL at once', async () => {
    const log: string[] = [];
    rig = await openFakeDaemon(DB, (m) => log.push(m), { stopTimeoutMs: 1000 });
    const { daemon, services, clock } = rig;
    expect(await daemon.change(['default'], 0)).to.equal(0);
    services.auto = false;
    let code: number | null = null;
    const done = daemon.shutdown(5).then((c) => (code = c));
    const stop = await services.nextPending(); // api ignores its SIGTERM: the stop hangs
    expect(DB.service(stop.index).name).to.equal('api');
    clock.advance(999);
    await ticks();
    expect(code, 'still stopping before the budget runs out').to.equal(null);
    expect(services.killed).to.equal(0);
    clock.advance(1);
    await ticks();
    expect(services.killed).to.be.greaterThan(0);
    expect(log.join('\n')).to.include('the stop timeout (1000 ms) ran out: killing everything left now');
    // The rest (the final state write, closing the socket) is real I/O: wait for it, however loaded the machine.
    expect(await done).to.equal(5);
    expect(services.calls.filter((c) => c.action === 'stop').map((c) => DB.service(c.index).name), 'db never got an orderly stop').to.deep.equal(['api']);
  });

  it('does not wait for a shutdown hook that hangs (a main command that ignores SIGTERM)', async () => {
    rig = await openFakeDaemon(DB, () => undefined, { stopTimeoutMs: 500 });
    const { daemon, services, clock } = rig;
    expect(await daemon.change(['default'], 0)).to.equal(0);
    daemon.beforeShutdown(() => new Promise<void>(() => undefined));
    let code: number | null = null;
    const done = daemon.shutdown(0).then((c) => (code = c));
    await ticks();
    expect(code).to.equal(null);
    clock.advance(500);
    // The rest of the shutdown (closing the socket) is real I/O: wait for it, however long a loaded machine takes.
    expect(await done).to.equal(0);
    expect(services.killed).to.be.greaterThan(0);
  });

  it('without it (the default), the shutdown waits as long as the stops take', async () => {
    rig = await openFakeDaemon(DB);
    const { daemon, services, clock } = rig;
    expect(await daemon.change(['default'], 0)).to.equal(0);
    services.auto = false;
    let code: number | null = null;
    const done = daemon.shutdown(0).then((c) => (code = c));
    const stop = await services.nextPending();
    clock.advance(3_600_000);
    await ticks();
    expect(code).to.equal(null);
    expect(services.killed).to.equal(0);
    stop.settle();
    (await services.nextPending()).settle();
    expect(await done).to.equal(0);
  });
});
