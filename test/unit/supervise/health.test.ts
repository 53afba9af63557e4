// The health rule (issue 12) on a fake clock: first check at once, interval after each end, start period, retries, action.
import { expect } from 'chai';
import type { HealthCheck } from '../../../lib/db/types.js';
import { HealthMonitor, type CheckOutcome, type HealthAttempt, type HealthState } from '../../../lib/supervise/health.js';
import { FakeClock } from '../../../lib/core/clock.js';
import { flush, harness } from './fakes.js';

/** A check whose outcomes the test scripts (then `fallback` for ever); counts calls and remembers the last signal. */
function scripted(outcomes: boolean[], fallback = true) {
  let n = 0;
  let inFlight = 0;
  let maxInFlight = 0;
  const attempt: HealthAttempt = async () => {
    inFlight++;
    maxInFlight = Math.max(maxInFlight, inFlight);
    const ok = outcomes[n++] ?? fallback;
    await Promise.resolve();
    inFlight--;
    return { ok, output: ok ? 'fine' : `failure ${n}` } satisfies CheckOutcome;
  };
  return { attempt, calls: () => n, maxInFlight: () => maxInFlight };
}

const rule = (over: Partial<HealthCheck> = {}): HealthCheck =>
  ({ kind: 'cmd', argv: ['check'], intervalMs: 1000, timeoutMs: 500, retries: 3, startPeriodMs: 0, action: 'restart', ...over }) as HealthCheck;

/** Advance `ms` in steps of 100, letting each check settle. */
async function run(clock: FakeClock, ms: number): Promise<void> {
  for (let t = 0; t < ms; t += 100) {
    await flush();
    clock.advance(100);
  }
  await flush();
}

describe('supervise/health: the rule (fake clock)', () => {
  function monitor(outcomes: boolean[], over: Partial<HealthCheck> = {}, fallback = true) {
    const clock = new FakeClock();
    const check = scripted(outcomes, fallback);
    const changes: { health: HealthState; output: string; at: number }[] = [];
    const m = new HealthMonitor(rule(over), check.attempt, clock, { changed: (health, output) => changes.push({ health, output, at: clock.now() }) });
    return { clock, check, changes, m };
  }

  it('checks at once, then every interval after the previous check ended; healthy after the first success', async () => {
    const { clock, check, changes, m } = monitor([true]);
    m.start();
    await flush();
    expect(check.calls()).to.equal(1);
    expect(changes).to.deep.equal([{ health: 'healthy', output: 'fine', at: 0 }]);
    expect(m.snapshot()).to.deep.include({ health: 'healthy', checkedAt: clock.wallNow(), failures: 0 });
    await run(clock, 3000);
    expect(check.calls()).to.equal(4);
    expect(check.maxInFlight(), 'never overlaps').to.equal(1);
  });

  it('becomes unhealthy after retries consecutive failures, i.e. retries x interval after it starts failing', async () => {
    const { clock, changes, m } = monitor([true, true, false, false, false], {}, false);
    m.start();
    await run(clock, 1000);
    expect(changes.map((c) => c.health)).to.deep.equal(['healthy']);
    // Failures at 2000, 3000, 4000: unhealthy at the third, 3 x 1000 ms after the last success.
    await run(clock, 2500);
    expect(changes.map((c) => c.health)).to.deep.equal(['healthy']);
    expect(m.snapshot().failures).to.equal(2);
    await run(clock, 600);
    expect(changes.map((c) => c.health)).to.deep.equal(['healthy', 'unhealthy']);
    expect(changes[1]).to.deep.include({ output: 'failure 5', at: 4000 });
  });

  it('a success between failures resets the count; a success after unhealthy makes it healthy again', async () => {
    const { clock, changes, m } = monitor([false, false, true, false, false, false, true], { retries: 3 });
    m.start();
    await run(clock, 7000);
    expect(changes.map((c) => [c.health, c.at])).to.deep.equal([
      ['healthy', 2000],
      ['unhealthy', 5000],
      ['healthy', 6000],
    ]);
  });

  it('failures within the start period do not count; a success in it still counts', async () => {
    const { clock, changes, m } = monitor([false, false, false, false, false, false], { startPeriodMs: 2500, retries: 2 }, false);
    m.start();
    await run(clock, 2900);
    expect(changes, 'checks at 0, 1000, 2000 fall in the start period').to.deep.equal([]);
    expect(m.snapshot()).to.deep.include({ health: 'starting', failures: 0 });
    await run(clock, 1200);
    expect(changes.map((c) => [c.health, c.at])).to.deep.equal([['unhealthy', 4000]]);
    const early = monitor([true], { startPeriodMs: 10_000 });
    early.m.start();
    await flush();
    expect(early.changes.map((c) => c.health)).to.deep.equal(['healthy']);
  });

  it('stop() cancels the next check and drops the one in flight: no more changes, no timers left', async () => {
    const { clock, check, changes, m } = monitor([], {}, false);
    m.start();
    m.stop();
    await run(clock, 5000);
    expect(check.calls()).to.equal(1);
    expect(changes).to.deep.equal([]);
    expect(clock.pendingTimers()).to.equal(0);
  });
});

