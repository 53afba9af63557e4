// Recovery of oneshots from their waiters' records: completed, failed, up or down, no record; which still-running scripts are let finish.
import { expect } from 'chai';
import { join } from 'node:path';
import { restoreOneshots, stillRunning, UNTIMED_ONESHOT_WAIT_MS } from '../../../lib/boot/oneshot-recovery.js';
import { compileToDir } from '../../../lib/compile/index.js';
import { readDb } from '../../../lib/db/read.js';
import type { Db } from '../../../lib/db/db.js';
import { livePaths } from '../../../lib/live/live-dir.js';
import { LiveStateStore, type PreviousState } from '../../../lib/live/live-state.js';
import { oneshotOutcomes } from '../../../lib/live/recovery.js';
import { oneshot, writeTree } from '../../integration/compile/tree.js';
import { tempDir } from '../../helpers/paths.js';

describe('boot: oneshot recovery from waiter records', () => {
  let tmp: ReturnType<typeof tempDir>;
  let db: Db;
  beforeEach(() => {
    tmp = tempDir();
    const src = writeTree(join(tmp.path, 'src'), { ...oneshot('a'), ...oneshot('b'), ...oneshot('c'), ...oneshot('d'), ...oneshot('e'), 'a/timeout-up': '5000\n' });
    expect(compileToDir(join(tmp.path, 'db'), [src]).ok).to.equal(true);
    const r = readDb(join(tmp.path, 'db'));
    if (!r.ok) throw new Error(r.error.message);
    db = r.value;
  });
  afterEach(() => tmp.cleanup());

  /** A previous state: `up` recorded in state.json, and each script journaled as started with its pgid. */
  const previous = (up: string[], started: [string, 'up' | 'down', number][]): PreviousState => ({
    state: { format: 'rc-live-state', version: 1, daemonPid: 1, db: '/db', clean: false, updatedAt: 0, services: Object.fromEntries(up.map((n) => [n, { up: true, wanted: true, pid: null, pgid: null }])) },
    journal: started.map(([name, , pgid]) => ({ pgid, spawnedAt: 1_000_000, name })),
    oneshots: started.map(([name, direction, pgid]) => ({ name, direction, event: 'started' as const, value: String(pgid) })),
    problem: null,
  });

  it('completed up → up (not run again); failed up → down, reported; down completed → down; failed down → as recorded; no record → down', () => {
    const prev = previous(['c', 'd'], [['a', 'up', 101], ['b', 'up', 102], ['c', 'down', 103], ['d', 'down', 104], ['e', 'up', 105]]);
    const records = new Map([[101, 0], [102, 143], [103, 0], [104, 1]]);
    const live = join(tmp.path, 'live');
    const state = new LiveStateStore(livePaths(live), db.index.services.map((s) => s.name), { daemonPid: 2, db: db.dir }, undefined, () => false);
    const lines: string[] = [];
    restoreOneshots(db, state, prev, oneshotOutcomes(prev.oneshots), (m) => lines.push(m), new Set(['b']), records);
    const up = [...state.upSet()].map((i) => db.index.services[i]!.name).sort();
    expect(up).to.deep.equal(['a', 'd']);
    expect(lines).to.deep.equal([
      'oneshot c: its down script was running when the previous daemon died and completed (exit 0): recorded down',
      'oneshot d: its down script was running when the previous daemon died and failed (exit 1): recorded up',
      'oneshot a: its up script was running when the previous daemon died and completed (exit 0): recorded up, not run again',
      'oneshot b: its up script was running when the previous daemon died and failed (killed by SIGTERM (status 143)), stopped by this recovery: recorded down (its up runs again when wanted)',
      'oneshot e: its up script was running when the previous daemon died and ended after it died, with an outcome rc cannot know; recorded down (its up runs again when wanted)',
    ]);
  });

  it('lets a still-running script finish until its timeout from its spawn (or the untimed bound); ignores gone groups', () => {
    const prev = previous([], [['a', 'up', 201], ['b', 'up', 202], ['c', 'up', 203]]);
    // Members other than the leader: the group is the recorded one (its leader gone, its pgid not reusable).
    const groups = new Map([[201, [{ pid: 9001, pgid: 201, state: 'S', startTime: 1 }]], [202, [{ pid: 9002, pgid: 202, state: 'S', startTime: 1 }]]]);
    const running = stillRunning(db, prev, oneshotOutcomes(prev.oneshots), groups, 1, 2_000_000);
    expect(running).to.deep.equal([
      { pgid: 201, name: 'a', untilWallMs: 1_000_000 + 5000 },
      { pgid: 202, name: 'b', untilWallMs: 2_000_000 + UNTIMED_ONESHOT_WAIT_MS },
    ]);
  });
});
