// LiveStateStore: the daemon's recorded state in the live dir.
import { expect } from 'chai';
import { readFileSync, readdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { livePaths } from '../../../lib/live/live-dir.js';
import { LiveStateStore, readPreviousState, type LiveStateFile } from '../../../lib/live/live-state.js';
import { tempDir } from '../../helpers/paths.js';

describe('daemon LiveStateStore', () => {
  let dir: { path: string; cleanup: () => void };
  beforeEach(() => (dir = tempDir()));
  afterEach(() => dir.cleanup());

  it('writes the state atomically (no temp file left), coalescing many changes', async () => {
    const paths = livePaths(dir.path);
    const store = new LiveStateStore(paths, ['a', 'b', 'c'], { daemonPid: 42, db: '/db' });
    for (let k = 0; k < 100; k++) store.update(k % 3, { up: k % 2 === 0, pid: k });
    store.update(1, { wanted: true });
    await store.flush();
    const file = JSON.parse(readFileSync(paths.state, 'utf8')) as LiveStateFile;
    expect(file).to.deep.include({ format: 'rc-live-state', daemonPid: 42, db: '/db', clean: false });
    expect(file.services['b']).to.deep.equal({ up: false, wanted: true, pid: 97, pgid: null });
    expect(readdirSync(dir.path).filter((f) => f.includes('tmp'))).to.deep.equal([]);
    expect([...store.upSet()]).to.deep.equal([2]);
  });

  it('journals process groups synchronously and reads them back with the previous state', async () => {
    const paths = livePaths(dir.path);
    const store = new LiveStateStore(paths, ['a'], { daemonPid: 1, db: '/db' });
    store.journal(1234, 'a', 1_700_000_000_000);
    store.journal(1240, 'with space', 1_700_000_000_500);
    store.update(0, { up: true, pgid: 1234 });
    await store.flush();
    const prev = readPreviousState(paths);
    expect(prev.problem).to.equal(null);
    expect(prev.state?.services['a']?.pgid).to.equal(1234);
    expect(prev.journal).to.deep.equal([
      { pgid: 1234, spawnedAt: 1_700_000_000_000, name: 'a' },
      { pgid: 1240, spawnedAt: 1_700_000_000_500, name: 'with space' },
    ]);
    await store.writeFinal(true);
    const after = readPreviousState(paths);
    expect(after.state?.clean).to.equal(true);
    expect(after.journal).to.deep.equal([]);
  });

  it('the final write waits for a write in flight and is the last: a clean record, no temp file left', async () => {
    const paths = livePaths(dir.path);
    const store = new LiveStateStore(paths, ['a', 'b'], { daemonPid: 1, db: '/db' });
    store.journal(1234, 'a', 1_700_000_000_000);
    store.update(0, { up: true, wanted: true, pid: 1234, pgid: 1234 });
    const inFlight = store.flush(); // an asynchronous write is now in flight
    store.update(0, { up: false, pid: null, pgid: null });
    await store.writeFinal(true);
    store.update(1, { up: true }); // after the final record: not written
    await inFlight;
    await store.flush();
    await new Promise((r) => setImmediate(r));
    const file = JSON.parse(readFileSync(paths.state, 'utf8')) as LiveStateFile;
    expect(file.clean).to.equal(true);
    expect(file.services['a']).to.deep.equal({ up: false, wanted: true, pid: null, pgid: null });
    expect(file.services['b']?.up).to.equal(false);
    expect(readPreviousState(paths).journal).to.deep.equal([]);
    expect(readdirSync(dir.path).filter((f) => f.includes('tmp'))).to.deep.equal([]);
  });

  it('records the spawn time next to a pgid, for recovery to check', async () => {
    const paths = livePaths(dir.path);
    const store = new LiveStateStore(paths, ['a'], { daemonPid: 1, db: '/db' });
    store.journal(1234, 'a', 1_700_000_000_000);
    store.update(0, { up: true, pid: 1234, pgid: 1234 });
    await store.flush();
    expect(readPreviousState(paths).state?.services['a']?.spawnedAt).to.equal(1_700_000_000_000);
  });

  it('never writes through a symlink planted at a temporary name', async () => {
    const paths = livePaths(dir.path);
    const victim = `${dir.path}/victim`;
    writeFileSync(victim, 'precious');
    symlinkSync(victim, `${paths.state}.tmp`);
    symlinkSync(victim, `${paths.state}.tmp-final`);
    symlinkSync(victim, `${paths.journal}.tmp`);
    const store = new LiveStateStore(paths, ['a'], { daemonPid: 1, db: '/db' });
    store.resetJournal();
    store.update(0, { up: true });
    await store.flush();
    await store.writeFinal(true);
    expect(readFileSync(victim, 'utf8')).to.equal('precious');
    expect(readPreviousState(paths).state?.clean).to.equal(true);
  });

  it('reports an unreadable state file as a problem, not a crash', () => {
    const paths = livePaths(dir.path);
    const store = new LiveStateStore(paths, [], { daemonPid: 1, db: '/db' });
    store.resetJournal();
    writeFileSync(paths.state, '{truncated');
    const prev = readPreviousState(paths);
    expect(prev.state).to.equal(null);
    expect(prev.problem).to.match(/unable to read .*state\.json/);
  });

  it('writes nothing once the live dir is no longer its own (another daemon may own those files)', async () => {
    const paths = livePaths(dir.path);
    let owned = true;
    const store = new LiveStateStore(paths, ['a'], { daemonPid: 1, db: '/db' }, undefined, () => owned);
    store.journal(1234, 'a', 1);
    await store.flush();
    const before = readdirSync(dir.path).sort();
    writeFileSync(paths.state, 'the other daemon\n');
    writeFileSync(paths.journal, '999 1 other\n');
    owned = false;
    store.update(0, { up: true });
    store.journal(1235, 'a', 2);
    store.rewriteJournal([]);
    await store.flush();
    await store.writeFinal(true);
    expect(readFileSync(paths.state, 'utf8')).to.equal('the other daemon\n');
    expect(readFileSync(paths.journal, 'utf8')).to.equal('999 1 other\n');
    expect(readdirSync(dir.path).sort()).to.deep.equal(before.includes('state.json') ? before : [...before, 'state.json'].sort());
  });
});
