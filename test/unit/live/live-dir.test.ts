// The live directory's trust checks: owner, mode, its parent when rc creates it, no links followed at fixed names.
import { expect } from 'chai';
import { chmodSync, existsSync, lstatSync, mkdirSync, readFileSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { openLiveDir, type LiveDir } from '../../../lib/live/live-dir.js';
import { tempDir } from '../../helpers/paths.js';

const me = process.geteuid?.() ?? 0;

describe('live directory trust', () => {
  let dir: { path: string; cleanup: () => void };
  let opened: LiveDir | null = null;
  beforeEach(() => (dir = tempDir()));
  afterEach(() => {
    opened?.release();
    opened = null;
    dir.cleanup();
  });

  const open = (live: string, uid = me) => {
    const r = openLiveDir(live, 4242, { uid });
    if (r.ok) opened = r.value;
    return r;
  };

  it('creates a missing live dir 0700 and writes its pid', () => {
    const live = join(dir.path, 'live');
    const r = open(live);
    expect(r.ok, JSON.stringify(r)).to.equal(true);
    expect(statSync(live).mode & 0o777).to.equal(0o700);
    expect(readFileSync(join(live, 'pid'), 'utf8')).to.equal('4242\n');
  });

  it('refuses an existing live dir writable by group or others, naming the path, the mode and the fix', () => {
    const live = join(dir.path, 'live');
    mkdirSync(live);
    chmodSync(live, 0o777);
    const r = open(live);
    expect(r.ok).to.equal(false);
    expect(r.ok ? '' : r.error).to.deep.include({ kind: 'system' });
    const message = r.ok ? '' : r.error.message;
    expect(message).to.include(live).and.to.include('mode 0777').and.to.include(`chmod go-w ${live}`);
    expect(existsSync(join(live, 'lock')), 'nothing created in it').to.equal(false);
    expect(statSync(live).mode & 0o777, 'left as it was').to.equal(0o777);
  });

  it("refuses a live dir owned by another user (rc used to chmod it and go on)", () => {
    const live = join(dir.path, 'live');
    mkdirSync(live, { mode: 0o700 });
    const r = open(live, me + 1);
    expect(r.ok).to.equal(false);
    const message = r.ok ? '' : r.error.message;
    expect(message).to.include(`${live} is owned by uid ${me}, not by this user (uid ${me + 1})`).and.to.include('chown');
    expect(existsSync(join(live, 'lock'))).to.equal(false);
  });

  it('refuses to create the live dir in a parent writable by others (not sticky); accepts a sticky one like /tmp', () => {
    const shared = join(dir.path, 'shared');
    mkdirSync(shared);
    chmodSync(shared, 0o777);
    const r = open(join(shared, 'live'));
    expect(r.ok).to.equal(false);
    expect(r.ok ? '' : r.error.message).to.include(`the parent of the live directory ${shared} is writable by`);
    expect(existsSync(join(shared, 'live'))).to.equal(false);
    chmodSync(shared, 0o1777);
    const ok = open(join(shared, 'live'));
    expect(ok.ok, JSON.stringify(ok)).to.equal(true);
  });

  it('follows no link planted at a fixed name: lock is refused, pid is replaced (its target untouched)', () => {
    const live = join(dir.path, 'live');
    mkdirSync(live, { mode: 0o700 });
    const victim = join(dir.path, 'victim');
    writeFileSync(victim, 'precious');
    symlinkSync(victim, join(live, 'pid'));
    const r = open(live);
    expect(r.ok, JSON.stringify(r)).to.equal(true);
    expect(readFileSync(victim, 'utf8')).to.equal('precious');
    expect(lstatSync(join(live, 'pid')).isSymbolicLink()).to.equal(false);
    opened?.release();
    opened = null;
    const live2 = join(dir.path, 'live2');
    mkdirSync(live2, { mode: 0o700 });
    symlinkSync(victim, join(live2, 'lock'));
    const r2 = open(live2);
    expect(r2.ok).to.equal(false);
    expect(r2.ok ? '' : r2.error.message).to.include('is a symbolic link');
    expect(readFileSync(victim, 'utf8')).to.equal('precious');
  });
});
