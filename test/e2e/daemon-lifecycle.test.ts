// End to end: one daemon per live dir, boot errors, orderly shutdown (SIGTERM, rc halt), recovery after kill -9.
import { expect } from 'chai';
import { spawn, spawnSync } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fixturesDir, rcBin } from '../helpers/paths.js';
import { alive, childEnv, DaemonRig, termPending, until, type Tree } from './daemon-harness.js';

const STACK: Tree = {
  db: { type: 'longrun', ready: true },
  migrate: { type: 'oneshot', deps: ['db'] },
  api: { type: 'longrun', deps: ['migrate'] },
  default: { type: 'bundle', contents: ['api'] },
};

describe('e2e daemon: lifecycle', function () {
  this.timeout(30000);
  let rig: DaemonRig;
  afterEach(async () => rig?.cleanup());

  it('refuses a second daemon on the same live dir (exit 100, naming the pid); the live dir is 0700', async () => {
    rig = new DaemonRig({ a: { type: 'longrun' } });
    await rig.boot();
    expect(statSync(rig.live).mode & 0o777).to.equal(0o700);
    const second = spawnSync(process.execPath, [rcBin, 'boot', '--live', rig.live, '--db', rig.compiled], { env: childEnv(), timeout: 10000 });
    expect(second.status).to.equal(100);
    expect(second.stderr.toString()).to.include(`another rc daemon (pid ${rig.daemon!.pid}) is already running on ${rig.live}`);
    expect((await rig.status()).daemon.pid).to.equal(rig.daemon!.pid);
  });

  it('exits after rc halt even while nobody reads its stdout (the final flush is bounded)', async function () {
    this.timeout(60000);
    rig = new DaemonRig({ chatty: { type: 'longrun', run: 'exec yes "chatty line that fills the pipe"' } });
    await rig.boot(['--kill-grace', '500', '--target', 'chatty']);
    rig.daemon!.stdout!.pause(); // nobody reads any more: the pipe fills up
    await until('the service to be up', async () => (await rig.row('chatty')).up === true);
    const halt = await rig.rc(['halt']);
    expect(halt.code, halt.stderr).to.equal(0);
    // Bound: 2 s (the --kill-grace is smaller) after the services are down; generous for a loaded machine.
    const t0 = Date.now();
    const code = await Promise.race([rig.exited(), new Promise<string>((r) => setTimeout(() => r('still running'), 20000).unref())]);
    expect(code, `rc boot after ${Date.now() - t0} ms; stderr: ${rig.err.slice(-500)}`).to.equal(0);
  });

    it('refuses a live dir writable by others: exit 111 naming the path, the mode and the fix', () => {
    rig = new DaemonRig({ a: { type: 'longrun' } });
    mkdirSync(rig.live);
    chmodSync(rig.live, 0o777);
    const r = spawnSync(process.execPath, [rcBin, 'boot', '--live', rig.live, '--db', rig.compiled], { env: childEnv(), timeout: 20000 });
    expect(r.status, r.stderr.toString()).to.equal(111);
    expect(r.stderr.toString()).to.include(`the live directory ${rig.live} is writable by its group and others (mode 0777)`).and.to.include('chmod go-w');
  });

    it('--stop-timeout bounds the whole shutdown: services that ignore SIGTERM at two levels get SIGKILL at once when it runs out', async () => {
    const stubborn = "trap '' TERM; exec sleep 1000";
    rig = new DaemonRig({ low: { type: 'longrun', run: stubborn }, high: { type: 'longrun', run: stubborn, deps: ['low'] } });
    await rig.boot(['--kill-grace', '5000', '--stop-timeout', '1000', '--target', 'high']);
    await until('both up', async () => (await rig.upNames()).length === 2);
    const t0 = Date.now();
    rig.daemon!.kill('SIGTERM');
    const code = await rig.exited();
    const took = Date.now() - t0;
    expect(code, rig.err).to.equal(0);
    // Without the budget: 2 x 5000 ms. With it: 1000 ms, plus the kills and the exit on a loaded machine.
    expect(took, rig.err).to.be.below(4500);
    expect(rig.err).to.include('the stop timeout (1000 ms) ran out: killing everything left now');
    expect(rig.leftovers()).to.deep.equal([]);
  });

    it('says there is no daemon (exit 111) when none runs', async () => {
    rig = new DaemonRig({ a: { type: 'longrun' } });
    const r = await rig.rc(['status']);
    expect(r.code).to.equal(111);
    expect(r.stderr).to.equal(`rc: no rc daemon on ${rig.live} (start one with \`rc boot\`)\n`);
  });

  it('aborts the boot with the diagnostics when --source has errors (exit 1)', () => {
    rig = new DaemonRig({ a: { type: 'longrun' } });
    const src = join(rig.root, 'bad');
    mkdirSync(join(src, 'x'), { recursive: true });
    writeFileSync(join(src, 'x', 'type'), 'longrun\n');
    writeFileSync(join(src, 'x', 'run'), '#!/bin/sh\n', { mode: 0o755 });
    writeFileSync(join(src, 'x', 'dependencies'), 'nope\n');
    const r = spawnSync(process.execPath, [rcBin, 'boot', '--live', rig.live, '--source', src], { env: childEnv(), timeout: 10000 });
    expect(r.status).to.equal(1);
    expect(r.stderr.toString()).to.match(/x\/dependencies.*error.*nope/);
    expect(r.stderr.toString()).to.include('rc: 1 error in the source: not booting');
  });

  it('an unknown --target is a configuration error: exit 3 at once with the hint, whatever --on-fail says, CMD never runs', () => {
    rig = new DaemonRig(STACK);
    for (const onFail of ['warn', 'ignore', 'halt']) {
      const marker = join(rig.root, `cmd-ran-${onFail}`);
      const t0 = Date.now();
      const r = spawnSync(process.execPath, [rcBin, 'boot', '--live', rig.live, '--db', rig.compiled, '--target', 'defualt', '--on-fail', onFail, '--', 'touch', marker], { env: childEnv(), timeout: 10000 });
      expect(r.status, `--on-fail ${onFail}: ${r.stderr.toString()}`).to.equal(3);
      expect(Date.now() - t0).to.be.lessThan(5000);
      expect(r.stderr.toString()).to.include("rc: unknown service name 'defualt'\n  hint: did you mean 'default'?\n");
      expect(r.stderr.toString()).not.to.include('warning');
      expect(existsSync(marker)).to.equal(false);
    }
    expect(rig.lines()).to.deep.equal([]);
  });

  for (const entry of ['rc.js', 'rc-fast.js']) {
    it(`${entry} boot: a SIGTERM before the daemon's modules are even loaded is remembered, then a clean shutdown (exit 0)`, async () => {
      rig = new DaemonRig(STACK);
      const marker = join(rig.root, 'slow-boot');
      const hooks = join(fixturesDir, 'daemon', 'slow-boot-hooks.mjs');
      const child = spawn(process.execPath, ['--import', hooks, join(dirname(rcBin), entry), 'boot', '--live', rig.live, '--db', rig.compiled], {
        env: childEnv({ RC_TEST_SLOW_BOOT: marker }),
        stdio: ['ignore', 'ignore', 'pipe'],
      });
      let stderr = '';
      child.stderr.on('data', (c) => (stderr += c));
      const exit = new Promise<number | string | null>((r) => child.on('exit', (code, sig) => r(code ?? sig)));
      try {
        await until('rc boot to import its daemon modules', () => existsSync(marker));
        child.kill('SIGTERM');
        await until('rc boot to take the signal (or die of it)', () => child.exitCode !== null || child.signalCode !== null || !termPending(child.pid!));
        writeFileSync(`${marker}.go`, '');
        expect(await exit, stderr).to.equal(0);
        expect(stderr).to.include('rc: SIGTERM during start-up: stopping as soon as the daemon is set up');
        expect(rig.lines()).to.deep.equal([]);
      } finally {
        child.kill('SIGKILL');
      }
    });
  }

  it('shuts down in reverse order on SIGTERM, running down scripts, and leaves no process', async () => {
    rig = new DaemonRig(STACK);
    await rig.boot();
    await until('db to start', () => rig.eventsOf('start').includes('start db'));
    rig.ready('db');
    await rig.idle();
    await until('api to run', () => rig.eventsOf('start').includes('start api'));
    const t0 = Date.now();
    rig.daemon!.kill('SIGTERM');
    expect(await rig.exited()).to.equal(0);
    expect(Date.now() - t0).to.be.lessThan(5000);
    expect(rig.eventsOf('stop', 'down')).to.deep.equal(['stop api', 'down migrate', 'stop db']);
    expect(rig.leftovers()).to.deep.equal([]);
    expect(rig.err).to.include('rc: every service is down; exiting with code 0');
  });

  it('SIGTERM while the boot waits for readiness: the wait is reported cancelled, not failed', async () => {
    rig = new DaemonRig(STACK);
    await rig.boot();
    await until('db to start', () => rig.eventsOf('start').includes('start db'));
    rig.daemon!.kill('SIGTERM');
    expect(await rig.exited()).to.equal(0);
    expect(rig.err).to.match(/rc: db cancelled while starting: wait for ready: aborted \(\d+ ms\)\n/);
    expect(rig.err).to.include('rc: 1 cancelled: db (wait for ready: aborted)\n');
    expect(rig.err).to.match(/rc: 2 skipped: (migrate, api|api, migrate)\nrc: change cancelled after \d+ ms: nothing done\n/);
    expect(rig.err).not.to.include('failed');
  });

  it('kills a service that ignores SIGTERM after the kill grace; rc halt --code sets the exit code', async () => {
    rig = new DaemonRig({ stubborn: { type: 'longrun' }, fine: { type: 'longrun', deps: ['stubborn'] } });
    rig.flag('stubborn', 'stubborn');
    await rig.boot(['--target', 'fine', '--kill-grace', '400']);
    await rig.idle();
    await until('both to run', () => rig.eventsOf('start').length === 2);
    const t0 = Date.now();
    const halt = await rig.rc(['halt', '--code', '7']);
    expect(halt.code, halt.stderr).to.equal(0);
    expect(await rig.exited()).to.equal(7);
    expect(Date.now() - t0).to.be.at.least(350); // not before the kill grace (its timing on a fake clock: the daemon unit tests)
    expect(rig.eventsOf('stop', 'ignore-term')).to.deep.equal(['stop fine', 'ignore-term stubborn']);
    expect(rig.leftovers()).to.deep.equal([]);
    // The user learns that it ignored its down-signal, not only that it "stopped".
    expect(rig.err).to.include('rc: stubborn did not stop within 400 ms (the kill grace): SIGKILL to its process group\n');
  });

  it('skips to the kills on a second SIGTERM', async () => {
    rig = new DaemonRig({ stubborn: { type: 'longrun' } });
    rig.flag('stubborn', 'stubborn');
    await rig.boot(['--target', 'stubborn', '--kill-grace', '20000']);
    await rig.idle();
    await until('stubborn to run', () => rig.eventsOf('start').includes('start stubborn'));
    rig.daemon!.kill('SIGTERM');
    await until('the first SIGTERM to reach the service', () => rig.eventsOf('ignore-term').length === 1);
    const t0 = Date.now();
    rig.daemon!.kill('SIGTERM');
    expect(await rig.exited()).to.equal(0);
    expect(Date.now() - t0).to.be.lessThan(2000);
    expect(rig.err).to.include('SIGTERM again: killing every service now');
    expect(rig.leftovers()).to.deep.equal([]);
  });

  it('rc halt cancels a running change and drops the queued ones', async () => {
    rig = new DaemonRig({ slow: { type: 'longrun', ready: true }, after: { type: 'longrun', deps: ['slow'] }, other: { type: 'longrun' } });
    await rig.boot(['--target', 'after']);
    await until('slow to start', () => rig.eventsOf('start').includes('start slow'));
    const queued = rig.rc(['up', 'other']);
    await until('the up to be queued', async () => (await rig.status()).daemon.queued === 1);
    const halt = await rig.rc(['halt']);
    expect(halt.code).to.equal(0);
    expect(await rig.exited()).to.equal(0);
    const q = await queued;
    expect(q.code).to.equal(111);
    expect(q.stderr).to.include("'up other' was dropped: the daemon is shutting down");
    expect(rig.eventsOf('start')).to.not.include('start after');
    expect(rig.leftovers()).to.deep.equal([]);
  });

  it('after kill -9 mid-change, a new daemon stops what the old one left before starting: no duplicate, state converges', async () => {
    rig = new DaemonRig(STACK);
    await rig.boot();
    await until('db to start', () => rig.eventsOf('start').includes('start db'));
    const oldDb = Number(rig.eventLines().find((e) => e[0] === 'start' && e[1] === 'db')![2]);
    await rig.kill9();
    expect(alive(oldDb)).to.equal(true);
    await rig.boot();
    await until('a new db to start', () => rig.eventsOf('start').filter((e) => e === 'start db').length === 2);
    const lines = rig.eventLines();
    const stopOld = lines.findIndex((e) => e[0] === 'stop' && e[1] === 'db' && Number(e[2]) === oldDb);
    const startNew = lines.findIndex((e) => e[0] === 'start' && e[1] === 'db' && Number(e[2]) !== oldDb);
    expect(stopOld, 'the old db was stopped').to.be.greaterThan(-1);
    expect(stopOld).to.be.lessThan(startNew);
    expect(alive(oldDb)).to.equal(false);
    rig.ready('db');
    await rig.idle();
    expect(await rig.upNames()).to.deep.equal(['api', 'db', 'migrate']);
    await until('api to run', () => rig.eventsOf('start').includes('start api'));
    const puppets = rig.leftovers();
    expect(puppets).to.have.length(2);
  });

  it('after kill -9, a service waits for a longrun below a oneshot that stayed recorded up', async () => {
    rig = new DaemonRig(STACK);
    await rig.boot();
    rig.ready('db');
    await rig.idle();
    await until('api to run', () => rig.eventsOf('start').includes('start api'));
    await rig.kill9();
    rig.unflag('db', 'ready');
    await rig.boot();
    const nth = (what: string, n: number) => rig.eventLines().findIndex((e, k, all) => `${e[0]} ${e[1]}` === what && all.slice(0, k + 1).filter((x) => `${x[0]} ${x[1]}` === what).length === n);
    await until('the new db to start', () => nth('start db', 2) >= 0);
    // migrate (oneshot) is still recorded up, but db below it is not ready: api must not start yet.
    await until('api to start too early (it must not)', () => nth('start api', 2) >= 0, 1000).catch(() => undefined);
    expect(nth('start api', 2), 'api started before db was ready').to.equal(-1);
    rig.ready('db');
    await rig.idle();
    await until('api to run again', () => nth('start api', 2) >= 0);
    expect(nth('ready db', 2)).to.be.lessThan(nth('start api', 2));
    expect(rig.eventsOf('up')).to.deep.equal(['up migrate']);
  });
});
