// pid1/Reaper: reaping zombie orphans (never Node's own children) on a fake /proc and timer.
import { expect } from 'chai';
import { EventEmitter } from 'node:events';
import { FakeClock } from '../../../lib/core/clock.js';
import { decodeWaitStatus } from '../../../lib/sys/libc.js';
import { Reaper } from '../../../lib/supervise/reaper.js';
import { FakeLibc, FakeProc } from '../boot/fake-proc.js';

function rig(opts: { own?: number[]; signals?: boolean; intervalMs?: number } = {}) {
  const proc = new FakeProc(100);
  const libc = new FakeLibc(proc, 3);
  const clock = new FakeClock();
  const reaped: [number, number | null][] = [];
  const emitter = new EventEmitter();
  const own = new Set(opts.own ?? []);
  const reaper = new Reaper({
    isOwnChild: (pid) => own.has(pid),
    onReaped: (pid, status) => reaped.push([pid, status.code]),
    libc,
    clock,
    procFs: proc,
    pid: 100,
    intervalMs: opts.intervalMs,
    signals: opts.signals ? emitter : undefined,
  });
  return { proc, libc, clock, reaped, emitter, reaper };
}

describe('pid1/Reaper', () => {
  it('reaps zombie orphans and reports their status', () => {
    const { proc, reaper, reaped } = rig();
    proc.add(201, 'Z').add(202, 'Z', { tid: 101 }).add(203, 'S');
    expect(reaper.reapNow()).to.equal(2);
    expect(reaped).to.deep.equal([[201, 3], [202, 3]]);
    expect([...proc.procs.keys()]).to.deep.equal([203]);
  });

  it("never waits for Node's own children, zombie or not", () => {
    const { proc, reaper, libc } = rig({ own: [201, 202] });
    proc.add(201, 'Z').add(202, 'S').add(203, 'Z');
    expect(reaper.reapNow()).to.equal(1);
    expect(libc.waited).to.deep.equal([203]);
    expect(proc.procs.has(201)).to.equal(true);
  });

  it('never calls waitpid on a running child (only zombies are waited for)', () => {
    const { proc, reaper, libc } = rig();
    proc.add(201, 'S').add(202, 'R').add(203, 'D');
    expect(reaper.reapNow()).to.equal(0);
    expect(libc.waited).to.deep.equal([]);
  });

  it('scans on its timer until stopped', () => {
    const { proc, reaper, clock, reaped } = rig({ intervalMs: 250 });
    reaper.start();
    proc.add(201, 'Z');
    clock.advance(249);
    expect(reaped).to.have.length(0);
    clock.advance(1);
    expect(reaped).to.deep.equal([[201, 3]]);
    proc.add(202, 'Z');
    clock.advance(250);
    expect(reaped).to.have.length(2);
    reaper.stop();
    proc.add(203, 'Z');
    clock.advance(10_000);
    expect(reaped).to.have.length(2);
    expect(clock.pendingTimers()).to.equal(0);
  });

  it('defaults to 1000 ms with a SIGCHLD source and 250 ms without', () => {
    for (const [signals, period] of [[true, 1000], [false, 250]] as const) {
      const { proc, reaper, clock, reaped } = rig({ signals });
      reaper.start();
      proc.add(201, 'Z');
      clock.advance(period - 1);
      expect(reaped, `signals=${signals}`).to.have.length(0);
      clock.advance(1);
      expect(reaped, `signals=${signals}`).to.have.length(1);
      reaper.stop();
    }
  });

  it('coalesces a burst of SIGCHLD into one scan', () => {
    const { proc, reaper, clock, emitter, reaped } = rig({ signals: true });
    reaper.start();
    clock.advance(500);
    const scans = reaper.stats().scans;
    for (let i = 0; i < 50; i++) {
      proc.add(300 + i, 'Z');
      emitter.emit('SIGCHLD');
    }
    clock.advance(0);
    expect(reaped).to.have.length(50);
    expect(reaper.stats()).to.deep.equal({ reaped: 50, scans: scans + 1 });
  });

  it('keeps SIGCHLD-triggered scans at least 10 ms apart', () => {
    const { proc, reaper, clock, emitter, reaped } = rig({ signals: true });
    reaper.start(); // scans at t=0
    proc.add(301, 'Z');
    emitter.emit('SIGCHLD');
    clock.advance(9);
    expect(reaped).to.have.length(0);
    clock.advance(1);
    expect(reaped).to.have.length(1);
    proc.add(302, 'Z');
    clock.advance(50);
    emitter.emit('SIGCHLD');
    clock.advance(0);
    expect(reaped).to.have.length(2);
  });

  it('stops listening for SIGCHLD when stopped', () => {
    const { reaper, emitter } = rig({ signals: true });
    reaper.start();
    expect(emitter.listenerCount('SIGCHLD')).to.equal(1);
    reaper.start();
    expect(emitter.listenerCount('SIGCHLD')).to.equal(1);
    reaper.stop();
    expect(emitter.listenerCount('SIGCHLD')).to.equal(0);
    expect(reaper.running).to.equal(false);
  });

  it('skips a zombie that someone else reaped in between (ECHILD)', () => {
    const { proc, reaper, libc } = rig();
    proc.add(201, 'Z');
    const orig = libc.waitNoHang.bind(libc);
    libc.waitNoHang = (pid) => (pid === 201 ? { kind: 'gone', errno: 10 } : orig(pid));
    expect(reaper.reapNow()).to.equal(0);
  });

  it('decodes wait statuses', () => {
    expect(decodeWaitStatus(7 << 8)).to.deep.equal({ code: 7, signal: null });
    expect(decodeWaitStatus(0)).to.deep.equal({ code: 0, signal: null });
    expect(decodeWaitStatus(9)).to.deep.equal({ code: null, signal: 9 });
    expect(decodeWaitStatus(15 | 0x80)).to.deep.equal({ code: null, signal: 15 });
  });
});
