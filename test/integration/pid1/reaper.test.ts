// The zombie reaper with real processes: as PID 1 of a PID namespace and as a child subreaper.
import { expect } from 'chai';
import { loadLibc } from '../../../lib/sys/libc.js';
import { namespaceUnavailable, runFixture } from './pid-namespace.js';

describe('pid1/reaper (real processes)', function () {
  this.timeout(30_000);
  const skipReason = namespaceUnavailable();

  it('loads libc through koffi', () => {
    const libc = loadLibc();
    expect(libc.ok, libc.ok ? '' : libc.error).to.equal(true);
  });

  describe('as PID 1 of a PID namespace', () => {
    beforeEach(function () {
      if (skipReason) {
        console.log(`      ${skipReason}`);
        this.skip();
      }
    });

    it('100 double-forked orphans of a service leave 0 zombies after 2 s', async () => {
      const r = await runFixture('reaper-harness.js', ['orphans', '100'], true);
      expect(r).to.deep.include({ mode: 'pid1', pid: 1, orphansExited: 100, reaped: 100, zombies: 0 });
    });

    it("never takes the exit status of Node's own children (50 × exit 7 while scanning every 2 ms)", async () => {
      const r = await runFixture('reaper-harness.js', ['own', '50'], true);
      expect(r).to.deep.include({ mode: 'pid1', ownZombiesSeen: 50, stolen: 0, exits: 50, allSeven: true });
    });

    it('control: a reaper that does not know its own children does steal them (Node never sees the exit)', async () => {
      const r = await runFixture('reaper-harness.js', ['own-steal', '20'], true);
      expect(r).to.deep.include({ stolen: 20, exits: 0 });
    });
  });

  describe('as a child subreaper (not PID 1)', () => {
    it('reaps the orphans of its services', async () => {
      const r = await runFixture('reaper-harness.js', ['orphans', '100'], false);
      expect(r).to.deep.include({ mode: 'subreaper', orphansExited: 100, reaped: 100, zombies: 0 });
    });

    it("leaves Node's own children to Node", async () => {
      const r = await runFixture('reaper-harness.js', ['own', '50'], false);
      expect(r).to.deep.include({ mode: 'subreaper', stolen: 0, exits: 50, allSeven: true });
    });
  });
});
