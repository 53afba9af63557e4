// `rc log` (the command): stdin to DIR/current, timestamps, SIGTERM, bad options, unwritable dirs.
import { expect } from 'chai';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { rcBin, tempDir } from '../../helpers/paths.js';
import { Procs, collect, exited, waitFor } from './proc.js';

describe('rc log (command)', function () {
  this.timeout(20_000);
  const procs = new Procs();
  let tmp: { path: string; cleanup: () => void };
  beforeEach(() => (tmp = tempDir('rc-log-cli-')));
  afterEach(async () => {
    await procs.killAll();
    tmp.cleanup();
  });

  const rcLog = (...args: string[]) => procs.spawn(process.execPath, [rcBin, 'log', ...args], { stdio: ['pipe', 'pipe', 'pipe'] });
  const current = (): string => {
    const f = join(tmp.path, 'log', 'current');
    return existsSync(f) ? readFileSync(f, 'utf8') : '';
  };

  it('appends stdin to DIR/current and exits 0 at EOF', async () => {
    const child = rcLog('-d', join(tmp.path, 'log'), '--timestamp', 'none');
    const stderr = collect(child.stderr);
    child.stdin!.end('first\nsecond\nno newline');
    expect(await exited(child)).to.deep.equal({ code: 0, signal: null });
    expect(current()).to.equal('first\nsecond\nno newline\n');
    expect(await stderr).to.equal('');
  });

  it('stamps lines with ISO-8601 by default', async () => {
    const child = rcLog('-d', join(tmp.path, 'log'));
    child.stdin!.end('hello\n');
    await exited(child);
    expect(current()).to.match(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z hello\n$/);
  });

  it('on SIGTERM writes what it read, completes a half line, and exits 0', async () => {
    const child = rcLog('-d', join(tmp.path, 'log'), '--timestamp', 'none');
    child.stdin!.write('done\nhalf');
    await waitFor(() => current() === 'done\n', 5000, 'the first line');
    child.kill('SIGTERM');
    expect(await exited(child)).to.deep.equal({ code: 0, signal: null });
    expect(current()).to.equal('done\nhalf\n');
  });

  it('rejects bad options with exit 100 and a message', async () => {
    for (const args of [['--timestamp', 'unix'], ['--max-size', '100'], ['--max-files', '-1']]) {
      const child = rcLog('-d', tmp.path, ...args);
      child.stdin!.end();
      const stderr = collect(child.stderr);
      expect((await exited(child)).code, args.join(' ')).to.equal(100);
      expect(await stderr).to.match(/timestamp expects one of iso, tai64n, none|max-size must be at least 4096|max-files/);
    }
  });

  it('with an unwritable directory: says so on stderr, keeps reading, counts the drops, exits 0', async () => {
    writeFileSync(join(tmp.path, 'file'), '');
    const child = rcLog('-d', join(tmp.path, 'file', 'log'));
    const stderr = collect(child.stderr);
    child.stdin!.end('a\nb\nc\n');
    expect((await exited(child)).code).to.equal(0);
    const text = await stderr;
    expect(text).to.match(/^rc log: cannot open .*file\/log\/current: ENOTDIR.*dropping lines until it works again/);
    expect(text).to.match(/rc log: 3 lines \(6 bytes\) were dropped in all\n$/);
  });

  it('when mkdir of DIR fails with ENOENT although its parent exists (/proc): one message, drops, exits 0 at EOF (no busy loop)', async () => {
    const dir = `/proc/rc-test-nope-${process.pid}`;
    const child = rcLog('-d', dir, '--timestamp', 'none');
    const stderr = collect(child.stderr);
    child.stdin!.write('a\n');
    // Give a spinning logger time to burn CPU before EOF (the fix retries once a second, at most).
    await new Promise((r) => setTimeout(r, 1200));
    child.stdin!.end('b\nc\n');
    const exit = await Promise.race([exited(child), new Promise((r) => setTimeout(() => r('still running'), 5000))]);
    expect(exit).to.deep.equal({ code: 0, signal: null });
    const text = await stderr;
    expect(text).to.match(new RegExp(`^rc log: cannot open ${dir}/current: ENOENT.*dropping lines until it works again \\(retrying every 1000 ms\\)\n`));
    expect(text).to.match(/rc log: 3 lines \(6 bytes\) were dropped in all\n$/);
  });

  it('rotates with --max-size and keeps --max-files archives', async () => {
    const child = rcLog('-d', join(tmp.path, 'log'), '--timestamp', 'none', '--max-size', '4096', '--max-files', '2');
    const lines = Array.from({ length: 1000 }, (_, i) => `message number ${i}\n`).join('');
    child.stdin!.end(lines);
    expect((await exited(child)).code).to.equal(0);
    const { readdirSync } = await import('node:fs');
    const archives = readdirSync(join(tmp.path, 'log')).filter((f) => f.startsWith('@')).sort();
    expect(archives).to.have.length(2);
    const kept = [...archives.map((a) => readFileSync(join(tmp.path, 'log', a), 'utf8')), current()].join('');
    expect(lines.endsWith(kept)).to.equal(true);
    expect(kept.startsWith('message number ')).to.equal(true);
  });
});
