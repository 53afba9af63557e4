// e2e: what rc boot says about services (deaths, restarts, give-ups, halts and their origin, what is wanted), plain and JSON.
import { expect } from 'chai';
import { rcBin } from '../helpers/paths.js';
import { DaemonRig, until } from './daemon-harness.js';
import { runRc } from './harness.js';

describe('e2e daemon: every event reaches the user', function () {
  this.timeout(30000);
  let rig: DaemonRig | undefined;
  afterEach(async () => rig?.cleanup());

  it('says when a longrun dies, and when and how it comes back (throttled)', async () => {
    rig = new DaemonRig({ crash: { type: 'longrun' } });
    rig.flag('crash', 'crash');
    await rig.boot(['--target', 'crash']);
    await until(`two restarts (stderr: ${rig.err})`, () => (rig!.err.match(/rc: crash restarted \(pid \d+\)\n/g) ?? []).length >= 2);
    expect(rig.err).to.include('rc: now wanted (change crash): up crash\n');
    expect(rig.err).to.include('rc: crash died (exit code 3)\n');
    expect(rig.err).to.match(/rc: crash will restart in \d+ ms \(restart throttle\)\n/);
    // In that order: the death, the delay, the restart.
    const died = rig.err.indexOf('crash died');
    expect(died).to.be.below(rig.err.indexOf('crash will restart'));
    expect(rig.err.indexOf('crash will restart')).to.be.below(rig.err.indexOf('crash restarted'));
  });

  it('says when a longrun gives up (finish exit 125), and names who asked for a halt and its code', async () => {
    rig = new DaemonRig({ quitter: { type: 'longrun', run: 'exit 1', finish: 'exit 125' }, fine: { type: 'longrun' } });
    await rig.boot(['--target', 'quitter', 'fine']);
    await until(`the give-up (stderr: ${rig.err})`, () => rig!.err.includes('rc: quitter gave up: finish exited 125 (permanent failure); it stays down until asked up again\n'));
    const halt = await rig.rc(['halt', '--code', '9']);
    expect(halt.code).to.equal(0);
    expect(await rig.exited()).to.equal(9);
    expect(rig.err).to.match(/rc: halt requested by rc halt \(pid \d+\), exit code 9\nrc: shutting down: stopping every service\n/);
    expect(rig.err).to.include('rc: every service is down; exiting with code 9\n');
  });

  it('names the service whose finish script ran rc halt', async () => {
    rig = new DaemonRig({ last: { type: 'longrun', run: 'exit 4', finish: 'exec $RC_BIN halt --code 4' } });
    await rig.boot(['--target', 'last']);
    expect(await rig.exited()).to.equal(4);
    expect(rig.err).to.match(/rc: halt requested by rc halt from the service last \(pid \d+\), exit code 4\n/);
  });

  it('with --log-format json, every line rc boot writes on stdout and stderr is one JSON object', async () => {
    rig = new DaemonRig({ crash: { type: 'longrun' }, fine: { type: 'longrun' } });
    rig.flag('crash', 'crash');
    await rig.boot(['--target', 'crash', 'fine', '--log-format', 'json', '--log-timestamps']);
    await until('a restart', () => rig!.err.includes('"type":"spawned"'));
    expect((await rig.rc(['halt'])).code).to.equal(0);
    expect(await rig.exited()).to.equal(0);
    const lines = (rig.err + rig.out).split('\n').filter((l) => l !== '');
    const objects = lines.map((l) => JSON.parse(l) as Record<string, unknown>);
    const rc = objects.filter((o) => o['source'] === 'rc');
    expect(rc.map((o) => (o['event'] as { type: string }).type)).to.include.members(['wanted-changed', 'service-started', 'exited', 'throttled', 'halt-requested', 'daemon-exiting']);
    for (const o of rc) expect(o['time']).to.match(/^\d{4}-\d\d-\d\dT/);
    const death = rc.find((o) => (o['event'] as { type: string }).type === 'exited')!;
    expect(death).to.deep.include({ level: 'warning', line: 'crash died (exit code 3)' });
  });

  it('rc wait started before the daemon waits for its socket within --timeout', async () => {
    rig = new DaemonRig({ db: { type: 'longrun' } });
    const waiting = rig.rc(['wait', '--timeout', '15000', 'db']);
    await new Promise((r) => setTimeout(r, 300));
    await rig.boot(['--target', 'db']);
    const r = await waiting;
    expect(r.code, r.stderr).to.equal(0);
    // No daemon at all: exit 2 at the end of the timeout, not 111 at once.
    const t0 = Date.now();
    const none = await runRc(rcBin, ['wait', '--timeout', '400', 'db', '--live', `${rig.live}-none`]);
    expect(none.code).to.equal(2);
    expect(Date.now() - t0).to.be.at.least(350);
    expect(none.stderr).to.include('timed out after 400 ms waiting for an rc daemon on');
  });
});
