// source/list-file: dependencies/contents list syntax.
import { expect } from 'chai';
import { dedupe, invisibleCharHint, parseList } from '../../../lib/source/list-file.js';

describe('source/list-file: dependencies/contents list syntax', () => {
  it('takes one name per line with line numbers, skipping blanks and comments', () => {
    expect(parseList('a\n\n# comment\n  b\n\t# indented comment\nc')).to.deep.equal([
      { name: 'a', line: 1 },
      { name: 'b', line: 4 },
      { name: 'c', line: 6 },
    ]);
  });
  it('strips leading blanks but keeps trailing whitespace as part of the name', () => {
    expect(parseList('  a \n\tb\t\n')).to.deep.equal([
      { name: 'a ', line: 1 },
      { name: 'b\t', line: 2 },
    ]);
  });
  it('accepts empty files and a missing final newline', () => {
    expect(parseList('')).to.deep.equal([]);
    expect(parseList('x')).to.deep.equal([{ name: 'x', line: 1 }]);
  });
  it('explains invisible characters', () => {
    expect(invisibleCharHint('db\r')).to.match(/CRLF/);
    expect(invisibleCharHint('db ')).to.match(/trailing blanks/);
    expect(invisibleCharHint('db')).to.equal(undefined);
  });
  it('drops duplicates, reporting them', () => {
    const dups: string[] = [];
    const out = dedupe([{ name: 'a', file: 'f' }, { name: 'b', file: 'f' }, { name: 'a', file: 'f', line: 3 }], (r) => dups.push(`${r.name}:${r.line}`));
    expect(out.map((r) => r.name)).to.deep.equal(['a', 'b']);
    expect(dups).to.deep.equal(['a:3']);
  });
});
