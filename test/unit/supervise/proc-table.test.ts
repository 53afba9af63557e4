// supervise/proc-table and small helpers.
import { expect } from 'chai';
import { parseProcStat, processGroupMembers } from '../../../lib/supervise/proc-table.js';
import { DeathTally } from '../../../lib/supervise/death-tally.js';
import { finishArgs, tallyCode } from '../../../lib/supervise/programs.js';

describe('supervise/proc-table and small helpers', () => {
  it('parses /proc/PID/stat, including command names with spaces and parentheses', () => {
    const e = parseProcStat('4242 (my (odd) prog) S 1 4242 4242 0 -1 4194560 ...');
    expect(e).to.deep.equal({ pid: 4242, ppid: 1, pgid: 4242, sid: 4242, state: 'S', comm: 'my (odd) prog' });
    expect(parseProcStat('garbage')).to.equal(null);
  });

  it('finds the members of our own process group', async () => {
    const me = await processGroupMembers(Number((await import('node:fs')).readFileSync('/proc/self/stat', 'utf8').split(') ')[1]!.split(' ')[2]));
    expect(me.map((p) => p.pid)).to.include(process.pid);
  });

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
