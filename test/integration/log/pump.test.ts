// The file logger's pump: stopping it at a line boundary, half lines, EOF.
import { expect } from 'chai';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { FakeClock } from '../../../lib/core/clock.js';
import { FileLogger } from '../../../lib/log/file-logger.js';
import { pumpToFileLogger } from '../../../lib/log/pump.js';
import { tempDir } from '../../helpers/paths.js';

const tick = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

describe('log/pump (stopping a file logger)', () => {
  let tmp: { path: string; cleanup: () => void };
  let clock: FakeClock;
  beforeEach(() => {
    tmp = tempDir('rc-pump-');
    clock = new FakeClock();
  });
  afterEach(() => tmp.cleanup());

  const start = () => {
    const logger = new FileLogger({ dir: tmp.path, maxSize: 1 << 20, maxFiles: 1, timestamp: 'none', warn: () => undefined, clock });
    logger.open();
    const input = new PassThrough();
    const pump = pumpToFileLogger(input, logger, { clock, graceMs: 200 });
    let done = false;
    void pump.done.then(() => (done = true));
    return { input, pump, isDone: () => done };
  };
  const current = (): string => readFileSync(join(tmp.path, 'current'), 'utf8');

  it('ends at EOF with everything written', async () => {
    const { input, pump } = start();
    input.end('a\nb');
    const stats = await pump.done;
    expect(current()).to.equal('a\nb\n');
    expect(stats.lines).to.equal(2);
  });

  it('stops at once on a line boundary and closes its input', async () => {
    const { input, pump } = start();
    input.write('a\n');
    await tick();
    pump.stop();
    await pump.done;
    expect(current()).to.equal('a\n');
    expect(input.destroyed).to.equal(true);
  });

  it('on stop, waits for a half-read line to complete', async () => {
    const { input, pump, isDone } = start();
    input.write('a\nhal');
    await tick();
    pump.stop();
    await tick();
    expect(isDone()).to.equal(false);
    input.write('f\nmore\n');
    await pump.done;
    expect(current()).to.equal('a\nhalf\nmore\n');
  });

  it('on stop, writes the half line after the grace time if it never completes', async () => {
    const { input, pump, isDone } = start();
    input.write('a\nhal');
    await tick();
    pump.stop();
    clock.advance(199);
    await tick();
    expect(isDone()).to.equal(false);
    clock.advance(1);
    await pump.done;
    expect(current()).to.equal('a\nhal\n');
  });
});
