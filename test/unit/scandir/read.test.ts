// readScandir: which folders are services, their settings, loggers, and how a bad folder is skipped.
import { expect } from 'chai';
import { chmodSync, mkdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { formatDiagnostic } from '../../../lib/core/diagnostics.js';
import { readScandir, type ScandirRead } from '../../../lib/scandir/read.js';
import { tempDir } from '../../helpers/paths.js';

type Files = Record<string, string>;

describe('source/scandir: readScandir', () => {
  let root: { path: string; cleanup: () => void };
  beforeEach(() => (root = tempDir('rc-scandir-unit-')));
  afterEach(() => root.cleanup());

  /** Write `files` (paths relative to the scandir); every file named run is made executable. */
  function scandir(files: Files): string {
    for (const [rel, text] of Object.entries(files)) {
      const path = join(root.path, rel);
      mkdirSync(join(path, '..'), { recursive: true });
      writeFileSync(path, text);
      if (rel.endsWith('/run')) chmodSync(path, 0o755);
    }
    return root.path;
  }

  function read(files: Files): ScandirRead {
    const r = readScandir(scandir(files));
    if (!r.ok) throw new Error(r.error.message);
    return r.value;
  }

  const texts = (r: ScandirRead): string[] => r.diagnostics.map(formatDiagnostic);

  it('finds every folder with a run file, sorted, a logger right after its service', () => {
    const r = read({ 'b/run': '', 'a/run': '', 'a/log/run': '', 'c/finish': '', '.hidden/run': '', 'plain-file': '' });
    expect(r.services.map((s) => s.name)).to.deep.equal(['a', 'a/log', 'b']);
    const [a, log] = r.services;
    expect(a!.logger).to.equal('a/log');
    expect(log!.loggerOf).to.equal('a');
    expect(log!.dir).to.equal(join(root.path, 'a', 'log'));
    expect(r.diagnostics).to.deep.equal([]);
  });

  it('follows a symlink to a folder, as s6-svscan does', () => {
    const other = join(root.path, '.elsewhere');
    mkdirSync(other);
    writeFileSync(join(other, 'run'), '', { mode: 0o755 });
    const dir = scandir({ 'x/run': '' });
    symlinkSync(other, join(dir, 'linked'));
    const r = readScandir(dir);
    expect(r.ok && r.value.services.map((s) => s.name)).to.deep.equal(['linked', 'x']);
  });

  it('reads the s6-supervise settings and the down marker with the compiler readers', () => {
    const r = read({
      'svc/run': '',
      'svc/finish': '',
      'svc/down': '',
      'svc/notification-fd': '3\n',
      'svc/down-signal': 'HUP\n',
      'svc/timeout-kill': '250\n',
      'svc/timeout-finish': '900\n',
      'svc/max-death-tally': '7\n',
      'svc/ready-tcp': '127.0.0.1:8080\n',
    });
    const s = r.services[0]!;
    expect(s.down).to.equal(true);
    expect(s.longrun.finish).to.not.equal(null);
    expect(s.longrun).to.include({ notificationFd: 3, downSignal: 'SIGHUP', timeoutKill: 250, timeoutFinish: 900, maxDeathTally: 7 });
    expect(s.longrun.readiness).to.deep.include({ kind: 'tcp', port: 8080 });
  });

  it('skips a folder with an error (same diagnostic as rc compile) and reads the others', () => {
    const r = read({ 'bad/run': '', 'bad/notification-fd': 'three\n', 'good/run': '' });
    expect(r.services.map((s) => s.name)).to.deep.equal(['good']);
    expect(r.skipped).to.deep.equal(['bad']);
    const t = texts(r).join('\n');
    expect(t).to.include(`${join(root.path, 'bad', 'notification-fd')}:1: error: unable to read ${join(root.path, 'bad', 'notification-fd')}: Invalid argument`);
    expect(t).to.include(`${join(root.path, 'bad')}: warning: bad is not supervised: its folder has errors`);
  });

  it('a bad logger is skipped alone: its service runs without it', () => {
    const r = read({ 'svc/run': '', 'svc/log/run': '', 'svc/log/down-signal': 'NOPE\n' });
    expect(r.services.map((s) => s.name)).to.deep.equal(['svc']);
    expect(r.services[0]!.logger).to.equal(null);
    expect(r.skipped).to.deep.equal(['svc/log']);
    expect(texts(r).join('\n')).to.include('is not a signal');
  });

  it('warns about s6-rc files that mean nothing here, and about a run that is not executable', () => {
    const dir = scandir({ 'svc/run': '', 'svc/dependencies': 'other\n', 'svc/producer-for': 'x\ny\n' });
    chmodSync(join(dir, 'svc', 'run'), 0o644);
    const r = readScandir(dir);
    if (!r.ok) throw new Error(r.error.message);
    expect(r.value.services.map((s) => s.name)).to.deep.equal(['svc']);
    expect(r.value.diagnostics.every((d) => d.severity === 'warning')).to.equal(true);
    const t = texts(r.value).join('\n');
    expect(t).to.include('dependencies is ignored in a scan directory');
    expect(t).to.include('producer-for is ignored in a scan directory');
    expect(t).to.include('run is not executable: it will fail to start');
  });

  it('an unreadable scan directory is an error value', () => {
    const r = readScandir(join(root.path, 'missing'));
    expect(r.ok).to.equal(false);
    if (!r.ok) expect(r.error.message).to.match(/unable to open the scan directory .*missing: ENOENT/);
  });
});
