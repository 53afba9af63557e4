// supervise/output-sink: the default line sink.
import { expect } from 'chai';
import { PassThrough, Writable } from 'node:stream';
import { createLineSink } from '../../../lib/supervise/output-sink.js';
import { flush } from './fakes.js';

class Collect extends Writable {
  chunks: string[] = [];
  constructor(private readonly blockAfter = Infinity) {
    super({ highWaterMark: 1 });
  }
  override _write(chunk: Buffer, _enc: string, cb: () => void): void {
    this.chunks.push(chunk.toString());
    if (this.chunks.length < this.blockAfter) cb();
    else this.release = cb;
  }
  release: (() => void) | null = null;
  get text(): string {
    return this.chunks.join('');
  }
}

describe('supervise/output-sink (default line sink)', () => {
  it('writes whole prefixed lines, joining partial chunks, to the right stream', async () => {
    const out = new Collect();
    const err = new Collect();
    const sink = createLineSink({ stdout: out, stderr: err });
    const a = new PassThrough();
    const b = new PassThrough();
    sink.attach('web', 'stdout', a);
    sink.attach('db', 'stderr', b);
    a.write('hel');
    b.write('oops\n');
    a.write('lo\nwor');
    a.end('ld');
    await flush();
    expect(out.text).to.equal('web: hello\nweb: world\n');
    expect(err.text).to.equal('db: oops\n');
  });

  it('cuts very long lines and accepts a custom prefix', async () => {
    const out = new Collect();
    const sink = createLineSink({ stdout: out, stderr: out, prefix: (s) => `[${s}] `, maxLineBytes: 4 });
    const a = new PassThrough();
    sink.attach('x', 'stdout', a);
    a.end('abcdefghij\n');
    await flush();
    expect(out.text).to.equal('[x] abcd\n[x] efgh\n[x] ij\n');
  });

  it('pauses the source while the destination is full (back-pressure)', async () => {
    const out = new Collect(1);
    const sink = createLineSink({ stdout: out, stderr: out });
    const a = new PassThrough();
    sink.attach('s', 'stdout', a);
    a.write('one\n');
    await flush();
    expect(a.isPaused()).to.equal(true);
    out.release?.();
    await flush();
    expect(a.isPaused()).to.equal(false);
  });
});
