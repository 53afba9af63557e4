// pid1/signals: what each signal to rc boot means (shutdown, escalate, rescan, ignore).
import { expect } from 'chai';
import { EventEmitter } from 'node:events';
import { installSignalHandlers, parseSignalMasks, PID1_SIGNAL_POLICY } from '../../../lib/boot/signals.js';

function rig() {
  const emitter = new EventEmitter();
  const calls: string[] = [];
  const uninstall = installSignalHandlers(
    {
      shutdown: (s) => calls.push(`shutdown ${s}`),
      escalate: (s, n) => calls.push(`escalate ${s} ${n}`),
      killAll: (s) => calls.push(`kill-all ${s}`),
      rescan: (s) => calls.push(`rescan ${s}`),
      ignored: (s) => calls.push(`ignored ${s}`),
    },
    emitter,
  );
  return { emitter, calls, uninstall };
}

describe('pid1/signals', () => {
  it('SIGTERM starts the shutdown, any further SIGTERM/SIGINT escalates', () => {
    const { emitter, calls } = rig();
    emitter.emit('SIGTERM', 'SIGTERM');
    emitter.emit('SIGINT', 'SIGINT');
    emitter.emit('SIGTERM', 'SIGTERM');
    expect(calls).to.deep.equal(['shutdown SIGTERM', 'escalate SIGINT 2', 'escalate SIGTERM 3']);
  });

  it('SIGINT alone is an orderly shutdown', () => {
    const { emitter, calls } = rig();
    emitter.emit('SIGINT', 'SIGINT');
    expect(calls).to.deep.equal(['shutdown SIGINT']);
  });

  it('SIGQUIT kills all, SIGHUP rescans, SIGUSR1/2 are ignored', () => {
    const { emitter, calls } = rig();
    for (const s of ['SIGQUIT', 'SIGHUP', 'SIGUSR1', 'SIGUSR2']) emitter.emit(s, s);
    expect(calls).to.deep.equal(['kill-all SIGQUIT', 'rescan SIGHUP', 'ignored SIGUSR1', 'ignored SIGUSR2']);
  });

  it('leaves SIGCHLD and SIGPIPE alone (the Reaper and Node own them)', () => {
    const { emitter } = rig();
    expect(emitter.listenerCount('SIGCHLD')).to.equal(0);
    expect(emitter.listenerCount('SIGPIPE')).to.equal(0);
  });

  it('the uninstall function removes every listener it added, once', () => {
    const { emitter, uninstall } = rig();
    const handled = PID1_SIGNAL_POLICY.filter((r) => r.action !== 'not-installed').map((r) => r.signal);
    expect(handled).to.include.members(['SIGTERM', 'SIGINT', 'SIGQUIT', 'SIGHUP', 'SIGUSR1']);
    for (const s of handled) expect(emitter.listenerCount(s), s).to.equal(1);
    uninstall();
    uninstall();
    for (const s of handled) expect(emitter.listenerCount(s), s).to.equal(0);
  });

  it('two installs do not share state', () => {
    const a = rig();
    const b = rig();
    a.emitter.emit('SIGTERM', 'SIGTERM');
    b.emitter.emit('SIGTERM', 'SIGTERM');
    expect(a.calls).to.deep.equal(['shutdown SIGTERM']);
    expect(b.calls).to.deep.equal(['shutdown SIGTERM']);
  });

  it('parses /proc status signal masks', () => {
    const text = 'Name:\tnode\nSigBlk:\t0000000000000000\nSigIgn:\t0000000001001000\nSigCgt:\t0000000100004e07\n';
    expect(parseSignalMasks(text)).to.deep.equal({
      ignored: [13, 25],
      blocked: [],
      caught: [1, 2, 3, 10, 11, 12, 15, 33],
    });
  });
});
