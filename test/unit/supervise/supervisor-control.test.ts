// Supervisor control letters (s6-svc) on a fake clock and spawner.
import { expect } from 'chai';
import { harness } from './fakes.js';
import { applySvcLetter, SVC_LETTERS } from '../../../lib/supervise/svc-letters.js';

describe('supervise/Supervisor control letters (fake clock and spawner)', () => {
  it('once (o) starts the service and does not restart it after it dies', () => {
    const { sup, spawner, clock } = harness();
    sup.once();
    expect(sup.status()).to.include({ state: 'up', wantUp: false });
    spawner.last().exit(0);
    clock.advance(10_000);
    expect(spawner.of('run')).to.have.length(1);
    expect(sup.status().state).to.equal('down');
  });

  it('o on a running service only clears "want up"', () => {
    const { sup, spawner } = harness();
    sup.up();
    sup.once();
    expect(spawner.last().signals).to.deep.equal([]);
    expect(sup.status()).to.include({ state: 'up', wantUp: false });
  });

  it('restart (r) sends the down-signal and the service comes back, counted as a restart', async () => {
    const { sup, spawner, clock } = harness({ downSignal: 'SIGUSR1' });
    sup.up();
    clock.advance(5000);
    const first = spawner.last();
    sup.restart();
    expect(first.signals).to.deep.equal(['SIGUSR1', 'SIGCONT']);
    expect(sup.status()).to.include({ state: 'stopping', wantUp: true });
    const back = sup.waitFor('up', 0);
    first.exit(0);
    // Never ready (no notification-fd): s6-supervise's throttle, 1 s after the death.
    expect(spawner.last()).to.equal(first);
    clock.advance(1000);
    expect(await back).to.deep.equal({ ok: true });
    expect(spawner.last()).to.not.equal(first);
    expect(sup.status().restarts).to.equal(1);
  });

  it('signals go to the main pid only while it runs; p and c track "paused"', () => {
    const { sup, spawner, log } = harness();
    sup.signal('SIGHUP');
    expect(log.of('signalled')).to.have.length(0);
    sup.up();
    const child = spawner.last();
    for (const l of 'abqhti12y') expect(applySvcLetter(sup, l)).to.equal(true);
    expect(child.signals).to.deep.equal([
      'SIGALRM', 'SIGABRT', 'SIGQUIT', 'SIGHUP', 'SIGTERM', 'SIGINT', 'SIGUSR1', 'SIGUSR2', 'SIGWINCH',
    ]);
    applySvcLetter(sup, 'p');
    expect(sup.status().paused).to.equal(true);
    applySvcLetter(sup, 'c');
    expect(sup.status().paused).to.equal(false);
    applySvcLetter(sup, 'k');
    expect(child.signals[child.signals.length - 1]).to.equal('SIGKILL');
    expect(spawner.groupKills).to.deep.equal([]); // signals are for the pid, not the group
  });

  it('letters u d o r x are understood; unknown letters are refused', () => {
    const { sup, spawner } = harness();
    expect(SVC_LETTERS.split('').sort().join('')).to.equal('12abcdhikopqrtuxy');
    expect(applySvcLetter(sup, 'u')).to.equal(true);
    expect(sup.status().state).to.equal('up');
    expect(applySvcLetter(sup, 'd')).to.equal(true);
    expect(spawner.last().signals).to.deep.equal(['SIGTERM', 'SIGCONT']);
    expect(applySvcLetter(sup, 'Z')).to.equal(false);
  });

  it('status moves through down, starting, up, stopping, finishing, down', () => {
    const { sup, spawner, clock } = harness({ hasFinish: true });
    const seen = [sup.status().state];
    sup.up();
    seen.push(sup.status().state);
    sup.down();
    seen.push(sup.status().state);
    spawner.last().exit(0);
    seen.push(sup.status().state);
    spawner.last('finish').exit(0);
    seen.push(sup.status().state);
    sup.up();
    spawner.last().exit(1);
    spawner.last('finish').exit(0);
    seen.push(sup.status().state);
    clock.advance(1000);
    seen.push(sup.status().state);
    expect(seen).to.deep.equal(['down', 'up', 'stopping', 'finishing', 'down', 'starting', 'up']);
  });

  it('waitFor times out and can be aborted', async () => {
    const { sup, clock } = harness();
    const t = sup.waitFor('up', 500);
    clock.advance(500);
    expect(await t).to.include({ ok: false, reason: 'timeout' });
    const ac = new AbortController();
    const a = sup.waitFor('up', 0, ac.signal);
    ac.abort();
    expect(await a).to.include({ ok: false, reason: 'aborted' });
    expect(await sup.waitFor('down', 10)).to.deep.equal({ ok: true });
  });

  it('status is a plain snapshot', () => {
    const { sup, clock } = harness({ name: 'snap' });
    const s = sup.status();
    expect(s).to.deep.equal({
      name: 'snap', state: 'down', pid: null, pgid: null, since: clock.wallNow(), readySince: null,
      lastExit: null, restarts: 0, wantUp: false, deathTally: 0, paused: false, health: null, healthCheckedAt: null,
    });
    expect(JSON.parse(JSON.stringify(s))).to.deep.equal(s);
  });
});
