// End to end (issue 12): per-edge conditions with real processes: a started edge does not wait for readiness,
// a healthy edge waits for the first passed check, and a dependency that turns unhealthy first skips the dependent.
import { expect } from 'chai';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { DaemonRig, until } from './daemon-harness.js';

/** Healthy once the file `ok` exists in the service's compiled dir; retries 1, so one failure is unhealthy. */
const OK_CHECK = { 'health-cmd': '/bin/sh -c "test -e ok || { echo not yet ; exit 1 ; }"\n', 'health-interval': '100\n', 'health-retries': '1\n', 'health-action': 'none\n', 'health-start-period': '60000\n' };

describe('e2e daemon: per-edge conditions (issue 12)', function () {
  this.timeout(30000);
  let rig: DaemonRig;
  afterEach(async () => rig?.cleanup());

  it('a started edge lets the dependent run while its dependency never becomes ready', async () => {
    rig = new DaemonRig({
      db: { type: 'longrun', ready: true },
      app: { type: 'longrun', files: { 'dependencies.d/db': 'started\n' } },
      init: { type: 'oneshot', files: { 'dependencies.d/db': '' } },
    });
    await rig.boot([]);
    const r = rig.rc(['up', '--timeout', '3000', 'app', 'init']);
    await until('app to start', () => rig.eventsOf('start').includes('start app'));
    expect(rig.eventsOf('ready'), 'db never became ready').to.deep.equal([]);
    expect(rig.eventsOf('up'), 'init (a ready edge) still waits').to.deep.equal([]);
    const out = await r;
    expect(out.code, out.stdout).to.equal(2);
    expect(out.stdout).to.include('rc: app started');
    expect(await rig.row('app')).to.include({ up: true, state: 'up' });
    expect(rig.eventsOf('start').sort()).to.deep.equal(['start app', 'start db']);
  });

  it('a healthy edge waits for the first passed check', async () => {
    rig = new DaemonRig({
      cache: { type: 'longrun', files: OK_CHECK },
      web: { type: 'oneshot', files: { 'dependencies.d/cache': 'healthy\n' } },
    });
    await rig.boot([]);
    const r = rig.rc(['up', 'web']);
    await until('cache to be checked', async () => (await rig.row('cache')).healthCheckedAt !== null);
    await new Promise((res) => setTimeout(res, 300));
    expect(rig.eventsOf('up'), 'web waits for a passed check').to.deep.equal([]);
    expect((await rig.row('cache')).health).to.equal('starting');
    writeFileSync(join(rig.compiled, 'servicedirs', 'cache', 'ok'), '');
    const out = await r;
    expect(out.code, out.stdout).to.equal(0);
    expect(rig.eventsOf('up')).to.deep.equal(['up web']);
    expect((await rig.row('cache')).health).to.equal('healthy');
  });

  it('skips the dependent with the reason when the dependency turns unhealthy before its first passed check', async () => {
    rig = new DaemonRig({
      cache: { type: 'longrun', files: { ...OK_CHECK, 'health-start-period': '0\n' } },
      web: { type: 'oneshot', files: { 'dependencies.d/cache': 'healthy\n' } },
    });
    await rig.boot([]);
    const out = await rig.rc(['up', 'web']);
    expect(out.code).to.equal(1);
    expect(out.stdout).to.include('rc: web skipped: depends on cache being healthy: it turned unhealthy (exit 1: not yet)');
    expect(rig.eventsOf('up')).to.deep.equal([]);
    expect(await rig.row('cache')).to.include({ up: true, health: 'unhealthy' });
  });
});
