// End to end: `rc wait --healthy` against a real rc boot and real health-cmd checks: reached only after the check
// passes, waits for a service not started yet, fails on an unhealthy verdict or a permanent failure, times out, expands bundles.
import { expect } from 'chai';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { connectControl, type ControlClient, type FinalReply } from '../../lib/control/client.js';
import { DaemonRig, until } from './daemon-harness.js';

/** Each run of the check appends to `tries` in the service's compiled dir (its cwd); it passes once `ok` exists there. */
const OK_CHECK = {
  'health-cmd': '/bin/sh -c "echo try >> tries ; test -e ok || { echo not yet ; exit 1 ; }"\n',
  'health-interval': '100\n',
  // Failures before `ok` do not count: the service stays `starting`, never unhealthy.
  'health-start-period': '600000\n',
};

/** The check waits for `go`, then fails: one counted failure makes the service unhealthy. */
const FAIL_ON_GO = {
  'health-cmd': '/bin/sh -c "while [ ! -e go ] ; do sleep 0.05 ; done ; echo connection refused ; exit 1"\n',
  'health-timeout': '120000\n',
  'health-retries': '1\n',
};

/** A wait sent over its own connection; `registered` resolves once the daemon has taken it (a later request on the same connection was answered). */
interface RawWait {
  result: Promise<FinalReply<'wait'>>;
  settled: () => boolean;
  client: ControlClient;
}

async function rawWait(live: string, names: string[], timeoutMs = 0): Promise<RawWait> {
  const c = await connectControl(live);
  if (!c.ok) throw new Error(c.error.message);
  let done = false;
  const result = c.value.call({ op: 'wait', names, until: 'healthy', timeoutMs }).finally(() => (done = true));
  // Requests of one connection are read in order: once status answers, the wait is being served.
  const status = await c.value.call({ op: 'status' });
  if (status.type !== 'result') throw new Error(status.message);
  return { result, settled: () => done, client: c.value };
}

