// core: names (closest name, reserved prefixes), signals, diagnostics.
import { expect } from 'chai';
import { closestName, editDistance, hasReservedPrefix } from '../../../lib/core/names.js';
import { parseSignal } from '../../../lib/core/signals.js';
import { formatDiagnostic, sortDiagnostics, error } from '../../../lib/core/diagnostics.js';

describe('core/names', () => {
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
