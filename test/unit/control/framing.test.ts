// Control protocol framing: LineSplitter over JSON lines.
import { expect } from 'chai';
import { LineSplitter } from '../../../lib/control/framing.js';

describe('control framing (LineSplitter)', () => {
  it('returns complete lines across chunk boundaries, keeps the tail for later', () => {
    const s = new LineSplitter(100);
    expect(s.push(Buffer.from('{"a":1}\n{"b"'))).to.deep.equal({ lines: ['{"a":1}'], overflow: false });
    expect(s.push(Buffer.from(':2}\r\n\n'))).to.deep.equal({ lines: ['{"b":2}', ''], overflow: false });
  });

  it('does not split a multi-byte UTF-8 character cut between chunks', () => {
    const s = new LineSplitter(100);
    const bytes = Buffer.from('é\n');
    expect(s.push(bytes.subarray(0, 1)).lines).to.deep.equal([]);
    expect(s.push(bytes.subarray(1)).lines).to.deep.equal(['é']);
  });

  it('reports overflow when a line exceeds the limit without a newline, then stays overflowed', () => {
    const s = new LineSplitter(10);
    expect(s.push(Buffer.from('12345')).overflow).to.equal(false);
    expect(s.push(Buffer.from('678901')).overflow).to.equal(true);
    expect(s.push(Buffer.from('\n')).overflow).to.equal(true);
  });

  it('accepts a line of exactly the limit', () => {
    const s = new LineSplitter(4);
    expect(s.push(Buffer.from('abcd\n'))).to.deep.equal({ lines: ['abcd'], overflow: false });
  });
});
