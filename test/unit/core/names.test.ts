// core: names (closest name, reserved prefixes), signals, diagnostics.
import { expect } from 'chai';
import { closestName, editDistance, hasReservedPrefix, invalidNameChar, quoteText, showName } from '../../../lib/core/names.js';
import { DiagnosticSink, MAX_MESSAGE } from '../../../lib/source/sink.js';
import { parseSignal } from '../../../lib/core/signals.js';
import { formatDiagnostic, sortDiagnostics, error } from '../../../lib/core/diagnostics.js';

describe('core/names', () => {
  it('quotes text cut at 80 characters, with an ellipsis and the total length', () => {
    expect(quoteText('db')).to.equal('"db"');
    expect(quoteText('x'.repeat(80))).to.equal(JSON.stringify('x'.repeat(80)));
    expect(quoteText('\0'.repeat(16 << 20))).to.equal(`${JSON.stringify('\0'.repeat(80))}… (16777216 characters)`);
    expect(showName('db')).to.equal('db');
    expect(showName('a\0b')).to.equal('"a\\u0000b"');
    expect(showName('y'.repeat(200))).to.match(/… \(200 characters\)$/);
  });
  it('names NUL bytes, newlines and other control characters as what makes a name invalid', () => {
    expect(invalidNameChar('db')).to.equal(undefined);
    expect(invalidNameChar('db\r')).to.equal(undefined, 'CRLF keeps its own hint');
    expect(invalidNameChar('db\t')).to.equal(undefined, 'trailing blanks keep their own hint');
    expect(invalidNameChar('a\0')).to.equal('a NUL byte');
    expect(invalidNameChar('a\nb')).to.equal('a newline character');
    expect(invalidNameChar('a\x1b[31m')).to.equal('a control character (U+001B)');
    expect(invalidNameChar('a\x7f')).to.equal('a control character (U+007F)');
  });
  it('the diagnostic sink cuts any message or hint longer than MAX_MESSAGE', () => {
    const sink = new DiagnosticSink();
    sink.error('f', 'm'.repeat(5_000_000), { hint: 'h'.repeat(MAX_MESSAGE + 1) });
    const [d] = sink.diagnostics;
    expect(d!.message.length).to.be.below(MAX_MESSAGE + 40);
    expect(d!.message).to.match(/… \(5000000 characters\)$/);
    expect(d!.hint).to.match(/… \(1001 characters\)$/);
  });
  it('computes edit distance', () => {
    expect(editDistance('postgres', 'postgre')).to.equal(1);
    expect(editDistance('abc', 'abc')).to.equal(0);
    expect(editDistance('kitten', 'sitting')).to.equal(3);
  });
  it('suggests the closest name, or nothing when nothing is close', () => {
    expect(closestName('postgre', ['postgres', 'redis', 'app'])).to.equal('postgres');
    expect(closestName('zzzzzzzz', ['postgres', 'redis'])).to.equal(undefined);
  });
  it('knows the reserved prefixes', () => {
    expect(hasReservedPrefix('s6rc-fdholder')).to.equal(true);
    expect(hasReservedPrefix('s6-rc-x')).to.equal(true);
    expect(hasReservedPrefix('s6-foo')).to.equal(false);
  });
});

describe('core/signals', () => {
  it('parses names and numbers', () => {
    expect(parseSignal('TERM')).to.equal('SIGTERM');
    expect(parseSignal('SIGHUP\n')).to.equal('SIGHUP');
    expect(parseSignal('9')).to.equal('SIGKILL');
    expect(parseSignal('NOPE')).to.equal(undefined);
  });
});

describe('core/diagnostics', () => {
  it('formats PATH:LINE: error: MESSAGE with a hint and sorts stably', () => {
    const d = error('src/app/dependencies', 'undefined service name postgre', { line: 2, hint: 'did you mean `postgres`?' });
    expect(formatDiagnostic(d)).to.equal('src/app/dependencies:2: error: undefined service name postgre\n  hint: did you mean `postgres`?');
    const sorted = sortDiagnostics([error('b', 'x'), error('a', 'y', { line: 3 }), error('a', 'z', { line: 1 })]);
    expect(sorted.map((x) => `${x.file}:${x.line ?? ''}`)).to.deep.equal(['a:1', 'a:3', 'b:']);
  });
});
