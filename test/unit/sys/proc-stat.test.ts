// sys/proc-stat: the one /proc/PID/stat parser, and the views built on it.
import { expect } from 'chai';
import { readFileSync } from 'node:fs';
import { parseProcStat, readProcStat } from '../../../lib/sys/proc-stat.js';
import { procInfo } from '../../../lib/sys/proc.js';
import { processGroupMembers } from '../../../lib/sys/proc-table.js';

const FULL = '4242 (a (weird) name) S 1 4240 4239 0 -1 4194560 100 0 0 0 1 2 0 0 20 0 1 0 123456 1000 10 18446744073709551615';

describe('sys/proc-stat', () => {
  it('reads every field rc uses, with spaces and parentheses in the command name', () => {
    expect(parseProcStat(FULL)).to.deep.equal({ pid: 4242, comm: 'a (weird) name', state: 'S', ppid: 1, pgid: 4240, sid: 4239, startTime: 123456 });
  });

  it('a short line has no group, session or start time', () => {
    expect(parseProcStat('42 (sleep) Z 1')).to.deep.equal({ pid: 42, comm: 'sleep', state: 'Z', ppid: 1, pgid: null, sid: null, startTime: null });
    expect(parseProcStat('7 (a) b (c)) S 3 7 7 0')).to.deep.include({ pid: 7, comm: 'a) b (c)', state: 'S', ppid: 3, pgid: 7, sid: 7 });
  });

  it('returns null on garbage', () => {
    expect(parseProcStat('')).to.equal(null);
    expect(parseProcStat('garbage')).to.equal(null);
    expect(parseProcStat('12 sleep S 1')).to.equal(null);
    expect(parseProcStat('x (y) S notanumber')).to.equal(null);
    expect(parseProcStat('12 (y) S notanumber')).to.equal(null);
  });

  it('procInfo needs the group and the start time', () => {
    expect(procInfo(parseProcStat(FULL))).to.deep.equal({ pid: 4242, pgid: 4240, state: 'S', startTime: 123456 });
    expect(procInfo(parseProcStat('42 (sleep) Z 1 42'))).to.equal(undefined);
    expect(procInfo(null)).to.equal(undefined);
  });

  it('reads this process, and finds it in its own process group', async () => {
    const me = readProcStat(process.pid);
    expect(me).to.deep.include({ pid: process.pid, ppid: process.ppid });
    expect(parseProcStat(readFileSync('/proc/self/stat', 'utf8'))?.pgid).to.equal(me?.pgid);
    const members = await processGroupMembers(me!.pgid!);
    expect(members.map((p) => p.pid)).to.include(process.pid);
    expect(readProcStat(-1)).to.equal(null);
  });
});
