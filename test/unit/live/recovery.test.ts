// Recovery after a crash: findLeftovers among the recorded process groups (pid reuse, orphaned children).
import { expect } from 'chai';
import type { PreviousState } from '../../../lib/live/live-state.js';
import type { ProcInfo } from '../../../lib/sys/proc.js';
import { procInfo } from '../../../lib/sys/proc.js';
import { parseProcStat } from '../../../lib/sys/proc-stat.js';
import { systemClock } from '../../../lib/core/clock.js';
import { findLeftovers, recordsGroups, stopLeftovers } from '../../../lib/live/recovery.js';

const BOOT = 1_700_000_000_000;
/** A process that started `atMs` after boot (ticks of 10 ms). */
const proc = (pid: number, pgid: number, atMs: number): ProcInfo => ({ pid, pgid, state: 'S', startTime: atMs / 10 });
const groups = (...ps: ProcInfo[]) => {
  const m = new Map<number, ProcInfo[]>();
  for (const p of ps) m.set(p.pgid, [...(m.get(p.pgid) ?? []), p]);
  return m;
};
const prev = (journal: PreviousState['journal'], services: Record<string, { pgid: number | null; spawnedAt?: number | null }> = {}, clean = false): PreviousState => ({
  state: { format: 'rc-live-state', version: 1, daemonPid: 1, db: '/db', clean, updatedAt: 0, services: Object.fromEntries(Object.entries(services).map(([n, s]) => [n, { up: true, wanted: true, pid: s.pgid, pgid: s.pgid, spawnedAt: s.spawnedAt }])) },
  journal,
  oneshots: [],
  problem: null,
});

describe('daemon recovery: findLeftovers', () => {
  it('finds recorded groups that still have members, once each', () => {
    const p = prev([
      { pgid: 100, spawnedAt: BOOT + 5000, name: 'db' },
      { pgid: 100, spawnedAt: BOOT + 5000, name: 'db' },
      { pgid: 200, spawnedAt: BOOT + 6000, name: 'gone' },
    ]);
    expect(findLeftovers(p, groups(proc(100, 100, 5000), proc(101, 100, 5100)), 1, BOOT)).to.deep.equal([{ pgid: 100, name: 'db' }]);
  });

  it('leaves alone a leader that started at another time (the pid was reused)', () => {
    const p = prev([{ pgid: 100, spawnedAt: BOOT + 5000, name: 'db' }]);
    expect(findLeftovers(p, groups(proc(100, 100, 60_000)), 1, BOOT)).to.deep.equal([]);
  });

  it('kills a group whose leader is gone but whose children remain, and never its own group', () => {
    const p = prev([{ pgid: 100, spawnedAt: BOOT + 5000, name: 'db' }, { pgid: 7, spawnedAt: null, name: 'self' }], { api: { pgid: 300, spawnedAt: BOOT + 1000 } });
    const found = findLeftovers(p, groups(proc(150, 100, 9000), proc(7, 7, 0), proc(300, 300, 1000)), 7, BOOT);
    expect(found).to.deep.equal([{ pgid: 100, name: 'db' }, { pgid: 300, name: 'api' }]);
  });

  it('checks a pgid from state.json by start time too: a stranger that reused it is left alone', () => {
    const p = prev([], { api: { pgid: 300, spawnedAt: BOOT + 1000 }, web: { pgid: 400, spawnedAt: BOOT + 2000 } });
    const found = findLeftovers(p, groups(proc(300, 300, 90_000), proc(400, 400, 2000)), 7, BOOT);
    expect(found).to.deep.equal([{ pgid: 400, name: 'web' }]);
  });

  it('leaves alone a live leader recorded in state.json without a spawn time (it cannot be told from a stranger)', () => {
    const p = prev([], { api: { pgid: 300 } });
    expect(findLeftovers(p, groups(proc(300, 300, 1000)), 7, BOOT)).to.deep.equal([]);
  });

  it('kills nothing recorded in a clean state.json (the daemon stopped everything)', () => {
    const p = prev([], { api: { pgid: 300, spawnedAt: BOOT + 1000 } }, true);
    expect(findLeftovers(p, groups(proc(300, 300, 1000)), 7, BOOT)).to.deep.equal([]);
  });

  it('does not scan /proc when nothing was recorded (a fresh live dir, or a clean state.json)', async () => {
    let scans = 0;
    const scan = () => {
      scans++;
      return groups();
    };
    const fresh: PreviousState = { state: null, journal: [], oneshots: [], problem: null };
    const opts = { graceMs: 100, clock: systemClock, ownPgid: 1, log: () => {}, scan };
    expect(recordsGroups(fresh)).to.equal(false);
    expect(recordsGroups(prev([], { db: { pgid: 100 } }, true))).to.equal(false);
    expect(await stopLeftovers(fresh, opts)).to.deep.equal([]);
    expect(await stopLeftovers(prev([], { db: { pgid: 100 } }, true), opts)).to.deep.equal([]);
    expect(scans).to.equal(0);
    expect(recordsGroups(prev([], { db: { pgid: 100 } }))).to.equal(true);
    expect(await stopLeftovers(prev([], { db: { pgid: 100 } }), opts)).to.deep.equal([]);
    expect(scans).to.equal(1);
  });

  it('parses /proc/PID/stat with spaces and parentheses in the command name', () => {
    const text = '4242 (a (weird) name) S 1 4240 4240 0 -1 4194560 100 0 0 0 1 2 0 0 20 0 1 0 123456 1000 10 18446744073709551615';
    expect(procInfo(parseProcStat(text))).to.deep.equal({ pid: 4242, pgid: 4240, state: 'S', startTime: 123456 });
  });
});
