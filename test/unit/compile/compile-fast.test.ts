// The rc compile / rc check fast path: its own argument parsing.
import { expect } from 'chai';
import { parseCompileFast } from '../../../cli/commands/compile-fast.js';

describe('cli: rc compile / rc check fast path parsing', () => {
  it('parses the common forms', () => {
    expect(parseCompileFast(['compile', 'out', 'a', 'b'])).to.deep.equal({ cmd: 'compile', args: ['out', 'a', 'b'], opts: { verbosity: 1 } });
    expect(parseCompileFast(['compile', '-v', '2', '--force', 'out', 'a', '--json'])).to.deep.equal({
      cmd: 'compile',
      args: ['out', 'a'],
      opts: { verbosity: 2, force: true, json: true },
    });
    expect(parseCompileFast(['check', '-v0', 'a'])?.opts.verbosity).to.equal(0);
    expect(parseCompileFast(['check', '--verbosity=3', 'a'])?.opts.verbosity).to.equal(3);
  });
  it('leaves everything unusual to the full CLI', () => {
    for (const argv of [
      ['compile', 'out'],
      ['compile', '--help', 'out', 'a'],
      ['compile', '-v', 'x', 'out', 'a'],
      ['compile', '-v'],
      ['check', '--force', 'a'],
      ['check'],
      ['status'],
      [],
    ]) {
      expect(parseCompileFast(argv), argv.join(' ')).to.equal(undefined);
    }
  });
});
