// log/line-splitter: whole lines out of arbitrary chunks.
import { expect } from 'chai';
import fc from 'fast-check';
import { LineSplitter, Pieces } from '../../../lib/log/line-splitter.js';

/** Feed chunks, return every line emitted (as strings), including the final partial one. */
function split(chunks: (string | Buffer)[], maxLine?: number): string[] {
  const s = new LineSplitter(maxLine);
  const p = new Pieces();
  const out: string[] = [];
  const collect = (): void => {
    for (let i = 0; i < p.count; i++) out.push(p.text(i));
    p.reset();
  };
  for (const c of chunks) {
    s.push(typeof c === 'string' ? Buffer.from(c) : c, p);
    collect();
  }
  s.end(p);
  collect();
  return out;
}

describe('log/line-splitter', () => {
  it('emits whole lines and keeps the unfinished one across chunks', () => {
    expect(split(['a\nbb', 'b\nc', 'c', 'c\n'])).to.deep.equal(['a', 'bbb', 'ccc']);
  });

  it('flushes a final line without a newline at the end', () => {
    expect(split(['one\ntwo'])).to.deep.equal(['one', 'two']);
    expect(split(['one\n'])).to.deep.equal(['one']);
  });

  it('keeps empty lines', () => {
    expect(split(['\n\nx\n'])).to.deep.equal(['', '', 'x']);
  });

  it('splits a line longer than the limit into pieces of the limit', () => {
    expect(split(['abcdefghij\n'], 4)).to.deep.equal(['abcd', 'efgh', 'ij']);
    // the same across chunks, without a newline ever coming
    expect(split(['abc', 'def', 'ghij'], 4)).to.deep.equal(['abcd', 'efgh', 'ij']);
  });

  it('holds at most the limit for an unfinished line', () => {
    const s = new LineSplitter(8);
    const p = new Pieces();
    for (let i = 0; i < 100; i++) s.push(Buffer.from('xxx'), p);
    expect(s.pending).to.be.at.most(8);
    expect(p.count).to.equal(Math.floor(300 / 8));
  });

  it('does not cut a UTF-8 character when splitting a long line', () => {
    const lines = split([`ab${'é'.repeat(4)}\n`], 5); // é is 2 bytes: "ab" + 8 bytes
    expect(lines.join('')).to.equal(`ab${'é'.repeat(4)}`);
    for (const l of lines) expect(l).not.to.include('\uFFFD');
  });

  it('any chunking of any text gives the same lines (property)', () => {
    const line = fc.string({ unit: fc.constantFrom('a', 'b', 'é', ' '), maxLength: 30 });
    fc.assert(
      fc.property(fc.array(line, { maxLength: 20 }), fc.array(fc.nat(40), { maxLength: 10 }), (lines, cuts) => {
        const text = Buffer.from(lines.map((l) => `${l}\n`).join(''));
        const chunks: Buffer[] = [];
        let pos = 0;
        for (const c of cuts) {
          chunks.push(text.subarray(pos, Math.min(text.length, pos + c)));
          pos = Math.min(text.length, pos + c);
        }
        chunks.push(text.subarray(pos));
        expect(split(chunks, 1 << 16)).to.deep.equal(lines);
      }),
    );
  });

  it('joins lines with a prefix, and copies them as one block', () => {
    const s = new LineSplitter();
    const p = new Pieces();
    s.push(Buffer.from('x\nyy\npart'), p);
    expect(p.join(Buffer.from('> ')).toString()).to.equal('> x\n> yy\n');
    expect(p.join(Buffer.from('> '), 1, 2).toString()).to.equal('> yy\n');
    expect(p.block().toString()).to.equal('x\nyy\n');
    p.reset();
    s.push(Buffer.from('ial\nz\n'), p);
    expect(p.block().toString()).to.equal('partial\nz\n');
  });
});
