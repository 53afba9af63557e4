// LIVE/oneshots: complete records are read, torn or planted ones are not, and all are cleared after recovery.
import { expect } from 'chai';
import { mkdirSync, readdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { clearOneshotRecords, describeStatus, prepareOneshotRecords, readOneshotRecords } from '../../../lib/live/oneshot-records.js';
import { tempDir } from '../../helpers/paths.js';

describe('live: oneshot waiter records', () => {
  let tmp: ReturnType<typeof tempDir>;
  beforeEach(() => (tmp = tempDir()));
  afterEach(() => tmp.cleanup());

  it('reads complete records only: a number and a newline, under a numeric name, never through a link', () => {
    const dir = join(tmp.path, 'oneshots');
    expect(prepareOneshotRecords(dir)).to.deep.equal({ ok: true, value: dir });
    writeFileSync(join(dir, '100'), '0\n');
    writeFileSync(join(dir, '101'), '143\n');
    writeFileSync(join(dir, '102'), ''); // torn: the waiter died between create and write
    writeFileSync(join(dir, '103'), '7'); // no newline
    writeFileSync(join(dir, '104'), '999\n'); // not a status
    writeFileSync(join(dir, 'x105'), '0\n');
    writeFileSync(join(tmp.path, 'elsewhere'), '0\n');
    symlinkSync(join(tmp.path, 'elsewhere'), join(dir, '106'));
    expect([...readOneshotRecords(dir)].sort()).to.deep.equal([[100, 0], [101, 143]]);
    clearOneshotRecords(dir);
    expect(readdirSync(dir)).to.deep.equal([]);
    expect(readdirSync(tmp.path).sort()).to.deep.equal(['elsewhere', 'oneshots']);
  });

  it('refuses a planted oneshots link; a missing folder has no records', () => {
    mkdirSync(join(tmp.path, 'target'));
    symlinkSync(join(tmp.path, 'target'), join(tmp.path, 'oneshots'));
    const r = prepareOneshotRecords(join(tmp.path, 'oneshots'));
    expect(r.ok ? '' : r.error).to.match(/is a symbolic link/);
    expect(readOneshotRecords(join(tmp.path, 'none')).size).to.equal(0);
  });

  it('describes a status: an exit code, or 128+N as killed by signal N', () => {
    const names: Record<number, string> = { 15: 'SIGTERM' };
    expect(describeStatus(1, (n) => names[n])).to.equal('exit 1');
    expect(describeStatus(143, (n) => names[n])).to.equal('killed by SIGTERM (status 143)');
    expect(describeStatus(200, (n) => names[n])).to.equal('exit 200');
  });
});
