// The restart throttle (pure) and the Supervisor's use of it (fake clock).
import { expect } from 'chai';
import { flush, harness } from './fakes.js';
import { crashLoopDelay, restartDelay } from '../../../lib/supervise/throttle.js';

describe('supervise/throttle (pure)', () => {
  it('never ready: waits the floor after the death, however long the run lived (s6-supervise)', () => {
    expect(restartDelay({ floorMs: 1000, readyAt: null, now: 200, fastDeaths: 1 })).to.equal(1000);
    expect(restartDelay({ floorMs: 1000, readyAt: null, now: 60_000, fastDeaths: 0 })).to.equal(1000);
    expect(restartDelay({ floorMs: 3000, readyAt: null, now: 600, fastDeaths: 1 })).to.equal(3000);
  });

  it('ready: waits until the floor after readiness, at once when that is past', () => {
    expect(restartDelay({ floorMs: 1000, readyAt: 100, now: 400, fastDeaths: 1 })).to.equal(700);
    expect(restartDelay({ floorMs: 1000, readyAt: 100, now: 1100, fastDeaths: 0 })).to.equal(0);
    expect(restartDelay({ floorMs: 1000, readyAt: 100, now: 9000, fastDeaths: 0 })).to.equal(0);
  });

  it('the crash-loop guard applies only below 1 s and grows to at most 1 s', () => {
    expect([1, 2, 3, 4, 5].map(crashLoopDelay)).to.deep.equal([0, 10, 20, 40, 80]);
    expect(crashLoopDelay(50)).to.equal(1000);
    expect(restartDelay({ floorMs: 0, readyAt: null, now: 5, fastDeaths: 1 })).to.equal(0);
    expect(restartDelay({ floorMs: 0, readyAt: null, now: 5, fastDeaths: 4 })).to.equal(40);
    expect(restartDelay({ floorMs: 1000, readyAt: 0, now: 900, fastDeaths: 40 })).to.equal(100);
  });
});

