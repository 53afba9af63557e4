// parseConvfile: s6-rc-update's conversion file syntax, with located errors.
import { expect } from 'chai';
import { formatDiagnostic } from '../../../lib/core/diagnostics.js';
import { parseConvfile } from '../../../lib/source/convfile.js';

describe('source/convfile', () => {
  it('reads renames, restarts and both; skips comments and blank lines', () => {
    const c = parseConvfile('# comment\n\nold -> new\nweb restart  # why\n  a -> b restart\n', '/etc/conv');
    expect(c.diagnostics).to.deep.equal([]);
    expect(c.entries).to.deep.equal([
      { from: 'old', to: 'new', restart: false, line: 3 },
      { from: 'web', to: 'web', restart: true, line: 4 },
      { from: 'a', to: 'b', restart: true, line: 5 },
    ]);
  });

  it('locates every mistake with the expected syntax as a hint', () => {
    const c = parseConvfile('a ->\nb => c\nd -> e now\nold -> new\nold restart\n', '/etc/conv');
    const text = c.diagnostics.map(formatDiagnostic);
    expect(text[0]).to.match(/^\/etc\/conv:1: error: '->' after 'a' must be followed by the new name\n {2}hint: each line is `OLD -> NEW`/);
    expect(text[1]).to.match(/^\/etc\/conv:2: error: unexpected '=>' after 'b': expected '->' or 'restart'/);
    expect(text[2]).to.match(/^\/etc\/conv:3: error: unexpected 'now' after 'd -> e'/);
    expect(text[3]).to.match(/^\/etc\/conv:5: error: 'old' is converted twice \(first on line 4\)/);
    expect(c.entries.map((e) => e.from)).to.deep.equal(['old']);
  });
});
