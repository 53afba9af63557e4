// End to end (issue 10 item 5): a oneshot's up in flight when rc boot gets kill -9 keeps running; its waiter
// records how it ended, and the next daemon records it up (not run twice) or down (reported), or lets it finish.
import { expect } from 'chai';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { DaemonRig, until, type RcResult } from './daemon-harness.js';

/** The pgid the daemon journaled for NAME's up script ("oneshot up started PGID NAME"). */
function journaledPgid(rig: DaemonRig, name: string): number | null {
  const m = new RegExp(`^oneshot up started (\\d+) ${name}$`, 'm').exec(readFileSync(join(rig.live, 'pgids'), 'utf8'));
  return m ? Number(m[1]) : null;
}

/**
 * An up that writes nothing on its output (whose reader, the daemon, is dead: it would get SIGPIPE):
 * "up-begin" and "up" (or "up-fail") in the events file; held while control/once.hold exists.
 */
const SILENT_UP =
  '/bin/sh -c "c=$RC_LIVE/../control e=$RC_LIVE/../events; echo up-begin once >> $e; ' +
  'while [ -e $c/once.hold ]; do sleep 0.02; done; ' +
  'if [ -e $c/once.fail ]; then echo up-fail once >> $e; exit 1; fi; echo up once >> $e"';

describe('e2e: a oneshot in flight at kill -9 (the waiter records its outcome)', function () {
  this.timeout(60_000);
  let rig: DaemonRig;
  afterEach(async () => rig?.cleanup());

  /** Boot, start `rc up once` with its up held, kill -9 the daemon mid-run; the up's pgid. */
  async function killMidUp(fail = false): Promise<number> {
    rig = new DaemonRig({ once: { type: 'oneshot', timeoutUp: 30_000, up: SILENT_UP } });
    rig.flag('once', 'hold');
    if (fail) rig.flag('once', 'fail');
    await rig.boot();
    const up: Promise<RcResult> = rig.rc(['up', 'once']);
    await until('the up script to start', () => rig.eventsOf('up-begin').includes('up-begin once'));
    // The daemon journals the group right after the spawn returns: the script may have begun before.
    const pgid = await until('the up script journaled', () => journaledPgid(rig, 'once') ?? false);
    await rig.kill9();
    await up; // the CLI loses its daemon
    return pgid;
  }

  it('an up that completes after the daemon died is recorded up by the next daemon and not run again', async () => {
    const pgid = await killMidUp();
    rig.unflag('once', 'hold');
    await until('the waiter to record the outcome', () => existsSync(join(rig.live, 'oneshots', String(pgid))), 20_000);
    expect(rig.eventsOf('up')).to.deep.equal(['up once']);
    await rig.boot();
    expect(rig.err, rig.err).to.include('oneshot once: its up script was running when the previous daemon died and completed (exit 0): recorded up, not run again');
    expect((await rig.row('once')).up).to.equal(true);
    const again = await rig.rc(['up', 'once']);
    expect(again.code, again.stderr).to.equal(0);
    expect(rig.eventsOf('up-begin', 'up')).to.deep.equal(['up-begin once', 'up once']);
    expect(readdirSync(join(rig.live, 'oneshots')), 'records are consumed').to.deep.equal([]);
  });

  it('an up that fails after the daemon died is recorded down and reported; it runs again when asked', async () => {
    const pgid = await killMidUp(true);
    rig.unflag('once', 'hold');
    await until('the waiter to record the outcome', () => existsSync(join(rig.live, 'oneshots', String(pgid))), 20_000);
    await rig.boot();
    expect(rig.err, rig.err).to.include('oneshot once: its up script was running when the previous daemon died and failed (exit 1): recorded down (its up runs again when wanted)');
    expect((await rig.row('once')).up).to.equal(false);
    rig.unflag('once', 'fail');
    const again = await rig.rc(['up', 'once']);
    expect(again.code, again.stderr).to.equal(0);
    expect(rig.eventsOf('up-fail', 'up')).to.deep.equal(['up-fail once', 'up once']);
  });

  it('an up still running when the next daemon starts is let finish within its timeout, then recorded up', async () => {
    await killMidUp();
    const booting = rig.boot();
    await until('the recovery to wait for the script', () => rig.err.includes('oneshot script(s) running: once ('), 20_000);
    expect(rig.eventsOf('up')).to.deep.equal([]);
    rig.unflag('once', 'hold');
    await booting;
    expect(rig.err, rig.err).to.include('oneshot once: its up script was running when the previous daemon died and completed (exit 0): recorded up, not run again');
    expect((await rig.row('once')).up).to.equal(true);
    expect(rig.eventsOf('up')).to.deep.equal(['up once']);
    expect(rig.leftovers()).to.deep.equal([]);
  });
});
