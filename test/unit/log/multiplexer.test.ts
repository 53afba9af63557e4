// log/multiplexer: prefixed lines from many services to one stream.
import { expect } from 'chai';
import { PassThrough } from 'node:stream';
import { FakeClock } from '../../../lib/core/clock.js';
import { OutputMultiplexer, type MultiplexerOptions } from '../../../lib/log/multiplexer.js';
import { RingStore } from '../../../lib/log/ring.js';
import { RecordingSink, tick } from './sink.js';

function setup(extra: Partial<MultiplexerOptions> = {}) {
  const stdout = new RecordingSink();
  const stderr = new RecordingSink();
  const clock = new FakeClock(Date.UTC(2024, 0, 2, 3, 4, 5, 678));
  const mux = new OutputMultiplexer({ stdout, stderr, format: 'plain', timestamps: false, color: false, clock, ...extra });
  return { stdout, stderr, mux, clock };
}

describe('log/multiplexer', () => {
  it('prefixes whole lines with the service name padded to a common width', async () => {
    const { stdout, mux } = setup();
    const a = new PassThrough();
    const b = new PassThrough();
    mux.setNames(['api', 'postgres']);
    mux.attach('api', 'stdout', a);
    mux.attach('postgres', 'stdout', b);
    a.write('hello\n');
    await tick();
    b.write('ready\n');
    await tick();
    expect(stdout.lines()).to.deep.equal(['api      | hello', 'postgres | ready']);
  });

  it('never mixes two services inside a line, whatever the chunking', async () => {
    const { stdout, mux } = setup();
    const a = new PassThrough();
    const b = new PassThrough();
    mux.attach('a', 'stdout', a);
    mux.attach('b', 'stdout', b);
    for (const [src, text] of [[a, 'hel'], [b, 'wor'], [a, 'lo\nsec'], [b, 'ld\n'], [a, 'ond\n']] as const) {
      src.write(text);
      await tick();
    }
    expect(stdout.lines()).to.deep.equal(['a | hello', 'b | world', 'a | second']);
  });

  it('flushes a final line without a newline when the stream ends', async () => {
    const { stdout, mux } = setup();
    const a = new PassThrough();
    mux.attach('a', 'stdout', a);
    a.end('no newline');
    await mux.idle();
    expect(stdout.text()).to.equal('a | no newline\n');
  });

  it('splits a line longer than the limit', async () => {
    const { stdout, mux } = setup({ maxLine: 8 });
    const a = new PassThrough();
    mux.attach('a', 'stdout', a);
    a.end(`${'x'.repeat(20)}\n`);
    await mux.idle();
    expect(stdout.lines()).to.deep.equal(['a | xxxxxxxx', 'a | xxxxxxxx', 'a | xxxx']);
  });

  it("sends stderr lines to the daemon's stderr", async () => {
    const { stdout, stderr, mux } = setup();
    const out = new PassThrough();
    const err = new PassThrough();
    mux.attach('api', 'stdout', out);
    mux.attach('api', 'stderr', err);
    out.end('to out\n');
    err.end('to err\n');
    await mux.idle();
    expect(stdout.lines()).to.deep.equal(['api | to out']);
    expect(stderr.lines()).to.deep.equal(['api | to err']);
  });

  it('adds an ISO-8601 timestamp with timestamps on', async () => {
    const { stdout, mux } = setup({ timestamps: true });
    const a = new PassThrough();
    mux.attach('a', 'stdout', a);
    a.end('x\n');
    await mux.idle();
    expect(stdout.lines()).to.deep.equal(['a | 2024-01-02T03:04:05.678Z x']);
  });

  it('writes one JSON object per line in json format', async () => {
    const { stdout, stderr, mux } = setup({ format: 'json' });
    const a = new PassThrough();
    const e = new PassThrough();
    mux.attach('api', 'stdout', a);
    mux.attach('api', 'stderr', e);
    a.end('one\ntwo "quoted"\n');
    e.end('oops\n');
    await mux.idle();
    const objs = stdout.lines().map((l) => JSON.parse(l) as unknown);
    expect(objs).to.deep.equal([
      { service: 'api', stream: 'stdout', time: '2024-01-02T03:04:05.678Z', line: 'one' },
      { service: 'api', stream: 'stdout', time: '2024-01-02T03:04:05.678Z', line: 'two "quoted"' },
    ]);
    expect(JSON.parse(stderr.lines()[0]!)).to.include({ stream: 'stderr', line: 'oops' });
  });

  it('colours the prefix when colour is on', async () => {
    const { stdout, mux } = setup({ color: true });
    const a = new PassThrough();
    mux.attach('a', 'stdout', a);
    a.end('x\n');
    await mux.idle();
    // eslint-disable-next-line no-control-regex -- matching ANSI colour escapes
    expect(stdout.text()).to.match(/^\u001b\[\d+ma \|\u001b\[\d+m x\n$/);
  });

  it('pauses every source while the destination is full and resumes on drain', async () => {
    const sink = new RecordingSink(8);
    sink.hold = true;
    const m = new OutputMultiplexer({ stdout: sink, stderr: sink, format: 'plain', timestamps: false, color: false });
    const a = new PassThrough();
    const b = new PassThrough();
    m.attach('a', 'stdout', a);
    m.attach('b', 'stdout', b);
    a.write('first line\n');
    await tick();
    expect(a.isPaused() && b.isPaused()).to.equal(true);
    expect(m.stats().pauses).to.equal(1);
    b.write('waits\n');
    await tick();
    expect(sink.lines()).to.deep.equal(['a | first line']); // b's line is not read yet
    const late = new PassThrough();
    m.attach('c', 'stdout', late); // attached while congested: starts paused
    expect(late.isPaused()).to.equal(true);
    sink.release();
    await tick();
    expect(a.isPaused() || b.isPaused() || late.isPaused()).to.equal(false);
    expect(sink.lines()).to.deep.equal(['a | first line', 'b | waits']);
  });

  it('keeps lines in the ring store and survives a failed destination', async () => {
    const ring = new RingStore();
    const { stdout, mux } = setup({ ring });
    const a = new PassThrough();
    mux.attach('a', 'stdout', a);
    stdout.destroy(new Error('EPIPE'));
    await tick();
    a.end('kept\n');
    await mux.idle();
    expect(ring.tail('a', 10).map((l) => l.line)).to.deep.equal(['kept']);
  });

  it('idle() waits for every source to end', async () => {
    const { mux } = setup();
    const a = new PassThrough();
    mux.attach('a', 'stdout', a);
    let idle = false;
    void mux.idle().then(() => (idle = true));
    await tick();
    expect(idle).to.equal(false);
    a.end();
    await tick();
    expect(idle).to.equal(true);
    expect(mux.stats().sources).to.equal(0);
  });
});
