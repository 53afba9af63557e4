// Supervisor restart throttle and a puppet service, with real processes.
import { expect } from 'chai';
import { readFileSync } from 'node:fs';
import { tempDir } from '../../helpers/paths.js';
import { parseProcStat } from '../../../lib/sys/proc-stat.js';
import { alive, fixture, groupGone, PuppetServer, Rig, serviceDir } from './helpers.js';

describe('supervise/Supervisor throttle and a puppet service (real processes)', function () {
  this.timeout(20_000);
  let tmp: { path: string; cleanup: () => void };
  let rig: Rig;
  beforeEach(() => {
    tmp = tempDir('rc-svt-');
    rig = new Rig();
  });
  afterEach(async () => {
    await rig.cleanup();
    tmp.cleanup();
  });

  it('a crash loop restarts at most once per second (s6 throttle)', async () => {
    const dir = serviceDir(tmp.path, 'crash', 'exit 1');
    const sup = rig.supervisor(dir, { name: 'crash' });
    sup.up();
    while (rig.events.of('spawned').length < 3) await rig.events.next('spawned');
    const at = rig.events.of('spawned').map((e) => e.at);
    expect(at[1]! - at[0]!).to.be.within(990, 1300);
    expect(at[2]! - at[1]!).to.be.within(990, 1300);
    expect(rig.events.of('throttled')[0]!.delayMs).to.be.within(700, 1000);
    expect(sup.status().deathTally).to.be.at.least(2);
  });

  it('restart-delay 0: a crash loop is bounded by the guard and never spins a core', async () => {
    const dir = serviceDir(tmp.path, 'fastcrash', 'exit 1');
    const sup = rig.supervisor(dir, { name: 'fastcrash', restartDelay: 0 });
    const cpu0 = process.cpuUsage();
    const t0 = performance.now();
    sup.up();
    while (performance.now() - t0 < 1500) await rig.events.next('spawned', 3000);
    sup.down();
    const spawns = rig.events.of('spawned').length;
    expect(spawns).to.be.within(4, 16);
    const cpu = process.cpuUsage(cpu0);
    expect((cpu.user + cpu.system) / 1000).to.be.below(1500); // well under one core for 1.5 s
  });

  it('restart-delay 0: a killed service is back within milliseconds', async () => {
    const dir = serviceDir(tmp.path, 'quick', 'exec sleep 1000');
    const sup = rig.supervisor(dir, { name: 'quick', restartDelay: 0 });
    sup.up();
    const pid = sup.status().pid!;
    process.kill(pid, 'SIGKILL');
    const ev = await rig.events.next('spawned');
    // No restart wait is the fake-clock unit test's (supervisor-throttle.test.ts); here: the one restart.
    expect(ev.pid).to.not.equal(pid);
    expect(sup.status()).to.include({ restarts: 1, state: 'up' });
  });

  it('puppet: readiness via fd, signals to the pid, SIGSTOP/down with SIGCONT, leftovers, exit codes', async () => {
    const puppet = new PuppetServer(tmp.path);
    await puppet.listen();
    const dir = serviceDir(tmp.path, 'pup', `exec node ${fixture('puppet.mjs')} "$@"`);
    const sup = rig.supervisor(dir, { name: 'pup', notificationFd: 3, hasFinish: false }, { env: { ...process.env, PUPPET_SOCK: puppet.path } });
    sup.up();
    const hello = await puppet.expect(/^hello /);
    expect(hello).to.equal(`hello ${sup.status().pid} pup`);
    expect(sup.status().state).to.equal('up');
    puppet.send('ready');
    expect(await sup.waitFor('ready', 5000)).to.deep.equal({ ok: true });

    puppet.send('trap SIGHUP');
    await puppet.expect(/^trapped SIGHUP/);
    sup.signal('SIGHUP');
    await puppet.expect(/^signal SIGHUP$/);

    puppet.send('out hello world');
    expect(await rig.sink.line(/hello world/)).to.include({ service: 'pup', stream: 'stdout' });

    puppet.send('fork');
    const child = Number((await puppet.expect(/^child /)).split(' ')[1]);
    const pid = sup.status().pid!;
    sup.signal('SIGSTOP');
    expect(sup.status().paused).to.equal(true);
    const stopped = async (): Promise<string> => {
      for (;;) {
        const st = parseProcStat(readFileSync(`/proc/${pid}/stat`, 'utf8'))!.state;
        if (st === 'T') return st;
        await new Promise((r) => setTimeout(r, 10));
      }
    };
    expect(await stopped()).to.equal('T');
    sup.down(); // SIGTERM then SIGCONT: a stopped process still dies
    expect(await sup.waitFor('down', 5000)).to.deep.equal({ ok: true });
    expect(rig.events.of('exited')[0]).to.include({ signal: 'SIGTERM' });
    expect(await groupGone(pid)).to.deep.equal([]);
    expect(alive(child)).to.equal(false);

    sup.up();
    await puppet.expect(/^hello /);
    puppet.send('exit 4');
    const ev = await rig.events.next('exited');
    expect(ev).to.include({ code: 4, signal: null });
    puppet.close();
  });
});
