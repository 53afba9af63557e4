// End to end: requests are queued and served in order, never refused; status answers during a transition.
import { expect } from 'chai';
import { DaemonRig, until, type RcResult } from './daemon-harness.js';

describe('e2e daemon: request queue', function () {
  this.timeout(40000);
  let rig: DaemonRig;
  afterEach(async () => rig?.cleanup());

  beforeEach(async () => {
    rig = new DaemonRig({
      gate: { type: 'oneshot' },
      a: { type: 'longrun' },
      b: { type: 'longrun' },
      lvA: { type: 'bundle', contents: ['a'] },
      lvB: { type: 'bundle', contents: ['b'] },
    });
    // The gate oneshot runs until the test lets it end (no race against a fixed sleep).
    rig.flag('gate', 'hold');
    await rig.boot(['--target', 'a']);
    await rig.idle();
  });

  it('serves ten concurrent rc change clients in arrival order; the final state is the last request', async () => {
    const gate = rig.rc(['up', 'gate']);
    await until('the gate to run', () => rig.eventsOf('up-begin').includes('up-begin gate'));
    const clients: Promise<RcResult>[] = [];
    for (let k = 1; k <= 10; k++) {
      clients.push(rig.rc(['change', k % 2 === 1 ? 'lvA' : 'lvB']));
      await until(`client ${k} to be queued`, async () => (await rig.status()).daemon.queued === k);
    }
    // Status is answered at once while the daemon is busy.
    const t0 = Date.now();
    const st = await rig.rc(['status']);
    expect(Date.now() - t0).to.be.lessThan(1500);
    expect(st.stdout).to.match(/^busy: up gate for [\d.]+ s \(\+10 queued\)/);
    rig.unflag('gate', 'hold');
    expect((await gate).code).to.equal(0);
    const results = await Promise.all(clients);
    results.forEach((r, k) => {
      expect(r.code, r.stderr).to.equal(0);
      expect(r.stderr).to.include("rc: waiting: the daemon is busy with 'up gate'");
      expect(r.stdout, `client ${k + 1}`).to.match(/rc: change done in/);
    });
    expect(await rig.upNames()).to.deep.equal(['b']);
    // Each change ran against the state the previous one left: in order, one at a time.
    expect(results[0]!.stdout).to.match(/: 1 stopped\n/);
    for (const r of results.slice(1)) expect(r.stdout).to.match(/: 1 started, 1 stopped\n/);
  });

  it('fails at once with --no-wait while another transition runs', async () => {
    const gate = rig.rc(['up', 'gate']);
    await until('the gate to run', () => rig.eventsOf('up-begin').includes('up-begin gate'));
    const r = await rig.rc(['change', '--no-wait', 'lvB']);
    expect(r.code).to.equal(111);
    expect(r.stderr).to.include("rc: the daemon is busy with 'up gate'");
    rig.unflag('gate', 'hold');
    expect((await gate).code).to.equal(0);
    expect(await rig.upNames()).to.deep.equal(['a', 'gate']);
  });
});
