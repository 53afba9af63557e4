// End to end (issue 12): health checks restart a service that turns unhealthy (real processes), health-action none,
// rc status HEALTH and JSON; ready-log gates a oneshot until the line appears, and its timeout.
import { expect } from 'chai';
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { DaemonRig, until } from './daemon-harness.js';

/** A health check that fails once the file `sick` exists in the service's compiled dir (the check's cwd). */
const SICK_CHECK = { 'health-cmd': '/bin/sh -c "if test -e sick ; then echo connection refused ; exit 1 ; fi"\n', 'health-interval': '150\n', 'health-retries': '2\n' };

const readCmdline = (pid: number): string => {
  try {
    return readFileSync(`/proc/${pid}/cmdline`, 'utf8');
  } catch {
    return '';
  }
};

describe('e2e daemon: health checks and ready-log (issue 12)', function () {
  this.timeout(30000);
  let rig: DaemonRig;
  afterEach(async () => rig?.cleanup());

  const sick = (name: string) => writeFileSync(join(rig.compiled, 'servicedirs', name, 'sick'), '');

  it('restarts a service whose health-cmd starts failing (new pid, counted), says why, and shows HEALTH in rc status', async () => {
    rig = new DaemonRig({ api: { type: 'longrun', files: SICK_CHECK }, plain: { type: 'longrun' } });
    await rig.boot(['--target', 'api', '--target', 'plain']);
    await rig.idle();
    await until('api to be healthy', async () => (await rig.row('api')).health === 'healthy');
    const before = await rig.row('api');
    expect(before.healthCheckedAt).to.be.a('number');
    expect((await rig.row('plain')).health).to.equal(null);
    const table = await rig.rc(['status']);
    expect(table.stdout).to.match(/^NAME +TYPE +STATE +PID +UPTIME +READY +HEALTH +RESTARTS +LAST EXIT$/m);
    expect(table.stdout).to.match(/^api +longrun +up +\d+ +\S+ +- +healthy \(\d+s ago\) +0 +-$/m);
    expect(table.stdout).to.match(/^plain +longrun +up +\d+ +\S+ +- +- +0 +-$/m);
    sick('api');
    await until(`api restarted (stderr: ${rig.err})`, async () => {
      const row = await rig.row('api');
      return row.pid !== null && row.pid !== before.pid && row.restarts >= 1;
    });
    rmSync(join(rig.compiled, 'servicedirs', 'api', 'sick'));
    expect(rig.err).to.include('rc: api is unhealthy (exit 1: connection refused): restarting it\n');
    expect(rig.err).to.match(/rc: api restarted \(pid \d+\)\n/);
    await until('the new run to log its start', () => rig.eventsOf('start').filter((e) => e === 'start api').length === 2);
    expect(rig.eventsOf('start', 'stop').filter((e) => e.endsWith(' api')).slice(0, 3)).to.deep.equal(['start api', 'stop api', 'start api']);
    expect(rig.eventsOf('start', 'stop').filter((e) => e.endsWith(' plain'))).to.deep.equal(['start plain']);
  });

  it('health-action none only reports: the process keeps running, rc status says unhealthy', async () => {
    rig = new DaemonRig({ api: { type: 'longrun', files: { ...SICK_CHECK, 'health-action': 'none\n' } } });
    await rig.boot(['--target', 'api']);
    await rig.idle();
    await until('api to be healthy', async () => (await rig.row('api')).health === 'healthy');
    const pid = (await rig.row('api')).pid;
    sick('api');
    await until('api to be unhealthy', async () => (await rig.row('api')).health === 'unhealthy');
    expect(rig.err).to.include('rc: api is unhealthy (exit 1: connection refused): left running (health-action none)\n');
    const json = JSON.parse((await rig.rc(['status', '--json', 'api'])).stdout) as { services: { pid: number; restarts: number; health: string }[] };
    expect(json.services[0]).to.deep.include({ pid, restarts: 0, health: 'unhealthy' });
    expect(rig.eventsOf('stop')).to.deep.equal([]);
  });

  it('kills a check that runs past health-timeout with its whole process group', async () => {
    const slow = { 'health-cmd': '/bin/sh -c "sleep 30 & sleep 31"\n', 'health-timeout': '300\n', 'health-retries': '1\n', 'health-action': 'none\n' };
    rig = new DaemonRig({ api: { type: 'longrun', files: slow } });
    const sleeps = () => rig.leftovers().filter((pid) => /^sleep\0/.test(readCmdline(pid)));
    await rig.boot(['--target', 'api']);
    await until('the check to run its two sleeps', () => sleeps().length === 2);
    await until('api to be unhealthy', async () => (await rig.row('api')).health === 'unhealthy');
    expect(rig.err).to.include('rc: api is unhealthy (timed out after 300 ms): left running (health-action none)\n');
    await until('the check\'s sleeps to be gone', () => sleeps().length === 0);
  });

  it('ready-log gates a oneshot that depends on the longrun until the line appears', async () => {
    const run = 'echo "booting"\nwhile [ ! -e go ]; do sleep 0.05; done\necho "ready to accept connections" >&2\nexec sleep 1000';
    rig = new DaemonRig({
      db: { type: 'longrun', run, files: { 'ready-log': 'ready to accept connections$\n' } },
      migrate: { type: 'oneshot', deps: ['db'] },
    });
    await rig.boot(['--target', 'db']);
    const up = rig.rc(['up', 'migrate']);
    await until('db to have started', async () => (await rig.row('db')).state === 'starting');
    await new Promise((r) => setTimeout(r, 300));
    expect(rig.eventsOf('up'), 'migrate waits for the line').to.deep.equal([]);
    expect((await rig.row('db')).ready).to.equal(false);
    writeFileSync(join(rig.compiled, 'servicedirs', 'db', 'go'), '');
    const r = await up;
    expect(r.code, r.stdout + r.stderr).to.equal(0);
    expect(rig.eventsOf('up')).to.deep.equal(['up migrate']);
    expect(await rig.row('db')).to.include({ state: 'ready', ready: true });
  });

  it('ready-log with ready-timeout and no matching line: not ready, the start fails and says why', async () => {
    rig = new DaemonRig({ db: { type: 'longrun', run: 'echo "still booting"\nexec sleep 1000', files: { 'ready-log': '^ready$\n', 'ready-timeout': '400\n' } } });
    await rig.boot([]);
    const r = await rig.rc(['up', 'db']);
    expect(r.code).to.equal(1);
    expect(r.stdout).to.include('db not ready: ready-log: no output line matched /^ready$/ within 400 ms');
    expect((await rig.row('db')).up).to.equal(false);
  });
});
