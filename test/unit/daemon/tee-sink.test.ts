// teeSink: whole lines to a listener, the stream to the main sink.
import { expect } from 'chai';
import { PassThrough } from 'node:stream';
import { teeSink } from '../../../lib/daemon/tee-sink.js';

describe('daemon teeSink', () => {
  it('hands whole lines to the listener and the stream to the main sink', async () => {
    const mainChunks: Buffer[] = [];
    const lines: string[] = [];
    const sink = teeSink(
      { attach: (_s, _st, src) => void src.on('data', (c: Buffer) => mainChunks.push(c)) },
      (service, stream, line) => lines.push(`${service}/${stream}: ${line}`),
    );
    const src = new PassThrough();
    sink.attach('migrate', 'stdout', src);
    src.write('one\ntw');
    src.write(Buffer.from([0xc3]));
    src.write(Buffer.from([0xa9, 0x0a]));
    src.end('last without newline');
    await new Promise((r) => src.on('end', r));
    expect(lines).to.deep.equal(['migrate/stdout: one', 'migrate/stdout: twé', 'migrate/stdout: last without newline']);
    expect(Buffer.concat(mainChunks).toString()).to.equal('one\ntwé\nlast without newline');
  });
});
