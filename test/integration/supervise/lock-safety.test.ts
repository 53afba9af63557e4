// lock-fd's LIVE/locks: planted links, FIFOs and loose modes are refused; nothing is created or written outside.
import { expect } from 'chai';
import { execFileSync } from 'node:child_process';
import { chmodSync, closeSync, lstatSync, mkdirSync, readdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileLocker } from '../../../lib/supervise/lock-fd.js';
import { tempDir } from '../../helpers/paths.js';

describe('supervise/fileLocker: LIVE/locks never follows a planted link', function () {
  this.timeout(10_000);
  let tmp: ReturnType<typeof tempDir>;
  let live: string;
  let outside: string;
  beforeEach(() => {
    tmp = tempDir('rc-locks-');
    live = join(tmp.path, 'live');
    outside = join(tmp.path, 'outside');
    mkdirSync(live, { mode: 0o700 });
    mkdirSync(outside);
  });
  afterEach(() => tmp.cleanup());

  /** tryLock must fail with a system error matching `why`. */
  function refused(path: string, why: RegExp): string {
    const r = fileLocker.tryLock(path);
    if (r.ok) {
      closeSync(r.value);
      expect.fail(`locked ${path} though it should have been refused`);
    }
    expect(r.error.kind).to.equal('system');
    const message = r.error.kind === 'system' ? r.error.message : '';
    expect(message).to.match(why);
    return message;
  }

  it('creates LIVE/locks 0700 and a 0600 lock file in it, and locks it', () => {
    const path = join(live, 'locks', 'svc');
    const r = fileLocker.tryLock(path);
    expect(r.ok).to.equal(true);
    expect(lstatSync(join(live, 'locks')).mode & 0o777).to.equal(0o700);
    expect(lstatSync(path).mode & 0o777).to.equal(0o600);
    const again = fileLocker.tryLock(path);
    expect(again.ok ? 'locked twice' : again.error.kind).to.equal('busy');
    if (r.ok) fileLocker.close(r.value);
    const third = fileLocker.tryLock(path);
    expect(third.ok).to.equal(true);
    if (third.ok) fileLocker.close(third.value);
  });

  it('refuses a locks that is a symlink to another directory: nothing is created there', () => {
    symlinkSync(outside, join(live, 'locks'));
    const message = refused(join(live, 'locks', 'svc'), /locks is a symbolic link: rc does not follow links/);
    expect(message).to.include(join(live, 'locks'));
    expect(readdirSync(outside)).to.deep.equal([]);
  });

  it('refuses a lock file that is a symlink (to a missing or an existing file): neither is created nor touched', () => {
    mkdirSync(join(live, 'locks'), { mode: 0o700 });
    symlinkSync(join(outside, 'created'), join(live, 'locks', 'a'));
    refused(join(live, 'locks', 'a'), /a: it is a symbolic link, which rc does not follow; remove it/);
    expect(readdirSync(outside)).to.deep.equal([]);
    writeFileSync(join(outside, 'precious'), 'keep\n', { mode: 0o600 });
    symlinkSync(join(outside, 'precious'), join(live, 'locks', 'b'));
    refused(join(live, 'locks', 'b'), /symbolic link/);
    expect(readFileSync(join(outside, 'precious'), 'utf8')).to.equal('keep\n');
  });

  it('refuses a locks that is a file, or writable by others; a FIFO lock file fails at once instead of blocking', () => {
    writeFileSync(join(live, 'locks'), '');
    refused(join(live, 'locks', 'svc'), /locks is not a directory; remove it/);
    const loose = join(tmp.path, 'live2', 'locks');
    mkdirSync(loose, { recursive: true });
    chmodSync(loose, 0o777);
    refused(join(loose, 'svc'), /writable by its group or others \(mode 0777\): fix it with chmod go-w/);
    chmodSync(loose, 0o700);
    execFileSync('mkfifo', [join(loose, 'fifo')]);
    refused(join(loose, 'fifo'), /unable to (open|lock) .*fifo/);
  });
});