describe('supervise/Supervisor health checks (fake clock and spawner)', () => {
  const failing = (okFirst: number) => {
    let n = 0;
    return () => () => Promise.resolve(n++ < okFirst ? { ok: true, output: 'ok' } : { ok: false, output: `exit 1: refused ${n}` });
  };

  it('unhealthy with action restart: reported, down-signal sent, back up as a counted restart', async () => {
    const { sup, spawner, clock, log } = harness({ health: rule({ retries: 2 }) }, { healthProbe: failing(1) });
    sup.up();
    await flush();
    expect(log.of('health-changed').map((e) => e.health)).to.deep.equal(['healthy']);
    expect(sup.status()).to.include({ health: 'healthy', healthCheckedAt: clock.wallNow() });
    await run(clock, 2000);
    const unhealthy = log.of('health-changed')[1]!;
    expect(unhealthy).to.deep.include({ health: 'unhealthy', output: 'exit 1: refused 3', action: 'restart' });
    const first = spawner.children[0]!;
    expect(first.signals).to.deep.equal(['SIGTERM', 'SIGCONT']);
    first.exit(0, null);
    await run(clock, 1100);
    expect(spawner.children.filter((c) => c.program === 'run')).to.have.length(2);
    expect(sup.status()).to.include({ restarts: 1, state: 'up' });
    expect(sup.status().health, 'a new run starts over').to.not.equal('unhealthy');
  });

  it('unhealthy with action none: only reported, the process keeps running', async () => {
    const { sup, spawner, clock, log } = harness({ health: rule({ retries: 1, action: 'none' }) }, { healthProbe: failing(0) });
    sup.up();
    await run(clock, 3000);
    expect(log.of('health-changed').map((e) => [e.health, e.action])).to.deep.equal([['unhealthy', 'none']]);
    expect(spawner.children[0]!.signals).to.deep.equal([]);
    expect(sup.status()).to.include({ state: 'up', restarts: 0, health: 'unhealthy' });
  });

  it('with readiness, checks begin only once ready; waitFor healthy resolves on the first success and fails when unhealthy', async () => {
    const { sup, spawner, log } = harness({ notificationFd: 3, health: rule({ retries: 1 }) }, { healthProbe: failing(1) });
    sup.up();
    await flush();
    expect(log.of('health-changed')).to.deep.equal([]);
    expect(sup.status().health).to.equal(null);
    const healthy = sup.waitFor('healthy', 0);
    spawner.last().notification!.write('\n');
    await flush();
    expect(await healthy).to.deep.equal({ ok: true });
    const noCheck = harness({});
    noCheck.sup.up();
    expect(await noCheck.sup.waitFor('healthy', 0)).to.include({ ok: false, reason: 'unhealthy' });
  });

  it('stops checking when the service is stopped', async () => {
    let calls = 0;
    const counting = () => () => (calls++, Promise.resolve({ ok: true, output: 'ok' }));
    const { sup, spawner, clock } = harness({ health: rule() }, { healthProbe: counting });
    sup.up();
    await flush();
    sup.down();
    spawner.last().exit(0, 'SIGTERM');
    const before = calls;
    await run(clock, 5000);
    expect(calls).to.equal(before);
  });
});

describe('supervise/Supervisor ready-log (fake clock and spawner)', () => {
  it('the first output line matching the pattern (stdout or stderr) makes it ready, lines split across chunks', async () => {
    const { sup, spawner, log } = harness({ readiness: { kind: 'log', pattern: 'ready to accept \\w+', intervalMs: 200, timeoutMs: 0 } });
    sup.up();
    const ready = sup.waitFor('ready', 0);
    const child = spawner.last();
    child.stdout!.write('starting up\nready to acc');
    await flush();
    expect(sup.status().state).to.equal('up');
    child.stderr!.write('ept connections\n');
    await flush();
    expect(sup.status().state, 'the line is only whole on stderr with its first part on stdout: no match').to.equal('up');
    child.stdout!.write('ept connections\n');
    await flush();
    expect(await ready).to.deep.equal({ ok: true });
    expect(log.of('ready')).to.have.length(1);
  });

  it('ready-timeout without a matching line: not ready, and the wait fails', async () => {
    const { sup, spawner, clock, log } = harness({ readiness: { kind: 'log', pattern: '^READY$', intervalMs: 200, timeoutMs: 1000 } });
    sup.up();
    const ready = sup.waitFor('ready', 0);
    spawner.last().stdout!.write('NOT READY\n');
    await flush();
    clock.advance(1000);
    expect(await ready).to.include({ ok: false, reason: 'timeout' });
    expect(log.of('not-ready')[0]!.message).to.equal('ready-log: no output line matched /^READY$/ within 1000 ms');
  });
});