describe('supervise/Supervisor restart throttle (fake clock), as s6-supervise 2.11', () => {
  it('never ready, lived < 1 s: restarts 1 s after the death', () => {
    const { sup, spawner, clock, log } = harness();
    sup.up();
    clock.advance(200);
    spawner.last().exit(1);
    expect(log.of('throttled')[0]).to.include({ delayMs: 1000 });
    expect(sup.status().state).to.equal('starting');
    clock.advance(999);
    expect(spawner.of('run')).to.have.length(1);
    clock.advance(1);
    expect(spawner.of('run')).to.have.length(2);
    expect(sup.status()).to.include({ state: 'up', restarts: 1 });
  });

  it('never ready, lived > 1 s (no readiness configured): still waits 1 s after the death', () => {
    const { sup, spawner, clock, log } = harness();
    sup.up();
    clock.advance(1500);
    spawner.last().exit(0);
    expect(log.of('throttled')[0]).to.include({ delayMs: 1000 });
    clock.advance(999);
    expect(spawner.of('run')).to.have.length(1);
    clock.advance(1);
    expect(spawner.of('run')).to.have.length(2);
  });

  it('never ready although notification-fd is set: 1 s after the death', () => {
    const { sup, spawner, clock, log } = harness({ notificationFd: 3 });
    sup.up();
    clock.advance(5000);
    spawner.last().exit(1);
    expect(log.of('throttled')[0]).to.include({ delayMs: 1000 });
  });

  it('ready, then died within 1 s of readiness: restarts 1 s after readiness', async () => {
    const { sup, spawner, clock, log } = harness({ notificationFd: 3 });
    sup.up();
    clock.advance(300);
    spawner.last().notification!.write('\n');
    await flush();
    expect(sup.status().state).to.equal('ready');
    clock.advance(400);
    spawner.last().exit(1);
    expect(log.of('throttled')[0]).to.include({ delayMs: 600 });
    clock.advance(599);
    expect(spawner.of('run')).to.have.length(1);
    clock.advance(1);
    expect(spawner.of('run')).to.have.length(2);
  });

  it('ready for more than 1 s: restarts at once', async () => {
    const { sup, spawner, clock, log } = harness({ notificationFd: 3 });
    sup.up();
    spawner.last().notification!.write('\n');
    await flush();
    clock.advance(1500);
    spawner.last().exit(0);
    expect(spawner.of('run')).to.have.length(2);
    expect(log.of('throttled')).to.have.length(0);
  });

  it('never ready: the second of two kills waits 1 s too (the issue\'s side-by-side)', () => {
    const { sup, spawner, clock, log } = harness();
    sup.up();
    clock.advance(2000);
    spawner.last().exit(null, 'SIGKILL');
    clock.advance(1000);
    expect(spawner.of('run')).to.have.length(2);
    spawner.last().exit(null, 'SIGKILL');
    expect(log.of('throttled').map((e) => e.delayMs)).to.deep.equal([1000, 1000]);
  });

  it('the throttle counts from the end of finish (a long finish adds to the wait)', () => {
    const { sup, spawner, clock, log } = harness({ hasFinish: true });
    sup.up();
    clock.advance(100);
    spawner.last().exit(1);
    clock.advance(2000);
    spawner.last('finish').exit(0);
    expect(log.of('throttled')[0]).to.include({ delayMs: 1000 });
    clock.advance(1000);
    expect(spawner.of('run')).to.have.length(2);
  });

  it('ready and a finish longer than the rest of the second: restarts at once after finish', async () => {
    const { sup, spawner, clock } = harness({ hasFinish: true, notificationFd: 3 });
    sup.up();
    spawner.last().notification!.write('\n');
    await flush();
    clock.advance(100);
    spawner.last().exit(1);
    clock.advance(2000);
    spawner.last('finish').exit(0);
    expect(spawner.of('run')).to.have.length(2);
  });

  it('an explicit up during the throttle wait starts at once', () => {
    const { sup, spawner, clock } = harness();
    sup.up();
    spawner.last().exit(1);
    expect(sup.status().state).to.equal('starting');
    sup.up();
    expect(spawner.of('run')).to.have.length(2);
    clock.advance(5000);
    expect(spawner.of('run')).to.have.length(2); // the cancelled timer does not spawn again
  });

  it('down during the throttle wait cancels the restart', () => {
    const { sup, spawner, clock } = harness();
    sup.up();
    spawner.last().exit(1);
    sup.down();
    clock.advance(5000);
    expect(spawner.of('run')).to.have.length(1);
    expect(sup.status()).to.include({ state: 'down', wantUp: false });
  });

  it('restart-delay changes the floor', () => {
    const { sup, spawner, clock } = harness({ restartDelay: 3000 });
    sup.up();
    spawner.last().exit(1);
    clock.advance(2999);
    expect(spawner.of('run')).to.have.length(1);
    clock.advance(1);
    expect(spawner.of('run')).to.have.length(2);
  });

  it('restart-delay 0 restarts at once, and a crash loop never spins (bounded restarts)', () => {
    const { sup, spawner, clock } = harness({ restartDelay: 0 });
    sup.up();
    spawner.last().exit(1);
    expect(spawner.of('run')).to.have.length(2); // the first fast death: immediately
    // Crash instantly for 20 s of fake time.
    for (let t = 0; t < 20_000; t += 5) {
      const c = spawner.last();
      if (!c.ended) c.exit(1);
      clock.advance(5);
    }
    const spawns = spawner.of('run').length;
    expect(spawns).to.be.greaterThan(20).and.lessThan(35); // ~10 quick ones, then one per second
  });

  it('a long run resets the crash-loop guard', () => {
    const { sup, spawner, clock, log } = harness({ restartDelay: 0 });
    sup.up();
    for (let i = 0; i < 6; i++) {
      spawner.last().exit(1);
      clock.advance(2000);
    }
    log.clear();
    spawner.last().exit(1); // this run lived 2 s
    expect(log.of('throttled')).to.have.length(0);
  });

  it('exec failure: event with path and errno, retried after 10 s, waiters told', async () => {
    const { sup, spawner, clock, log } = harness({ name: 'x' });
    spawner.failures.set('run', 'ENOENT');
    const up = sup.waitFor('up', 0);
    sup.up();
    expect(sup.status().state).to.equal('starting');
    await flush();
    const ev = log.of('exec-failed')[0]!;
    expect(ev).to.include({ path: '/srv/x/run', errno: 'ENOENT', retryInMs: 10_000 });
    expect(ev.message).to.match(/working directory does not exist/); // /srv/x is not there
    expect(await up).to.include({ ok: false, reason: 'exec-failed' });
    clock.advance(9999);
    expect(spawner.of('run')).to.have.length(1);
    spawner.failures.delete('run');
    clock.advance(1);
    expect(spawner.of('run')).to.have.length(2);
    expect(sup.status().state).to.equal('up');
  });

  it('an exec failure of a once (not wanted up) is reported and not retried', async () => {
    const { sup, spawner, clock, log } = harness();
    spawner.failures.set('run', 'ENOENT');
    sup.once();
    await flush();
    expect(log.of('exec-failed')[0]).to.include({ errno: 'ENOENT', retryInMs: 0 });
    clock.advance(60_000);
    expect(spawner.of('run')).to.have.length(1);
    expect(sup.status().state).to.equal('down');
  });

  it('down during the exec-retry wait stops retrying', async () => {
    const { sup, spawner, clock } = harness();
    spawner.failures.set('run', 'EACCES');
    sup.up();
    await flush();
    sup.down();
    clock.advance(60_000);
    expect(spawner.of('run')).to.have.length(1);
    expect(sup.status().state).to.equal('down');
  });
});
