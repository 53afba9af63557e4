// End to end (issue 10 item 5): a oneshot whose `up` completed after the previous daemon's last
// state write (journaled "exited 0") is recorded up by the next daemon, not run twice; one whose
// outcome cannot be known runs again.
import { expect } from 'chai';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { rcBin, tempDir } from '../helpers/paths.js';
import { bundle, oneshot, writeTree } from '../integration/compile/tree.js';

describe('e2e: a oneshot in flight at kill -9', function () {
  this.timeout(30_000);
  let tmp: ReturnType<typeof tempDir> | undefined;
  afterEach(() => tmp?.cleanup());

  /** A db with oneshot `once` (its up appends to COUNT) in `default`, and a live dir as a killed daemon left it. */
  function boot(journal: string): { stderr: string; runs: number } {
    tmp = tempDir();
    const count = join(tmp.path, 'count');
    writeTree(join(tmp.path, 'src'), { ...oneshot('once', `/bin/sh -c "echo ran >> ${count}"\n`), ...bundle('default', ['once']) });
    const db = join(tmp.path, 'db');
    expect(spawnSync(process.execPath, [rcBin, 'compile', db, join(tmp.path, 'src')]).status).to.equal(0);
    const live = join(tmp.path, 'live');
    mkdirSync(live, { mode: 0o700 });
    const state = { format: 'rc-live-state', version: 1, daemonPid: 999_999, db, clean: false, updatedAt: Date.now(), services: { once: { up: false, wanted: true, pid: null, pgid: null } } };
    writeFileSync(join(live, 'state.json'), `${JSON.stringify(state)}\n`, { mode: 0o600 });
    writeFileSync(join(live, 'pgids'), journal, { mode: 0o600 });
    const r = spawnSync(process.execPath, [rcBin, 'boot', '--db', db, '--live', live, '--', 'true'], { encoding: 'utf8', timeout: 25_000 });
    expect(r.status, r.stderr).to.equal(0);
    return { stderr: r.stderr, runs: existsSync(count) ? readFileSync(count, 'utf8').split('\n').filter(Boolean).length : 0 };
  }

  it('an up journaled as exited 0 after the last state write is recorded up and not run again', () => {
    const r = boot(`4000000 ${Date.now() - 1000} once\noneshot up started 4000000 once\noneshot up exited 0 once\n`);
    expect(r.stderr).to.include('oneshot once: its up script completed (exit 0) after the previous daemon\'s last state write: recorded up, not run again');
    expect(r.runs).to.equal(0);
  });

  it('an up that was in flight, whose outcome cannot be known, is recorded down and runs again', () => {
    const r = boot(`4000000 ${Date.now() - 1000} once\noneshot up started 4000000 once\n`);
    expect(r.stderr).to.include('oneshot once: its up script was running when the previous daemon died and ended after it died, with an outcome rc cannot know; recorded down (its up runs again when wanted)');
    expect(r.runs).to.equal(1);
  });
});
