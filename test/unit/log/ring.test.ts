// log/ring: the bounded buffer of each service's recent lines, and live subscribers.
import { expect } from 'chai';
import { PassThrough } from 'node:stream';
import { FakeClock } from '../../../lib/core/clock.js';
import { LineSplitter, Pieces } from '../../../lib/log/line-splitter.js';
import { OutputMultiplexer } from '../../../lib/log/multiplexer.js';
import { LinePrefixer } from '../../../lib/log/prefix.js';
import { RingStore, formatRingLine, type RingLine } from '../../../lib/log/ring.js';
import { RecordingSink } from './sink.js';

function pieces(text: string): Pieces {
  const p = new Pieces();
  new LineSplitter().push(Buffer.from(text), p);
  return p;
}

function numbered(from: number, to: number): string {
  let s = '';
  for (let i = from; i < to; i++) s += `line ${i}\n`;
  return s;
}

describe('log/ring', () => {
  it('returns the last n lines of a service, oldest first', () => {
    const ring = new RingStore();
    ring.push('api', 'stdout', 1, pieces('a\nb\n'));
    ring.push('api', 'stderr', 2, pieces('c\n'));
    ring.push('db', 'stdout', 3, pieces('x\n'));
    expect(ring.tail('api', 2)).to.deep.equal([
      { service: 'api', stream: 'stdout', time: 1, line: 'b' },
      { service: 'api', stream: 'stderr', time: 2, line: 'c' },
    ]);
    expect(ring.tail('api', 100).map((l) => l.line)).to.deep.equal(['a', 'b', 'c']);
    expect(ring.tail('nope', 5)).to.deep.equal([]);
    expect(ring.services()).to.deep.equal(['api', 'db']);
  });

  it('keeps at least the newest N lines per service, and not much more', () => {
    const ring = new RingStore({ linesPerService: 100 });
    for (let i = 0; i < 1000; i += 10) ring.push('s', 'stdout', i, pieces(numbered(i, i + 10)));
    const tail = ring.tail('s', 1000);
    expect(tail.length).to.be.within(100, 110);
    expect(tail[tail.length - 1]!.line).to.equal('line 999');
    expect(ring.tail('s', 100)[0]!.line).to.equal('line 900');
  });

  it('defaults to 1000 lines per service', () => {
    const ring = new RingStore();
    for (let i = 0; i < 5000; i += 500) ring.push('s', 'stdout', 0, pieces(numbered(i, i + 500)));
    expect(ring.tail('s', 1000)[0]!.line).to.equal('line 4000');
    expect(ring.tail('s', 5000).length).to.be.within(1000, 1500);
  });

  it('bounds the bytes kept per service', () => {
    const ring = new RingStore({ bytesPerService: 1000 });
    for (let i = 0; i < 50; i++) ring.push('s', 'stdout', 0, pieces(`${'x'.repeat(99)}\n`));
    expect(ring.tail('s', 1000).length).to.equal(10);
  });

  it('keeps the lines of a service after its stream ended', async () => {
    const ring = new RingStore();
    const sink = new RecordingSink();
    const mux = new OutputMultiplexer({ stdout: sink, stderr: sink, format: 'plain', timestamps: false, color: false, ring });
    const src = new PassThrough();
    mux.attach('oneshot', 'stdout', src);
    src.end('did it\nfailed');
    await mux.idle();
    expect(ring.tail('oneshot', 10).map((l) => l.line)).to.deep.equal(['did it', 'failed']);
  });

  it('passes live lines to subscribers until they unsubscribe', () => {
    const ring = new RingStore();
    const seen: RingLine[] = [];
    const off = ring.subscribe((l) => seen.push(l));
    ring.push('a', 'stdout', 5, pieces('one\ntwo\n'));
    ring.pushLine('a', 'stderr', 6, 'three');
    off();
    ring.push('a', 'stdout', 7, pieces('four\n'));
    expect(seen.map((l) => `${l.stream}:${l.line}`)).to.deep.equal(['stdout:one', 'stdout:two', 'stderr:three']);
    expect(ring.tail('a', 10).length).to.equal(4);
  });

  it('formats a stored line exactly as the multiplexer writes it', async () => {
    const clock = new FakeClock(Date.UTC(2024, 4, 1));
    const ring = new RingStore();
    for (const timestamps of [false, true]) {
      for (const format of ['plain', 'json'] as const) {
        const sink = new RecordingSink();
        const mux = new OutputMultiplexer({ stdout: sink, stderr: sink, format, timestamps, color: true, clock, ring });
        mux.setNames(['api', 'database']);
        const src = new PassThrough();
        mux.attach('api', 'stdout', src);
        src.end(`${format} ${timestamps}\n`);
        await mux.idle();
        const last = ring.tail('api', 1)[0]!;
        expect(formatRingLine(last, mux.prefixer, { format, timestamps })).to.equal(sink.lines()[0]);
      }
    }
    const own = new LinePrefixer(false);
    expect(formatRingLine({ service: 'x', stream: 'stdout', time: 0, line: 'y' }, own)).to.equal('x | y');
  });

  it('forgets a service', () => {
    const ring = new RingStore();
    ring.push('a', 'stdout', 0, pieces('x\n'));
    ring.forget('a');
    expect(ring.services()).to.deep.equal([]);
  });
});
