// A oneshot's scripts in the spawn journal (issue 10 item 5): started / exited / killed, read back, compacted, judged.
import { expect } from 'chai';
import { readFileSync } from 'node:fs';
import { livePaths } from '../../../lib/live/live-dir.js';
import { LiveStateStore, readPreviousState } from '../../../lib/live/live-state.js';
import { oneshotOutcomes } from '../../../lib/live/recovery.js';
import { tempDir } from '../../helpers/paths.js';

describe('live: oneshot outcomes in the journal', () => {
  let dir: { path: string; cleanup: () => void };
  beforeEach(() => (dir = tempDir()));
  afterEach(() => dir.cleanup());

  it('journals a oneshot script synchronously and reads it back; compaction keeps the last line of each', () => {
    const paths = livePaths(dir.path);
    const store = new LiveStateStore(paths, ['mig', 'with space'], { daemonPid: 1, db: '/db' });
    store.journal(500, 'mig', 1_700_000_000_000);
    store.journalOneshot({ name: 'mig', direction: 'up', event: 'started', value: '500' });
    store.journalOneshot({ name: 'mig', direction: 'up', event: 'exited', value: '0' });
    store.journalOneshot({ name: 'with space', direction: 'down', event: 'killed', value: 'SIGTERM' });
    const prev = readPreviousState(paths);
    expect(prev.journal).to.deep.equal([{ pgid: 500, spawnedAt: 1_700_000_000_000, name: 'mig' }]);
    expect(prev.oneshots).to.deep.equal([
      { name: 'mig', direction: 'up', event: 'started', value: '500' },
      { name: 'mig', direction: 'up', event: 'exited', value: '0' },
      { name: 'with space', direction: 'down', event: 'killed', value: 'SIGTERM' },
    ]);
    store.rewriteJournal([]);
    expect(readFileSync(paths.journal, 'utf8')).to.equal('oneshot up exited 0 mig\noneshot down killed SIGTERM with space\n');
    store.resetJournal();
    expect(readPreviousState(paths).oneshots).to.deep.equal([]);
  });

  it('judges each oneshot by its last script: up exit 0 → up, down exit 0 → down, failed up → down, failed down → as recorded, interrupted → down', () => {
    const o = oneshotOutcomes([
      { name: 'a', direction: 'up', event: 'started', value: '10' },
      { name: 'a', direction: 'up', event: 'exited', value: '0' },
      { name: 'b', direction: 'down', event: 'exited', value: '0' },
      { name: 'c', direction: 'up', event: 'exited', value: '3' },
      { name: 'd', direction: 'down', event: 'killed', value: 'SIGKILL' },
      { name: 'e', direction: 'up', event: 'exited', value: '0' },
      { name: 'e', direction: 'down', event: 'started', value: '11' },
      { name: 'f', direction: 'up', event: 'started', value: '12' },
    ]);
    expect(Object.fromEntries(o)).to.deep.equal({
      a: { up: true, interrupted: null, pgid: null },
      b: { up: false, interrupted: null, pgid: null },
      c: { up: false, interrupted: null, pgid: null },
      d: { up: null, interrupted: null, pgid: null },
      e: { up: false, interrupted: 'down', pgid: 11 },
      f: { up: false, interrupted: 'up', pgid: 12 },
    });
  });
});
