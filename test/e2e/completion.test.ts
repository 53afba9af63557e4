// rc completion bash, driven by bash itself: the script, rc __complete, and names from a running daemon's database.
import { expect } from 'chai';
import { spawnSync } from 'node:child_process';
import { chmodSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { rcBin, sourceDbDir, tempDir } from '../helpers/paths.js';

describe('e2e: rc completion bash', function () {
  this.timeout(30_000);
  let tmp: ReturnType<typeof tempDir>;
  let bin: string;
  before(() => {
    tmp = tempDir();
    bin = join(tmp.path, 'bin');
    mkdirSync(bin);
    writeFileSync(join(bin, 'rc'), `#!/bin/sh\nexec "${process.execPath}" "${rcBin}" "$@"\n`);
    chmodSync(join(bin, 'rc'), 0o755);
    const compiled = join(tmp.path, 'compiled');
    const r = spawnSync(process.execPath, [rcBin, 'compile', compiled, join(sourceDbDir, 'demo')], { encoding: 'utf8' });
    expect(r.status, r.stderr).to.equal(0);
    // What a daemon leaves in its live directory: the state file names its database.
    mkdirSync(join(tmp.path, 'live'));
    writeFileSync(join(tmp.path, 'live', 'state.json'), JSON.stringify({ format: 'rc-live-state', version: 1, daemonPid: 1, db: compiled, clean: true, updatedAt: 0, services: {} }));
  });
  after(() => tmp.cleanup());

  /** COMPREPLY for the command line `words` (the last word is the one being completed). */
  function compreply(words: string[]): string[] {
    const script = `eval "$(rc completion bash)"\nCOMP_WORDS=(${words.map((w) => `'${w}'`).join(' ')}); COMP_CWORD=${words.length - 1}\n_rc_complete\nprintf '%s\\n' "\${COMPREPLY[@]}"`;
    const r = spawnSync('bash', ['--norc', '-c', script], { encoding: 'utf8', env: { ...process.env, PATH: `${bin}:${process.env.PATH}`, RC_LIVE: join(tmp.path, 'live') } });
    expect(r.status, r.stderr).to.equal(0);
    return r.stdout.split('\n').filter((l) => l !== '');
  }

  it('completes commands, flags and service names (from the daemon on RC_LIVE)', () => {
    expect(compreply(['rc', 'sta'])).to.deep.equal(['status']);
    expect(compreply(['rc', 'compile', '--f'])).to.deep.equal(['--force']);
    expect(compreply(['rc', 'change', 'ma'])).to.deep.equal(['maintenance']);
    expect(compreply(['rc', 'up', 's'])).to.deep.equal(['store']);
    expect(compreply(['rc', 'db', '-c', join(tmp.path, 'compiled'), 'type', 'mig'])).to.deep.equal(['migrate']);
  });

  it('rc completion zsh prints a compdef script; a bad shell is a usage error', () => {
    const z = spawnSync(process.execPath, [rcBin, 'completion', 'zsh'], { encoding: 'utf8' });
    expect(z.status).to.equal(0);
    expect(z.stdout).to.match(/^#compdef rc\n/);
    expect(spawnSync(process.execPath, [rcBin, 'completion', 'fish'], { encoding: 'utf8' }).status).to.equal(100);
  });
});
