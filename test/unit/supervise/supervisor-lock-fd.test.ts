import { expect } from 'chai';
import { err, ok, type Result } from '../../../lib/core/result.js';
import type { LockError } from '../../../lib/sys/flock.js';
import { LOCK_RETRY_MS, type Locker } from '../../../lib/supervise/lock-fd.js';
import { harness } from './fakes.js';

/** A locker whose lock is busy while `busy` is set; it hands out fds 40, 41, ... and records closes. */
class FakeLocker implements Locker {
  busy = false;
  failure: string | null = null;
  readonly paths: string[] = [];
  readonly closed: number[] = [];
  #next = 40;
  tryLock(path: string): Result<number, LockError> {
    this.paths.push(path);
    if (this.failure) return err({ kind: 'system', message: this.failure });
    return this.busy ? err({ kind: 'busy' }) : ok(this.#next++);
  }
  close(fd: number): void {
    this.closed.push(fd);
  }
}

const PATH = '/live/locks/web';

describe('supervise/Supervisor lock-fd (fake clock, spawner and locker)', () => {
  it('locks before each spawn, passes the locked fd at index N, and closes its own copy', () => {
    const locker = new FakeLocker();
    const { sup, spawner, log } = harness({ name: 'web', lockFd: 5 }, { lockPath: PATH, locker });
    sup.up();
    expect(locker.paths).to.deep.equal([PATH]);
    expect(spawner.last().request.passFd).to.deep.equal({ at: 5, fd: 40 });
    expect(locker.closed).to.deep.equal([40]);
    expect(log.types()).to.deep.equal(['wanted', 'spawned']);
  });

  it('takes no lock without a lockPath, nor without lock-fd', () => {
    const locker = new FakeLocker();
    const a = harness({ lockFd: 5 }, { locker });
    a.sup.up();
    const b = harness({ lockFd: null }, { lockPath: PATH, locker });
    b.sup.up();
    expect(locker.paths).to.deep.equal([]);
    expect(a.spawner.last().request.passFd ?? null).to.equal(null);
    expect(b.spawner.last().request.passFd ?? null).to.equal(null);
  });

  it('busy: one lock-busy event, a retry every 100 ms, the spawn once the lock is free', async () => {
    const locker = new FakeLocker();
    locker.busy = true;
    const { sup, spawner, clock, log } = harness({ name: 'web', lockFd: 3 }, { lockPath: PATH, locker });
    const up = sup.waitFor('up', 0);
    sup.up();
    expect(spawner.children).to.have.length(0);
    expect(sup.status().state).to.equal('starting');
    expect(log.of('lock-busy')).to.have.length(1);
    expect(log.of('lock-busy')[0]).to.include({ path: PATH });
    expect(log.of('lock-busy')[0]!.message).to.contain('web').and.contain(PATH);
    clock.advance(LOCK_RETRY_MS * 3);
    expect(locker.paths).to.have.length(4);
    expect(log.of('lock-busy')).to.have.length(1);
    expect(spawner.children).to.have.length(0);
    locker.busy = false;
    clock.advance(LOCK_RETRY_MS);
    expect(spawner.children).to.have.length(1);
    expect(spawner.last().request.passFd).to.deep.equal({ at: 3, fd: 40 });
    expect(log.types().slice(-1)).to.deep.equal(['spawned']);
    expect(await up).to.deep.equal({ ok: true });
  });

  it('down while waiting for the lock cancels the wait: nothing is spawned', () => {
    const locker = new FakeLocker();
    locker.busy = true;
    const { sup, spawner, clock } = harness({ lockFd: 3 }, { lockPath: PATH, locker });
    sup.up();
    sup.down();
    expect(sup.status().state).to.equal('down');
    locker.busy = false;
    clock.advance(LOCK_RETRY_MS * 5);
    expect(spawner.children).to.have.length(0);
    expect(clock.pendingTimers()).to.equal(0);
  });

  it('exit while waiting for the lock ends the supervisor', async () => {
    const locker = new FakeLocker();
    locker.busy = true;
    const { sup, spawner, clock, log } = harness({ lockFd: 3 }, { lockPath: PATH, locker });
    sup.up();
    await sup.exit();
    clock.advance(LOCK_RETRY_MS * 5);
    expect(spawner.children).to.have.length(0);
    expect(log.types().slice(-1)).to.deep.equal(['supervisor-exited']);
  });

  it('locks again before an automatic restart', () => {
    const locker = new FakeLocker();
    const { sup, spawner, clock } = harness({ lockFd: 4, restartDelay: 0 }, { lockPath: PATH, locker });
    sup.up();
    spawner.last().exit(1);
    clock.advance(1000);
    expect(spawner.children).to.have.length(2);
    expect(spawner.last().request.passFd).to.deep.equal({ at: 4, fd: 41 });
    expect(locker.closed).to.deep.equal([40, 41]);
  });

  it('a lock that cannot be taken at all (system error) is reported and the run starts unlocked', () => {
    const locker = new FakeLocker();
    locker.failure = 'unable to open /live/locks/web: EACCES';
    const { sup, spawner, log } = harness({ lockFd: 3 }, { lockPath: PATH, locker });
    sup.up();
    expect(log.of('lock-failed')[0]).to.include({ path: PATH, message: locker.failure });
    expect(spawner.children).to.have.length(1);
    expect(spawner.last().request.passFd ?? null).to.equal(null);
  });
});
