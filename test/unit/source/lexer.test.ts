// source/lexer: execline lexing of up/down.
import { expect } from 'chai';
import { lexExecline } from '../../../lib/source/lexer.js';

const lex = (text: string): string[] => {
  const r = lexExecline(text);
  if (!r.ok) throw new Error(`unexpected lex error: ${r.error.message} (line ${r.error.line})`);
  return r.value;
};
const lexErr = (text: string) => {
  const r = lexExecline(text);
  if (r.ok) throw new Error(`expected an error, got ${JSON.stringify(r.value)}`);
  return r.error;
};

describe('source/lexer: execline lexing of up/down', () => {
  it('splits on spaces, tabs, newlines and CR', () => {
    expect(lex('echo  hello\tworld\r\nagain')).to.deep.equal(['echo', 'hello', 'world', 'again']);
  });
  it('yields nothing for empty, blank and comment-only input', () => {
    expect(lex('')).to.deep.equal([]);
    expect(lex('  \n\t\n')).to.deep.equal([]);
    expect(lex('# just a comment\n   # another\n')).to.deep.equal([]);
  });
  it('strips comments to end of line, but not inside quotes', () => {
    expect(lex('echo a # comment\necho b')).to.deep.equal(['echo', 'a', 'echo', 'b']);
    expect(lex('echo "a # not a comment"')).to.deep.equal(['echo', 'a # not a comment']);
  });
  it('keeps a quoted string as one word, possibly empty, and joins adjacent parts', () => {
    expect(lex('echo "hello world" ""')).to.deep.equal(['echo', 'hello world', '']);
    expect(lex('a"b c"d')).to.deep.equal(['ab cd']);
    expect(lex('"multi\nline"')).to.deep.equal(['multi\nline']);
  });
  it('does no substitution', () => {
    expect(lex('echo $HOME * ~')).to.deep.equal(['echo', '$HOME', '*', '~']);
  });
  it('handles escapes inside quotes', () => {
    expect(lex('"a\\"b" "c\\\\d" "\\t\\n\\r\\a\\b\\v\\f"')).to.deep.equal(['a"b', 'c\\d', '\t\n\r\x07\b\v\f']);
    expect(lex('"\\0x41\\0101\\66"')).to.deep.equal(['AAB']);
    expect(lex('"one\\\ntwo"')).to.deep.equal(['onetwo']);
  });
  it('escapes any character outside quotes and ignores a trailing backslash', () => {
    expect(lex('a\\ b c\\#d')).to.deep.equal(['a b', 'c#d']);
    expect(lex('echo a\\\nb')).to.deep.equal(['echo', 'a', 'b']);
    expect(lex('echo x\\')).to.deep.equal(['echo', 'x']);
  });
  it('turns blocks into space-prefixed words and a closing empty word', () => {
    expect(lex('if { mkdir -p /x } chmod 700 /x')).to.deep.equal(['if', ' mkdir', ' -p', ' /x', '', 'chmod', '700', '/x']);
    expect(lex('a { b { c } d }')).to.deep.equal(['a', ' b', '  c', ' ', ' d', '']);
    expect(lex('foreground { echo "x y" } true')).to.deep.equal(['foreground', ' echo', ' x y', '', 'true']);
  });
  it('treats quoted or escaped braces and braces inside words as ordinary', () => {
    expect(lex('echo "{" \\} {a b}')).to.deep.equal(['echo', '{', '}', '{a', 'b}']);
  });
  it('reports an unmatched } with its line', () => {
    expect(lexErr('echo a\n}\n')).to.deep.equal({ message: 'unmatched }', line: 2 });
  });
  it('reports an unmatched { with the line of the opening brace', () => {
    expect(lexErr('if {\n  true\n')).to.deep.equal({ message: 'unmatched {', line: 1 });
  });
  it('reports an unterminated quote with its starting line', () => {
    expect(lexErr('echo\n"abc\ndef')).to.deep.equal({ message: 'unterminated quoted string', line: 2 });
    expect(lexErr('"abc\\')).to.include({ line: 1 });
  });
  it('rejects NUL characters (binary files) instead of truncating words', () => {
    expect(lexErr('echo a\0b').message).to.match(/NUL/);
    expect(lexErr('"\\0"').message).to.match(/NUL/);
  });
});
