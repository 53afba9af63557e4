// supervise: small helpers (death tally, finish arguments).
import { expect } from 'chai';
import { DeathTally } from '../../../lib/supervise/death-tally.js';
import { finishArgs, tallyCode } from '../../../lib/supervise/programs.js';

describe('supervise/small helpers', () => {
  it('finish arguments and tally codes follow s6', () => {
    expect(finishArgs('svc', 0, null)).to.deep.equal(['0', '0', 'svc']);
    expect(finishArgs('svc', 7, null)).to.deep.equal(['7', '0', 'svc']);
    expect(finishArgs('svc', null, 'SIGKILL')).to.deep.equal(['256', '9', 'svc']);
    expect(tallyCode(null, 'SIGTERM')).to.equal(143);
    expect(tallyCode(4, null)).to.equal(4);
  });

  it('the death tally is capped at 4096', () => {
    const t = new DeathTally(10_000);
    for (let i = 0; i < 5000; i++) t.record({ time: i, exitCode: 0, signal: null });
    expect(t.count).to.equal(4096);
    expect(t.list()[0]!.time).to.equal(5000 - 4096);
  });
});
