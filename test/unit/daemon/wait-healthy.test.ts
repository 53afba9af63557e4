// rc wait --healthy for one supervisor (fake clock and spawner): through starts and deaths; a verdict, a give-up or no check ends it.
import { expect } from 'chai';
import type { HealthCheck } from '../../../lib/db/types.js';
import { waitHealthy } from '../../../lib/daemon/wait-healthy.js';
import type { CheckOutcome } from '../../../lib/supervise/health.js';
import type { WaitResult } from '../../../lib/supervise/types.js';
import { flush, harness } from '../supervise/fakes.js';

const rule = (over: Partial<HealthCheck> = {}): HealthCheck =>
  ({ kind: 'cmd', argv: ['check'], intervalMs: 1000, timeoutMs: 500, retries: 2, startPeriodMs: 0, action: 'restart', ...over }) as HealthCheck;

/** A probe whose outcomes the test sets: `pass` decides every check from now on. */
function switchable(first: boolean) {
  const s = { pass: first, calls: 0 };
  const probe = () => (): Promise<CheckOutcome> => (s.calls++, Promise.resolve(s.pass ? { ok: true, output: 'ok' } : { ok: false, output: 'exit 1: connection refused' }));
  return { s, probe };
}

/** Start waiting; `settled()` tells whether it ended. */
function track(p: Promise<WaitResult>) {
  let done: WaitResult | null = null;
  void p.then((r) => (done = r));
  return { result: p, settled: () => done !== null };
}

/** Advance the fake clock `ms` in steps of 100, letting checks and restarts settle. */
async function run(clock: { advance(ms: number): void }, ms: number): Promise<void> {
  for (let t = 0; t < ms; t += 100) {
    await flush();
    clock.advance(100);
  }
  await flush();
}

describe('daemon/waitHealthy (rc wait --healthy, one longrun)', () => {
  const never = new AbortController().signal;

  it('waits while the service is down, then for the first passed check of its run', async () => {
    const check = switchable(false);
    const { sup, clock } = harness({ health: rule({ startPeriodMs: 60_000 }) }, { healthProbe: check.probe });
    const w = track(waitHealthy(sup, never));
    await run(clock, 500);
    expect(w.settled(), 'down: not yet').to.equal(false);
    sup.up();
    await run(clock, 3000);
    expect(check.s.calls).to.be.greaterThan(1);
    expect(w.settled(), 'failures in the start period: not yet').to.equal(false);
    check.s.pass = true;
    await run(clock, 1000);
    expect(await w.result).to.deep.equal({ ok: true });
  });

  it('an unhealthy verdict ends it, although health-action restart brings a new run', async () => {
    const check = switchable(false);
    const { sup, clock, spawner } = harness({ health: rule() }, { healthProbe: check.probe });
    sup.up();
    const w = track(waitHealthy(sup, never));
    await run(clock, 1500);
    expect(await w.result).to.deep.equal({ ok: false, reason: 'unhealthy', message: 'svc: it turned unhealthy (exit 1: connection refused)' });
    expect(spawner.last().signals, 'the restart had begun').to.include('SIGTERM');
  });

  it('an unhealthy service with health-action none ends it at once', async () => {
    const check = switchable(false);
    const { sup, clock } = harness({ health: rule({ action: 'none', retries: 1 }) }, { healthProbe: check.probe });
    sup.up();
    await run(clock, 200);
    expect(sup.status().health).to.equal('unhealthy');
    expect(await waitHealthy(sup, never)).to.include({ ok: false, reason: 'unhealthy' });
  });

  it('a run that dies before any verdict is waited through: the next run is judged', async () => {
    const check = switchable(false);
    const { sup, clock, spawner } = harness({ health: rule({ startPeriodMs: 60_000 }) }, { healthProbe: check.probe });
    sup.up();
    const w = track(waitHealthy(sup, never));
    await run(clock, 300);
    spawner.last().exit(1);
    await run(clock, 1500);
    expect(spawner.of('run'), 'restarted').to.have.length(2);
    expect(w.settled()).to.equal(false);
    check.s.pass = true;
    await run(clock, 1500);
    expect(await w.result).to.deep.equal({ ok: true });
    expect(sup.status()).to.include({ restarts: 1, health: 'healthy' });
  });

  it('a permanent failure (finish exits 125) ends it with its reason', async () => {
    const check = switchable(false);
    const { sup, clock, spawner } = harness({ hasFinish: true, health: rule({ startPeriodMs: 60_000 }) }, { healthProbe: check.probe });
    sup.up();
    const w = track(waitHealthy(sup, never));
    await run(clock, 300);
    spawner.last().exit(1);
    await flush();
    spawner.last('finish').exit(125);
    await run(clock, 200);
    const r = await w.result;
    expect(r).to.include({ ok: false, reason: 'permanent-failure' });
  });

  it('a run up without a check (removed by rc update) ends it at once instead of looping', async () => {
    const { sup } = harness({});
    sup.up();
    await flush();
    expect(await waitHealthy(sup, never)).to.deep.equal({ ok: false, reason: 'unhealthy', message: 'svc: it has no health check' });
  });

  it('the caller going away (abort) ends it as aborted', async () => {
    const { sup } = harness({ health: rule() });
    const abort = new AbortController();
    const w = waitHealthy(sup, abort.signal);
    abort.abort();
    expect(await w).to.include({ ok: false, reason: 'aborted' });
  });
});
