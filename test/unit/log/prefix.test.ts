// log/prefix: padded service-name prefixes, colour, timestamps, JSON lines.
import { expect } from 'chai';
import { LinePrefixer, isoTime, jsonLine, tai64n } from '../../../lib/log/prefix.js';

describe('log/prefix', () => {
  it('pads names to the longest name registered so far', () => {
    const p = new LinePrefixer(false);
    expect(p.prefix('db')).to.equal('db | ');
    p.register('api-server');
    expect(p.prefix('db')).to.equal('db         | ');
    expect(p.prefixBuffer('db').toString()).to.equal('db         | ');
  });

  it('takes every name up front with setNames', () => {
    const p = new LinePrefixer(false);
    p.setNames(['web', 'postgres', 'a']);
    expect(p.width).to.equal(8);
    expect(p.prefix('a')).to.equal('a        | ');
  });

  it('colours per service only when colour is on', () => {
    const plain = new LinePrefixer(false);
    expect(plain.prefix('api')).not.to.include('\u001b[');
    const coloured = new LinePrefixer(true);
    coloured.setNames(['api', 'db']);
    const a = coloured.prefix('api');
    const d = coloured.prefix('db');
    expect(a).to.include('\u001b[');
    expect(a.slice(0, 5)).not.to.equal(d.slice(0, 5)); // different colour codes
  });

  it('formats timestamps: ISO-8601 and TAI64N', () => {
    expect(isoTime(0)).to.equal('1970-01-01T00:00:00.000Z');
    // 2^62 + 37 s at the epoch, 1.5 s later: seconds +1, 500 000 000 ns
    expect(tai64n(1500)).to.equal('@40000000000000261dcd6500');
    expect(tai64n(0, 7)).to.equal('@400000000000002500000007');
  });

  it('writes one JSON object per line', () => {
    const obj = JSON.parse(jsonLine('api', 'stderr', '2024-01-01T00:00:00.000Z', 'say "hi"')) as unknown;
    expect(obj).to.deep.equal({ service: 'api', stream: 'stderr', time: '2024-01-01T00:00:00.000Z', line: 'say "hi"' });
  });
});