describe('e2e rc wait --healthy', function () {
  this.timeout(60000);
  let rig: DaemonRig;
  const clients: ControlClient[] = [];
  afterEach(async () => {
    for (const c of clients.splice(0)) c.close();
    await rig?.cleanup();
  });

  const dir = (name: string) => join(rig.compiled, 'servicedirs', name);
  const tries = (name: string) => (existsSync(join(dir(name), 'tries')) ? readFileSync(join(dir(name), 'tries'), 'utf8').split('\n').filter(Boolean).length : 0);
  const touch = (name: string, file: string) => writeFileSync(join(dir(name), file), '');
  const open = async (names: string[], timeoutMs = 0) => {
    const w = await rawWait(rig.live, names, timeoutMs);
    clients.push(w.client);
    return w;
  };

  it('returns 0 only once the health-cmd passes (after its marker file appears), not while the check fails', async () => {
    rig = new DaemonRig({ db: { type: 'longrun', files: OK_CHECK } });
    await rig.boot(['--target', 'db']);
    const raw = await open(['db']);
    let cliDone = false;
    const cli = rig.rc(['wait', '--healthy', '--timeout', '45000', 'db']).finally(() => (cliDone = true));
    await until('the check to have failed three times', () => tries('db') >= 3, 30000);
    expect(raw.settled() || cliDone, 'nothing settles while the check fails').to.equal(false);
    expect((await rig.row('db')).health).to.equal('starting');
    touch('db', 'ok');
    const [r, c] = await Promise.all([raw.result, cli]);
    expect(r).to.deep.include({ type: 'result', exitCode: 0, data: {} });
    expect(c.code, c.stderr).to.equal(0);
    expect(c.stderr).to.equal('');
    expect((await rig.row('db')).health).to.equal('healthy');
    // Already healthy: at once.
    expect((await rig.rc(['wait', '--healthy', '--timeout', '20000', 'db'])).code).to.equal(0);
  });

  it('waits for a service not started yet, then for its first passed check', async () => {
    rig = new DaemonRig({ db: { type: 'longrun', files: OK_CHECK } });
    await rig.boot([]);
    touch('db', 'ok');
    const raw = await open(['db']);
    expect((await rig.row('db')).state).to.equal('down');
    expect(raw.settled()).to.equal(false);
    const up = await rig.rc(['up', 'db']);
    expect(up.code, up.stdout + up.stderr).to.equal(0);
    expect(await raw.result).to.deep.include({ type: 'result', exitCode: 0 });
    expect((await rig.row('db')).health).to.equal('healthy');
  });

  it('a service with no health check, or a oneshot, is refused at once with exit 100, naming it and the fix', async () => {
    rig = new DaemonRig({ plain: { type: 'longrun' }, init: { type: 'oneshot' }, db: { type: 'longrun', files: OK_CHECK } });
    await rig.boot(['--target', 'plain']);
    const hint = "  hint: add health-cmd, health-http or health-tcp to the longrun's source directory (then recompile), or wait with --ready\n";
    const plain = await rig.rc(['wait', '--healthy', 'plain']);
    expect(plain.code).to.equal(100);
    expect(plain.stderr).to.equal(`rc: cannot wait for health: plain has no health check\n${hint}`);
    const both = await rig.rc(['wait', '--healthy', 'db', 'init', 'plain']);
    expect(both.code).to.equal(100);
    expect(both.stderr).to.equal(`rc: cannot wait for health: init is a oneshot (oneshots have no health check; wait for it with --up); plain has no health check\n${hint}`);
    const flags = await rig.rc(['wait', '--healthy', '--ready', 'db']);
    expect(flags.code).to.equal(100);
    expect(flags.stderr).to.include('choose one of --up, --ready, --healthy, --down (got --ready and --healthy)');
  });

  it('times out with exit 2 while the check has not passed', async () => {
    rig = new DaemonRig({ db: { type: 'longrun', files: OK_CHECK } });
    await rig.boot(['--target', 'db']);
    await until('the check to have run', () => tries('db') >= 1, 30000);
    const r = await rig.rc(['wait', '--healthy', '--timeout', '400', 'db']);
    expect(r.code).to.equal(2);
    expect(r.stderr).to.equal('rc: timed out after 400 ms waiting for db to be healthy\n');
    expect((await rig.row('db')).health).to.equal('starting');
  });

  it('an unhealthy verdict while waited for ends the wait with exit 1 and the check output', async () => {
    rig = new DaemonRig({ db: { type: 'longrun', files: { ...FAIL_ON_GO, 'health-action': 'none\n' } } });
    await rig.boot(['--target', 'db']);
    await rig.idle();
    const raw = await open(['db']);
    const cli = rig.rc(['wait', '--healthy', '--timeout', '45000', 'db']);
    expect(raw.settled()).to.equal(false);
    touch('db', 'go');
    const r = await raw.result;
    expect(r).to.deep.include({ type: 'result', exitCode: 1 });
    expect(r.type === 'result' ? r.data : null).to.deep.equal({ message: 'db: it turned unhealthy (exit 1: connection refused)', failed: ['db'] });
    const c = await cli;
    expect(c.code).to.equal(1);
    expect(c.stderr).to.equal('rc: db: it turned unhealthy (exit 1: connection refused)\n');
    const row = await rig.row('db');
    expect(row).to.include({ health: 'unhealthy', state: 'up' });
  });

  it('a longrun that dies for good before it is healthy ends the wait with exit 1', async () => {
    // The check never passes; the run dies at once and its finish says "give up" (exit 125).
    const files = { ...OK_CHECK, 'health-cmd': '/bin/sh -c "exit 1"\n' };
    rig = new DaemonRig({ db: { type: 'longrun', run: 'exec sleep 1000', finish: 'exit 125', files } });
    await rig.boot([]);
    const raw = await open(['db']);
    const cli = rig.rc(['wait', '--healthy', '--timeout', '45000', 'db']);
    const up = await rig.rc(['up', 'db']);
    expect(up.code, up.stdout + up.stderr).to.equal(0);
    const pid = (await rig.row('db')).pid!;
    process.kill(pid, 'SIGKILL');
    const r = await raw.result;
    expect(r).to.deep.include({ type: 'result', exitCode: 1 });
    expect(r.type === 'result' ? r.data : null).to.deep.equal({ message: 'db: finish exited 125 (permanent failure)', failed: ['db'] });
    const c = await cli;
    expect(c.code).to.equal(1);
    expect(c.stderr).to.equal('rc: db: finish exited 125 (permanent failure)\n');
  });

  it('waits through a death before the first passed check: the restarted run is judged', async () => {
    // The first run dies at once (exit 3); the next one stays. The check passes whenever a run is up.
    const run = 'if [ ! -e died ] ; then : > died ; exit 3 ; fi\nexec sleep 1000';
    rig = new DaemonRig({ db: { type: 'longrun', run, files: { ...OK_CHECK, 'health-cmd': '/bin/sh -c "exit 0"\n' } } });
    await rig.boot([]);
    const raw = await open(['db']);
    await rig.rc(['svc', '-u', 'db']);
    expect(await raw.result).to.deep.include({ type: 'result', exitCode: 0 });
    const row = await rig.row('db');
    expect(row).to.include({ health: 'healthy', restarts: 1 });
    expect(row.lastExit).to.deep.equal({ code: 3, signal: null });
  });

  it('expands a bundle: its checked longruns healthy, the rest as --ready (a oneshot: up)', async () => {
    rig = new DaemonRig({
      db: { type: 'longrun', files: OK_CHECK },
      cache: { type: 'longrun', ready: true },
      init: { type: 'oneshot', deps: ['db'] },
      app: { type: 'bundle', contents: ['db', 'cache', 'init'] },
    });
    await rig.boot([]);
    const raw = await open(['app']);
    const up = rig.rc(['up', 'app']);
    await until('the check to have failed', () => tries('db') >= 2, 30000);
    const early = await rig.rc(['wait', '--healthy', '--timeout', '300', 'app']);
    expect(early.code).to.equal(2);
    expect(early.stderr).to.match(/^rc: timed out after 300 ms waiting for /);
    expect(early.stderr, 'each name with what it is waited for').to.include('db to be healthy').and.to.include('cache to be ready');
    rig.ready('cache');
    await until('init to be up', async () => (await rig.row('init')).up, 30000);
    expect(raw.settled(), 'db is not healthy yet').to.equal(false);
    touch('db', 'ok');
    expect(await raw.result).to.deep.include({ type: 'result', exitCode: 0 });
    expect((await up).code).to.equal(0);
    expect((await rig.row('db')).health).to.equal('healthy');
    expect((await rig.row('cache')).ready).to.equal(true);
  });
});
