// End to end: failure propagation with the summary, per-service timeouts, the global timeout (clean cancel, exit 2).
import { expect } from 'chai';
import { DaemonRig, until } from './daemon-harness.js';

describe('e2e daemon: failures and timeouts', function () {
  this.timeout(30000);
  let rig: DaemonRig;
  afterEach(async () => rig?.cleanup());

  it('skips the dependents of a failed service, finishes independent branches, names both, exits 1', async () => {
    rig = new DaemonRig({
      broken: { type: 'oneshot' },
      app: { type: 'longrun', deps: ['broken'] },
      web: { type: 'longrun', deps: ['app'] },
      other: { type: 'longrun' },
      stack: { type: 'bundle', contents: ['web', 'other'] },
    });
    rig.flag('broken', 'fail');
    await rig.boot(['--target', 'other']);
    await rig.idle();
    const r = await rig.rc(['up', 'stack']);
    expect(r.code).to.equal(1);
    expect(r.stdout).to.include('rc: broken failed to start: command exited 1');
    expect(r.stdout).to.include('rc: 1 failed: broken (command exited 1)');
    expect(r.stdout).to.match(/rc: 2 skipped: app, web|rc: 2 skipped: web, app/);
    expect(r.stdout).to.match(/rc: change failed after/);
    expect(await rig.upNames()).to.deep.equal(['other']);
    expect(rig.eventsOf('start')).to.not.include('start app');
  });

  it('fails a longrun that is not ready within timeout-up, and stops it', async () => {
    rig = new DaemonRig({
      slow: { type: 'longrun', ready: true, timeoutUp: 300 },
      after: { type: 'longrun', deps: ['slow'] },
    });
    await rig.boot(['--target', 'slow']);
    await rig.idle();
    const boot = rig.err;
    expect(boot).to.include('rc: slow failed to start: wait for ready: timed out after 300 ms');
    await until('slow to be stopped', () => rig.eventsOf('stop').includes('stop slow'));
    const row = await rig.row('slow');
    expect(row.up).to.equal(false);
    expect(row.state).to.equal('down');
    expect(rig.leftovers()).to.deep.equal([]);
  });

  it('says when a longrun it waits for dies before it was ready, at most every few seconds; READY shows no', async () => {
    rig = new DaemonRig({ crash: { type: 'longrun', ready: true }, dep: { type: 'longrun', deps: ['crash'] } });
    rig.flag('crash', 'crash');
    await rig.boot(['--target', 'dep']);
    const note = 'rc: crash died before it was ready (exit 3); restart 1, still waiting (no timeout-up, no --timeout)\n';
    await until(`the note (stderr: ${rig.err})`, () => rig.err.includes(note));
    await until('three restarts', async () => (await rig.row('crash')).restarts >= 3);
    expect(rig.err.match(/died before it was ready/g)).to.have.length(1);
    expect((await rig.row('crash')).ready).to.equal(false);
    expect((await rig.row('dep')).ready).to.equal(null);
    const table = await rig.rc(['status', 'crash']);
    expect(table.stdout).to.match(/^crash +longrun +.* no +\d+ +exit 3$/m);
  });

  it('gives the time left in the note when the wait is bounded', async () => {
    rig = new DaemonRig({ crash: { type: 'longrun', ready: true, timeoutUp: 20000 } });
    rig.flag('crash', 'crash');
    await rig.boot(['--target', 'crash']);
    await until(`the note (stderr: ${rig.err})`, () => /rc: crash died before it was ready \(exit 3\); restart 1, still waiting \(gives up in 1\d(\.\d)? s\)\n/.test(rig.err));
  });

  it('kills a oneshot that runs past its timeout-up, with its process group', async () => {
    rig = new DaemonRig({ hang: { type: 'oneshot', timeoutUp: 300 } });
    rig.flag('hang', 'sleep', '30');
    await rig.boot(['--target', 'hang']);
    await rig.idle();
    expect(rig.err).to.include('rc: hang failed to start: timed out after 300 ms; its process group was killed');
    expect((await rig.row('hang')).up).to.equal(false);
    await until('nothing of hang left', () => rig.leftovers().length === 0);
  });

  it('cancels in-flight transitions cleanly when the global timeout expires, records exactly what finished, exits 2', async () => {
    rig = new DaemonRig({
      quick: { type: 'longrun' },
      slowinit: { type: 'oneshot', deps: ['quick'] },
      app: { type: 'longrun', deps: ['slowinit'] },
      default: { type: 'bundle', contents: ['app'] },
    });
    rig.flag('slowinit', 'sleep', '20');
    await rig.boot(['--target', 'quick']);
    await rig.idle();
    const t0 = Date.now();
    const r = await rig.rc(['change', '--timeout', '500', 'default']);
    expect(r.code).to.equal(2);
    expect(Date.now() - t0).to.be.lessThan(4000);
    expect(r.stdout).to.match(/global timeout \(500 ms\) expired: cancelling slowinit/);
    expect(r.stdout).to.match(/change timed out after/);
    // The oneshot's process group was killed; nothing of it is left; only quick is recorded up.
    expect(rig.eventsOf('up-begin')).to.deep.equal(['up-begin slowinit']);
    expect(rig.eventsOf('up')).to.deep.equal([]);
    await until('no leftover of slowinit', () => rig.leftovers().length === 1);
    expect(await rig.upNames()).to.deep.equal(['quick']);
  });
});
