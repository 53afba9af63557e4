// pid1/startPid1Duties: reaping as PID 1 or as a child subreaper, and the warnings when it cannot (libc itself is rc boot's precondition).
import { expect } from 'chai';
import { FakeClock } from '../../../lib/core/clock.js';
import { startPid1Duties } from '../../../lib/supervise/pid1-setup.js';
import { FakeLibc, FakeProc } from '../boot/fake-proc.js';

describe('pid1/startPid1Duties', () => {
  const base = (libc: FakeLibc, pid: number) => ({ isOwnChild: () => false, libc, pid, clock: new FakeClock(), procFs: new FakeProc(pid) });

  it('as PID 1 reaps without asking to be a subreaper', () => {
    const libc = new FakeLibc(new FakeProc(1));
    const duties = startPid1Duties(base(libc, 1));
    expect(duties.mode).to.equal('pid1');
    expect(duties.warnings).to.deep.equal([]);
    expect(libc.subreaper).to.equal(false);
    expect(duties.reaper?.running).to.equal(true);
    duties.reaper?.stop();
  });

  it('elsewhere becomes a child subreaper', () => {
    const libc = new FakeLibc(new FakeProc(4242));
    const duties = startPid1Duties(base(libc, 4242));
    expect(duties.mode).to.equal('subreaper');
    expect(libc.isChildSubreaper()).to.equal(true);
    duties.reaper?.stop();
  });

  it('without /proc there is nothing to scan: one warning, no reaper', () => {
    const libc = new FakeLibc(new FakeProc(1));
    const noProc = { readText: () => null, listDir: () => null };
    const duties = startPid1Duties({ ...base(libc, 1), procFs: noProc });
    expect(duties).to.deep.include({ mode: 'none', reaper: null });
    expect(duties.warnings[0]).to.match(/\/proc is not mounted/);
  });

  it('a refused prctl is one warning, and no reaper', () => {
    const libc = new FakeLibc(new FakeProc(4242));
    libc.subreaperErrno = 1;
    const duties = startPid1Duties(base(libc, 4242));
    expect(duties.mode).to.equal('none');
    expect(duties.reaper).to.equal(null);
    expect(duties.warnings).to.have.length(1);
    expect(duties.warnings[0]).to.match(/subreaper.*EPERM/);
  });
});
