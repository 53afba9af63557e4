// Out of file descriptors (issue 10 item 6): the boot warning, the EMFILE message, the capped summary.
import { expect } from 'chai';
import { descriptorWarning, descriptorsNeeded } from '../../../lib/boot/wiring.js';
import type { FailedStep } from '../../../lib/engine/events.js';
import { summaryLines } from '../../../lib/render/summary.js';
import { describeExecFailure, outOfDescriptors } from '../../../lib/supervise/exec-errors.js';
import { openFilesLimit, parseOpenFilesLimit } from '../../../lib/sys/limits.js';

const LIMITS = `Limit                     Soft Limit           Hard Limit           Units
Max processes             96367                96367                processes
Max open files            1024                 4096                 files
Max locked memory         8388608              8388608              bytes
`;

describe('out of file descriptors (issue 10 item 6)', () => {
  it('reads "Max open files" from /proc/self/limits', () => {
    expect(parseOpenFilesLimit(LIMITS)).to.deep.equal({ soft: 1024, hard: 4096 });
    expect(parseOpenFilesLimit(LIMITS.replace('1024   ', 'unlimited'))?.soft).to.equal(Infinity);
    expect(parseOpenFilesLimit('garbage')).to.equal(null);
    expect(openFilesLimit()?.soft).to.be.a('number');
    expect(openFilesLimit('/nonexistent/limits')).to.equal(null);
  });

  it('estimates ~3 descriptors per longrun, pipelines and 64 spare; warns with the number and how to raise it', () => {
    const lr = (consumerFor: number[] = []) => ({ type: 'longrun', consumerFor }) as never;
    const services = [...Array.from({ length: 5000 }, () => lr()), ({ type: 'oneshot' }) as never, lr([0, 1])];
    const needed = descriptorsNeeded({ services });
    expect(needed).to.equal(64 + 3 * 5001 + 2 + 2);
    const w = descriptorWarning(needed, 1024, 5001);
    expect(w).to.include('5001 longruns').and.include(`about ${needed} file descriptors`).and.include('is 1024');
    expect(w).to.include('ulimit -n 16384').and.include('docker run --ulimit nofile=16384:16384');
    expect(descriptorWarning(100, 1024, 10)).to.equal(undefined);
    expect(descriptorWarning(100_000, null, 10)).to.equal(undefined, 'an unknown limit says nothing');
  });

  it('a spawn failing with EMFILE names the daemon\'s limit, not the service', () => {
    const m = describeExecFailure('run', 'EMFILE', '/', {}).message;
    expect(m).not.to.include('cannot execute');
    expect(m).to.match(/rc \(the daemon\) is out of file descriptors \(EMFILE: its limit, RLIMIT_NOFILE, is \d+ open files\)/);
    expect(m).to.include('ulimit -n').and.include('--ulimit nofile=');
    expect(outOfDescriptors('run', 'EMFILE', 1024)).to.include('is 1024 open files').and.include('ulimit -n 65536');
    expect(describeExecFailure('up', 'ENFILE', '/', {}).message).to.include('the system is out of file descriptors (ENFILE');
  });

  it('a failure summary lists at most 20 names ("and N more"), each message cut at 300 characters', () => {
    const failed: FailedStep[] = Array.from({ length: 4502 }, (_, i) => ({ step: i, index: i, name: `svc${i}`, action: 'start', failure: { reason: 'exec-failed', message: 'x'.repeat(100_000) } }));
    const lines = summaryLines({ ok: false, timedOut: false, cancelled: false, done: [], started: 500, stopped: 0, restarted: 0, failed, skipped: [], kept: [], durationMs: 10 });
    expect(lines[0]).to.match(/^4502 failed: svc0 \(x{300}… \(100000 characters\)\), /);
    expect(lines[0]).to.match(/svc19 \([^)]*\)\) and 4482 more$/);
    expect(lines[0]!.length).to.be.below(20 * 350);
  });
});
