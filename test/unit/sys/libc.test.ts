// sys/libc and sys/errno: koffi loaded once, a load failure as a value, errno names, the calls through the real libc.
import { expect } from 'chai';
import { closeSync, mkdtempSync, openSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { errnoName, errorCode } from '../../../lib/sys/errno.js';
import { createFifoOps } from '../../../lib/sys/fifo.js';
import { tryLockFd } from '../../../lib/sys/flock.js';
import { loadLibc, sharedLibc } from '../../../lib/sys/libc.js';

describe('sys/libc', () => {
  let dir: string;
  beforeEach(() => (dir = mkdtempSync(join(tmpdir(), 'rc-sys-'))));
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('koffi failing to load is an error value naming koffi and the reason', () => {
    const r = loadLibc(() => {
      throw new Error('No native build was found for platform=linux arch=x64');
    });
    expect(r).to.deep.equal({ ok: false, error: 'cannot load koffi (FFI): No native build was found for platform=linux arch=x64' });
  });

  it('is loaded once and shared', () => {
    const a = sharedLibc();
    expect(a.ok, a.ok ? '' : a.error).to.equal(true);
    expect(sharedLibc()).to.equal(a);
  });

  it('mkfifo makes a FIFO, and names the errno when it cannot', () => {
    const ops = createFifoOps();
    const path = join(dir, 'f');
    expect(ops.mkfifo(path, 0o600)).to.deep.equal({ ok: true, value: undefined });
    expect(statSync(path).isFIFO()).to.equal(true);
    expect(ops.mkfifo(path, 0o600)).to.deep.equal({ ok: false, error: `mkfifo ${path}: EEXIST` });
  });

  it('a libc that cannot load makes mkfifo fail with its reason (no program fallback)', () => {
    const ops = createFifoOps(() => ({ ok: false, error: 'cannot load koffi (FFI): gone' }));
    expect(ops.mkfifo(join(dir, 'f'), 0o600)).to.deep.equal({ ok: false, error: `mkfifo ${join(dir, 'f')}: cannot load koffi (FFI): gone` });
  });

  it('a second lock on the same file is busy', () => {
    const path = join(dir, 'lock');
    const first = tryLockFd(path);
    expect(first.ok).to.equal(true);
    expect(tryLockFd(path)).to.deep.equal({ ok: false, error: { kind: 'busy' } });
    if (first.ok) closeSync(first.value);
    const again = tryLockFd(path);
    expect(again.ok).to.equal(true);
    if (again.ok) closeSync(again.value);
  });

  it('fcntl reads and writes the status flags', () => {
    const libc = sharedLibc();
    if (!libc.ok) throw new Error(libc.error);
    const fd = openSync(join(dir, 'x'), 'w');
    try {
      const flags = libc.value.getStatusFlags(fd);
      expect(flags).to.be.at.least(0);
      expect(libc.value.setStatusFlags(fd, flags)).to.equal(0);
      expect(libc.value.setStatusFlags(-1, flags)).to.equal(9); // EBADF
    } finally {
      closeSync(fd);
    }
  });
});

describe('sys/errno', () => {
  it('names numeric errnos, and says so when it cannot', () => {
    expect(errnoName(1)).to.equal('EPERM');
    expect(errnoName(11)).to.equal('EAGAIN');
    expect(errnoName(9999)).to.equal('errno 9999');
  });

  it('takes the code of a Node error, with a fallback', () => {
    expect(errorCode(Object.assign(new Error('x'), { code: 'ENOENT' }))).to.equal('ENOENT');
    expect(errorCode(new Error('x'))).to.equal('EIO');
    expect(errorCode(null, 'EUNKNOWN')).to.equal('EUNKNOWN');
  });
});
