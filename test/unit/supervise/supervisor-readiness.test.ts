// Supervisor readiness on a fake clock and spawner.
import { expect } from 'chai';
import { flush, harness } from './fakes.js';
import type { ReadinessProbe } from '../../../lib/db/types.js';
import type { ProbeAttempt } from '../../../lib/supervise/probes.js';

/** A probe whose answers the test scripts; counts attempts. */
function scriptedProbe(answers: boolean[]): { attempt: () => ProbeAttempt; count: () => number } {
  let n = 0;
  return {
    attempt: () => () => Promise.resolve(answers[n++] ?? false),
    count: () => n,
  };
}

const tcpProbe = (over: Partial<ReadinessProbe> = {}): ReadinessProbe =>
  ({ kind: 'tcp', host: '127.0.0.1', port: 1, intervalMs: 200, timeoutMs: 0, ...over }) as ReadinessProbe;

describe('supervise/Supervisor readiness (fake clock and spawner)', () => {
  it('notification-fd: bytes before the newline are ignored; a newline means ready', async () => {
    const { sup, spawner, clock, log } = harness({ notificationFd: 3 });
    sup.up();
    const child = spawner.last();
    expect(child.request.notificationFd).to.equal(3);
    const ready = sup.waitFor('ready', 0);
    const up = sup.waitFor('up', 0);
    expect(await up).to.deep.equal({ ok: true });
    child.notification!.write('starting...');
    await flush();
    expect(sup.status().state).to.equal('up');
    clock.advance(40);
    child.notification!.write('done\nmore');
    await flush();
    expect(await ready).to.deep.equal({ ok: true });
    expect(sup.status()).to.include({ state: 'ready', readySince: clock.wallNow() });
    expect(log.of('ready')).to.have.length(1);
  });

  it('notification-fd: EOF without a newline means never ready for this run', async () => {
    const { sup, spawner, clock, log } = harness({ notificationFd: 5 });
    sup.up();
    const ready = sup.waitFor('ready', 1000);
    spawner.last().notification!.end('no newline');
    await flush();
    expect(log.of('not-ready')[0]).to.include({ reason: 'eof' });
    expect(sup.status().state).to.equal('up');
    clock.advance(1000);
    expect(await ready).to.include({ ok: false, reason: 'timeout' });
  });

  it('a run that dies before it is ready: the wait goes on across restarts (s6)', async () => {
    const { sup, spawner, clock } = harness({ notificationFd: 3 });
    sup.up();
    const ready = sup.waitFor('ready', 0);
    spawner.last().exit(1);
    clock.advance(1000);
    spawner.last().notification!.write('\n');
    await flush();
    expect(await ready).to.deep.equal({ ok: true });
    expect(sup.status().restarts).to.equal(1);
  });

  it('readiness is per run: a restarted service is not ready until it says so again', async () => {
    const { sup, spawner, clock } = harness({ notificationFd: 3 });
    sup.up();
    spawner.last().notification!.write('\n');
    await flush();
    expect(sup.status().state).to.equal('ready');
    clock.advance(2000);
    spawner.last().exit(0);
    expect(sup.status()).to.include({ state: 'up', readySince: null });
  });

  it('probe: tried at once, then every interval; ready stops the probing', async () => {
    const probe = scriptedProbe([false, false, true]);
    const { sup, clock, log } = harness({ readiness: tcpProbe({ intervalMs: 200 }) }, { probe: probe.attempt });
    sup.up();
    const ready = sup.waitFor('ready', 0);
    await flush();
    expect(probe.count()).to.equal(1);
    clock.advance(199);
    await flush();
    expect(probe.count()).to.equal(1);
    clock.advance(1);
    await flush();
    expect(probe.count()).to.equal(2);
    clock.advance(200);
    await flush();
    expect(probe.count()).to.equal(3);
    expect(await ready).to.deep.equal({ ok: true });
    expect(log.of('ready')).to.have.length(1);
    clock.advance(10_000);
    await flush();
    expect(probe.count()).to.equal(3);
  });

  it('probe timeout: the run is never ready, an event says so, and waiters fail at once', async () => {
    const probe = scriptedProbe([]);
    const { sup, clock, log } = harness({ readiness: tcpProbe({ intervalMs: 100, timeoutMs: 1000 }) }, { probe: probe.attempt });
    sup.up();
    const ready = sup.waitFor('ready', 0);
    for (let i = 0; i < 12; i++) {
      clock.advance(100);
      await flush();
    }
    expect(log.of('not-ready')[0]).to.include({ reason: 'timeout' });
    expect(log.of('not-ready')[0]!.message).to.match(/ready-tcp 127\.0\.0\.1:1: not ready after 1000 ms/);
    const r = await ready;
    expect(r).to.include({ ok: false, reason: 'timeout' });
    const attempts = probe.count();
    clock.advance(5000);
    await flush();
    expect(probe.count()).to.equal(attempts);
    expect(sup.status().state).to.equal('up'); // still running: the engine decides
  });

  it('probing stops when the service dies', async () => {
    const probe = scriptedProbe([]);
    const { sup, spawner, clock } = harness({ readiness: tcpProbe(), restartDelay: 60_000 }, { probe: probe.attempt });
    sup.up();
    await flush();
    spawner.last().exit(1);
    const n = probe.count();
    clock.advance(10_000);
    await flush();
    expect(probe.count()).to.equal(n);
  });

  it('probe cmd runs via the spawner in the service dir', async () => {
    const { sup, spawner, clock } = harness({
      readiness: { kind: 'cmd', argv: ['check', '--quick'], intervalMs: 50, timeoutMs: 0 },
    });
    sup.up();
    await flush();
    const check = spawner.last('check');
    expect(check.request.args).to.deep.equal(['--quick']);
    expect(check.request.cwd).to.equal('/srv/svc');
    expect(check.request.env).to.include({ RC_NAME: 'svc' });
    check.exit(1);
    await flush();
    clock.advance(50);
    await flush();
    spawner.last('check').exit(0);
    await flush();
    expect(sup.status().state).to.equal('ready');
  });
});
