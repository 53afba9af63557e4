// End to end (issue 10 item 6): rc boot under a low RLIMIT_NOFILE warns at boot, and a spawn
// failing with EMFILE names the daemon's limit, not the service.
import { expect } from 'chai';
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { rcBin, tempDir } from '../helpers/paths.js';
import { bundle, longrun, writeTree, type TreeSpec } from '../integration/compile/tree.js';

const hasPrlimit = spawnSync('prlimit', ['--version']).status === 0;

describe('e2e: rc boot out of file descriptors', function () {
  this.timeout(30_000);
  let tmp: ReturnType<typeof tempDir> | undefined;
  afterEach(() => tmp?.cleanup());

  it('warns at boot with the number needed and how to raise it, and blames EMFILE on the daemon\'s limit', function () {
    if (!hasPrlimit) this.skip();
    tmp = tempDir();
    const names = Array.from({ length: 40 }, (_, i) => `s${i}`);
    const tree: TreeSpec = { ...bundle('default', names) };
    for (const n of names) Object.assign(tree, longrun(n, [], { run: '#!/bin/sh\nexec sleep 1000\n' }));
    writeTree(join(tmp.path, 'src'), tree);
    const db = join(tmp.path, 'db');
    expect(spawnSync(process.execPath, [rcBin, 'compile', db, join(tmp.path, 'src')]).status).to.equal(0);
    const r = spawnSync('prlimit', ['--nofile=60:60', process.execPath, rcBin, 'boot', '--db', db, '--live', join(tmp.path, 'live'), '--', 'sleep', '1'], { encoding: 'utf8', timeout: 25_000 });
    expect(r.stderr).to.include('rc: warning: the database has 40 longruns and needs about 184 file descriptors');
    expect(r.stderr).to.include('RLIMIT_NOFILE, "Max open files") is 60');
    expect(r.stderr).to.include('ulimit -n 1024').and.include('docker run --ulimit nofile=1024:1024');
    expect(r.stderr).to.include('rc (the daemon) is out of file descriptors (EMFILE: its limit, RLIMIT_NOFILE, is 60 open files)');
    expect(r.stderr).not.to.include('cannot execute (EMFILE)');
  });
});
