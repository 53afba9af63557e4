// Supervisor lifecycle on a fake clock and spawner.
import { expect } from 'chai';
import { flush, harness } from './fakes.js';

describe('supervise/Supervisor lifecycle (fake clock and spawner)', () => {
  it('up spawns ./run NAME in the service dir, own session, env + RC_NAME, stdin /dev/null', () => {
    const { sup, spawner, log } = harness({ name: 'web' });
    sup.up();
    const child = spawner.last('run');
    expect(child.request.file).to.equal('/srv/web/run');
    expect(child.request.argv0).to.equal('run');
    expect(child.request.args).to.deep.equal(['web']);
    expect(child.request.cwd).to.equal('/srv/web');
    expect(child.request.env).to.include({ RC_NAME: 'web', PATH: '/usr/bin:/bin', HOME: '/root' });
    expect(child.request.stdio).to.deep.equal({ stdin: 'ignore', stdout: 'sink', stderr: 'sink' });
    expect(log.types()).to.deep.equal(['wanted', 'spawned']);
    expect(sup.status()).to.include({ state: 'up', pid: child.pid, pgid: child.pid, wantUp: true, restarts: 0 });
  });

  it('passes the stdio routing it was given (pipeline fds)', () => {
    const { sup, spawner } = harness({}, { stdio: { stdin: 7, stdout: 8, stderr: 'sink' } });
    sup.up();
    expect(spawner.last().request.stdio).to.deep.equal({ stdin: 7, stdout: 8, stderr: 'sink' });
  });

  it('waitFor up and ready resolve once spawned when no readiness is configured', async () => {
    const { sup } = harness();
    const up = sup.waitFor('up', 1000);
    const ready = sup.waitFor('ready', 1000);
    sup.up();
    expect(await up).to.deep.equal({ ok: true });
    expect(await ready).to.deep.equal({ ok: true });
    expect(sup.status().state).to.equal('up');
  });

  it('down sends the down-signal then SIGCONT to the main pid, then kills the leftover group', async () => {
    const { sup, spawner, log } = harness({ downSignal: 'SIGHUP' });
    sup.up();
    const child = spawner.last();
    spawner.leftovers.add(child.pid!);
    const down = sup.waitFor('down', 0);
    log.clear();
    sup.down();
    expect(child.signals).to.deep.equal(['SIGHUP', 'SIGCONT']);
    expect(sup.status().state).to.equal('stopping');
    child.exit(null, 'SIGHUP');
    expect(spawner.groupKills).to.deep.include({ pgid: child.pid, signal: 'SIGKILL' });
    expect(log.types()).to.deep.equal(['wanted', 'stopping', 'exited', 'leftovers-killed', 'down']);
    expect(await down).to.deep.equal({ ok: true });
    expect(sup.status()).to.include({ state: 'down', pid: null, wantUp: false, deathTally: 1 });
    expect(sup.status().lastExit).to.deep.equal({ code: null, signal: 'SIGHUP' });
  });

  it('timeout-kill: SIGKILL to the whole process group after t ms, then every 5 s', () => {
    const { sup, spawner, clock, log } = harness({ timeoutKill: 300 });
    sup.up();
    const child = spawner.last();
    sup.down();
    clock.advance(299);
    expect(spawner.groupKills).to.deep.equal([]);
    clock.advance(1);
    expect(spawner.groupKills).to.deep.equal([{ pgid: child.pid, signal: 'SIGKILL' }]);
    clock.advance(5000);
    expect(spawner.groupKills).to.have.length(2);
    expect(log.of('kill-escalated')).to.have.length(2);
    child.exit(null, 'SIGKILL');
    clock.advance(20_000);
    expect(spawner.groupKills).to.have.length(3); // the leftover sweep only
    expect(sup.status().state).to.equal('down');
  });

  it('without timeout-kill a service that ignores the down-signal is never killed', () => {
    const { sup, spawner, clock } = harness();
    sup.up();
    sup.down();
    clock.advance(60_000);
    expect(spawner.groupKills).to.deep.equal([]);
    expect(sup.status().state).to.equal('stopping');
  });

  it('finish runs with (EXITCODE SIGNAL NAME) in the service dir; 256 and the signal number when killed', () => {
    const { sup, spawner, log } = harness({ name: 'db', hasFinish: true });
    sup.up();
    spawner.last().exit(3);
    const f1 = spawner.last('finish');
    expect(f1.request.args).to.deep.equal(['3', '0', 'db']);
    expect(f1.request.argv0).to.equal('finish');
    expect(f1.request.cwd).to.equal('/srv/db');
    expect(f1.request.env).to.include({ RC_NAME: 'db' });
    expect(sup.status().state).to.equal('finishing');
    f1.exit(0);
    expect(sup.status().state).to.equal('starting'); // throttled restart
    sup.up();
    spawner.last().exit(null, 'SIGTERM');
    expect(spawner.last('finish').request.args).to.deep.equal(['256', '15', 'db']);
    expect(log.types()).to.include.members(['finish-started', 'finish-done']);
  });

  it('finish exiting 125 is a permanent failure: status failed, not restarted, waiters told', async () => {
    const { sup, spawner, clock, log } = harness({ hasFinish: true });
    sup.up();
    const ready = sup.waitFor('ready', 0);
    spawner.last().exit(1);
    const upAgain = sup.waitFor('up', 0); // starts while the service is dying
    spawner.last('finish').exit(125);
    expect(sup.status()).to.include({ state: 'failed', wantUp: false });
    expect(log.types().slice(-4)).to.deep.equal(['finish-done', 'wanted', 'permanent-failure', 'down']);
    clock.advance(60_000);
    expect(spawner.of('run')).to.have.length(1);
    expect(await upAgain).to.include({ ok: false, reason: 'permanent-failure' });
    expect(await ready).to.deep.equal({ ok: true }); // it had been up already
    expect(await sup.waitFor('up', 0)).to.include({ ok: false, reason: 'permanent-failure' });
    sup.up(); // an explicit up clears it
    expect(sup.status().state).to.equal('up');
  });

  it('timeout-finish: finish gets SIGKILL on its group after the limit (default 5000 ms)', () => {
    const { sup, spawner, clock, log } = harness({ hasFinish: true });
    sup.up();
    spawner.last().exit(0);
    const finish = spawner.last('finish');
    clock.advance(4999);
    expect(log.of('finish-timeout')).to.have.length(0);
    clock.advance(1);
    expect(log.of('finish-timeout')).to.have.length(1);
    expect(spawner.groupKills).to.deep.include({ pgid: finish.pid, signal: 'SIGKILL' });
    finish.exit(null, 'SIGKILL');
    expect(sup.status().state).to.not.equal('finishing');
  });

  it('a finish that cannot be executed is reported and the service still goes down', async () => {
    const { sup, spawner, log } = harness({ hasFinish: true });
    spawner.failures.set('finish', 'EACCES');
    sup.up();
    sup.down();
    spawner.last().exit(0);
    await flush();
    expect(log.of('finish-failed')[0]).to.include({ path: '/srv/svc/finish', errno: 'EACCES' });
    expect(sup.status().state).to.equal('down');
  });

  it('records deaths in a tally capped at max-death-tally; 0 disables it', () => {
    const { sup, spawner, clock } = harness({ maxDeathTally: 3 });
    sup.up();
    for (let i = 0; i < 5; i++) {
      spawner.last().exit(i);
      clock.advance(1000);
    }
    expect(sup.status().deathTally).to.equal(3);
    expect(sup.deaths().map((d) => d.exitCode)).to.deep.equal([2, 3, 4]);
    const off = harness({ maxDeathTally: 0 });
    off.sup.up();
    off.spawner.last().exit(1);
    expect(off.sup.status().deathTally).to.equal(0);
  });

  it('exit() stops the service, resolves when it is down, and ignores later commands', async () => {
    const { sup, spawner, log } = harness();
    sup.up();
    const done = sup.exit();
    spawner.last().exit(0);
    await done;
    expect(log.types().slice(-2)).to.deep.equal(['down', 'supervisor-exited']);
    sup.up();
    expect(spawner.of('run')).to.have.length(1);
    expect(await sup.waitFor('down', 0)).to.deep.equal({ ok: true });
    expect(await sup.waitFor('up', 0)).to.include({ ok: false, reason: 'aborted' });
  });

  it('a command given from an event handler wins (no double spawn)', () => {
    let upAgain = true;
    const h = harness({}, {
      onEvent: (e) => {
        if (e.type === 'down' && upAgain) {
          upAgain = false;
          h.sup.up(); // explicit up: at once, the throttle does not apply
        }
      },
    });
    h.sup.up();
    h.sup.restart();
    h.spawner.last().exit(0);
    expect(h.spawner.of('run')).to.have.length(2);
    h.clock.advance(10_000);
    expect(h.spawner.of('run')).to.have.length(2);
    expect(h.sup.status().state).to.equal('up');
  });

  it('exit() on a service that was never started resolves at once', async () => {
    const { sup, log } = harness();
    await sup.exit();
    expect(log.types()).to.deep.equal(['supervisor-exited']);
  });
});
