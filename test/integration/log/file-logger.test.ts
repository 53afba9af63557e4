// The rotating file logger on a real directory: lines, timestamps, rotation, archives.
import { expect } from 'chai';
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { FakeClock } from '../../../lib/core/clock.js';
import { FileLogger, type FileLoggerOptions } from '../../../lib/log/file-logger.js';
import { tempDir } from '../../helpers/paths.js';

describe('log/file-logger', () => {
  let tmp: { path: string; cleanup: () => void };
  let warnings: string[];
  let clock: FakeClock;
  beforeEach(() => {
    tmp = tempDir('rc-log-');
    warnings = [];
    clock = new FakeClock(Date.UTC(2024, 0, 1));
  });
  afterEach(() => tmp.cleanup());

  const make = (extra: Partial<FileLoggerOptions> = {}): FileLogger =>
    new FileLogger({ dir: join(tmp.path, 'log'), maxSize: 4096, maxFiles: 20, timestamp: 'none', warn: (m) => warnings.push(m), clock, ...extra });
  const read = (name = 'current'): string => readFileSync(join(tmp.path, 'log', name), 'utf8');
  const archives = (): string[] => readdirSync(join(tmp.path, 'log')).filter((f) => f.startsWith('@')).sort();

  it('creates the directory and appends whole lines to current', () => {
    const log = make();
    expect(log.open()).to.equal(true);
    log.write(Buffer.from('one\ntw'));
    expect(read()).to.equal('one\n');
    log.write(Buffer.from('o\n'));
    log.end();
    expect(read()).to.equal('one\ntwo\n');
  });

  it('writes an unfinished last line at the end, with a newline', () => {
    const log = make();
    log.write(Buffer.from('tail'));
    log.end();
    expect(read()).to.equal('tail\n');
  });

  it('prefixes lines with an ISO-8601 or TAI64N timestamp', () => {
    const iso = make({ timestamp: 'iso' });
    iso.write(Buffer.from('x\n'));
    iso.end();
    expect(read()).to.equal('2024-01-01T00:00:00.000Z x\n');
    rmSync(join(tmp.path, 'log'), { recursive: true });
    const tai = make({ timestamp: 'tai64n' });
    tai.write(Buffer.from('y\n'));
    tai.end();
    expect(read()).to.match(/^@4000000065920[0-9a-f]{11} y\n$/);
  });

  it('rotates before current would pass max-size, never splitting a line', () => {
    const log = make({ maxSize: 4096 });
    const lines: string[] = [];
    for (let i = 0; i < 500; i++) {
      const line = `line ${i} ${'x'.repeat(i % 37)}`;
      lines.push(line);
      log.write(Buffer.from(`${line}\n`));
      clock.advance(1);
    }
    log.end();
    const names = archives();
    expect(names.length).to.be.greaterThan(2);
    for (const n of names) {
      expect(n).to.match(/^@[0-9a-f]{24}\.s$/);
      expect(statSync(join(tmp.path, 'log', n)).size).to.be.at.most(4096);
      expect(read(n).endsWith('\n')).to.equal(true);
    }
    const all = [...names.map((n) => read(n)), read()].join('');
    expect(all).to.equal(lines.map((l) => `${l}\n`).join(''));
    expect(log.stats().rotations).to.equal(names.length);
  });

  it('keeps only the newest max-files archives', () => {
    const log = make({ maxSize: 4096, maxFiles: 3 });
    for (let i = 0; i < 100; i++) {
      log.write(Buffer.from(`${String(i).padStart(4, '0')} ${'y'.repeat(500)}\n`));
      clock.advance(1000);
    }
    log.end();
    const names = archives();
    expect(names.length).to.equal(3);
    const last = read(names[2]);
    // the newest archive holds the lines just before current's
    expect(Number(read().slice(0, 4))).to.equal(Number(last.split('\n').at(-2)!.slice(0, 4)) + 1);
  });

  it('rotates a chunk holding many lines at the right line', () => {
    const log = make({ maxSize: 4096 });
    const text = Array.from({ length: 300 }, (_, i) => `chunked ${i}\n`).join('');
    log.write(Buffer.from(text));
    log.end();
    expect([...archives().map((n) => read(n)), read()].join('')).to.equal(text);
  });

  it('appends to an existing current after a restart, ending a cut-off line first', () => {
    mkdirSync(join(tmp.path, 'log'));
    writeFileSync(join(tmp.path, 'log', 'current'), 'old\nhalf a li');
    const log = make();
    log.write(Buffer.from('new\n'));
    log.end();
    expect(read()).to.equal('old\nhalf a li\nnew\n');
  });

  it('on a full disk warns, drops and counts lines, keeps going, and recovers', () => {
    mkdirSync(join(tmp.path, 'log'));
    symlinkSync('/dev/full', join(tmp.path, 'log', 'current'));
    const log = make({ retryMs: 1000, warnEveryMs: 5000 });
    log.write(Buffer.from('lost 1\nlost 2\n'));
    expect(warnings).to.have.length(1);
    expect(warnings[0]).to.match(/cannot write .*current: .*ENOSPC.*dropping lines until it works again/);
    for (let i = 0; i < 10; i++) {
      clock.advance(600);
      log.write(Buffer.from(`lost more ${i}\n`));
    }
    expect(warnings.some((w) => /still failing .*lines \(\d+ bytes\) dropped so far/.test(w))).to.equal(true);
    rmSync(join(tmp.path, 'log', 'current')); // space again
    clock.advance(1000);
    log.write(Buffer.from('kept\n'));
    const stats = log.end();
    expect(read()).to.equal('kept\n');
    expect(stats.droppedLines).to.equal(12);
    expect(warnings.some((w) => /writing to .*current again; 12 lines \(\d+ bytes\) were dropped meanwhile/.test(w))).to.equal(true);
    expect(warnings.at(-1)).to.match(/12 lines \(\d+ bytes\) were dropped in all/);
  });

  it('on an unusable directory warns once, drops, and retries only every retryMs', () => {
    writeFileSync(join(tmp.path, 'blocker'), '');
    const log = new FileLogger({ dir: join(tmp.path, 'blocker', 'log'), maxSize: 4096, maxFiles: 2, timestamp: 'none', warn: (m) => warnings.push(m), clock });
    expect(log.open()).to.equal(false);
    log.write(Buffer.from('a\nb\n'));
    log.write(Buffer.from('c\n'));
    expect(warnings).to.have.length(1);
    expect(warnings[0]).to.match(/cannot open .*blocker\/log\/current: .*ENOTDIR/);
    rmSync(join(tmp.path, 'blocker'));
    log.write(Buffer.from('d\n')); // too early to retry: dropped
    clock.advance(1000);
    log.write(Buffer.from('e\n'));
    log.end();
    expect(readFileSync(join(tmp.path, 'blocker', 'log', 'current'), 'utf8')).to.equal('e\n');
    expect(log.stats().droppedLines).to.equal(4);
  });

  it('rotates on demand (SIGALRM) only when current has data', () => {
    const log = make();
    log.rotate();
    expect(existsSync(join(tmp.path, 'log'))).to.equal(false);
    log.open();
    log.rotate();
    expect(archives()).to.deep.equal([]);
    log.write(Buffer.from('x\n'));
    log.rotate();
    log.end();
    expect(archives()).to.have.length(1);
    expect(read()).to.equal('');
  });
});
