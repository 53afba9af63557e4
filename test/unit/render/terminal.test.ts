// progressStyle: listr2 only on a TTY of a known, usable width; plain lines otherwise.
import { expect } from 'chai';
import { LISTR_MIN_COLUMNS, progressStyle } from '../../../lib/render/terminal.js';

describe('progressStyle (which renderer a terminal gets)', () => {
  it('listr2 on a TTY with a usable width', () => {
    expect(progressStyle({ isTTY: true, columns: 80 })).to.equal('listr');
    expect(progressStyle({ isTTY: true, columns: LISTR_MIN_COLUMNS })).to.equal('listr');
  });

  it('plain lines when the width is unknown (0 columns, undefined) or tiny', () => {
    expect(progressStyle({ isTTY: true, columns: 0 })).to.equal('plain');
    expect(progressStyle({ isTTY: true })).to.equal('plain');
    expect(progressStyle({ isTTY: true, columns: Number.NaN })).to.equal('plain');
    expect(progressStyle({ isTTY: true, columns: LISTR_MIN_COLUMNS - 1 })).to.equal('plain');
  });

  it('plain lines when not a TTY, or on TERM=dumb', () => {
    expect(progressStyle({ isTTY: false, columns: 80 })).to.equal('plain');
    expect(progressStyle({ columns: 80 })).to.equal('plain');
    expect(progressStyle({ isTTY: true, columns: 80 }, { TERM: 'dumb' })).to.equal('plain');
  });
});
