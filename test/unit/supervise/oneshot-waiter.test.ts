// The oneshot waiter's pieces: which scripts run under it, its argv, how its status reads back.
import { expect } from 'chai';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { endThroughWaiter, surelyExecutable, waiterArgs } from '../../../lib/supervise/oneshot-waiter.js';
import { tempDir } from '../../helpers/paths.js';

describe('supervise: the oneshot waiter', () => {
  let tmp: ReturnType<typeof tempDir>;
  beforeEach(() => (tmp = tempDir()));
  afterEach(() => tmp.cleanup());

  it('runs under it only what surely executes: ELF in PATH, #! with an existing interpreter', () => {
    const env = { PATH: `${tmp.path}:/usr/bin:/bin` };
    expect(surelyExecutable('sh', tmp.path, env)).to.match(/\/sh$/);
    const script = (name: string, text: string, mode: number) => writeFileSync(join(tmp.path, name), text, { mode });
    script('good', '#!/bin/sh\ntrue\n', 0o755);
    script('spaced', '#! /bin/sh -e\ntrue\n', 0o755);
    script('plain', 'true\n', 0o755);
    script('noexec', '#!/bin/sh\n', 0o644);
    script('badinterp', '#!/no/such\n', 0o755);
    script('relinterp', '#!sh\n', 0o755);
    expect(surelyExecutable('./good', tmp.path, env)).to.equal(join(tmp.path, 'good'));
    expect(surelyExecutable('spaced', tmp.path, env)).to.equal(join(tmp.path, 'spaced'));
    for (const f of ['./plain', './noexec', './badinterp', './relinterp', './missing', 'no-such-command-xyz']) {
      expect(surelyExecutable(f, tmp.path, env), f).to.equal(null);
    }
  });

  it('passes the script and its arguments untouched after the waiter script, quoting the records dir', () => {
    const a = waiterArgs({ dir: "/run/it's", shell: '/bin/sh' }, '/bin/echo', ['$HOME', 'a b']);
    expect(a.file).to.equal('/bin/sh');
    expect(a.args.slice(2)).to.deep.equal(['rc-oneshot', '/bin/echo', '$HOME', 'a b']);
    expect(a.args[1]).to.include(`r='/run/it'\\''s'/$$`);
  });

  it('reads a status of 128+N as killed by signal N, anything else as it is', () => {
    expect(endThroughWaiter({ kind: 'exit', code: 143, signal: null })).to.deep.equal({ kind: 'exit', code: null, signal: 'SIGTERM' });
    expect(endThroughWaiter({ kind: 'exit', code: 3, signal: null })).to.deep.equal({ kind: 'exit', code: 3, signal: null });
    expect(endThroughWaiter({ kind: 'exit', code: 250, signal: null })).to.deep.equal({ kind: 'exit', code: 250, signal: null });
    expect(endThroughWaiter({ kind: 'exit', code: null, signal: 'SIGKILL' })).to.deep.equal({ kind: 'exit', code: null, signal: 'SIGKILL' });
  });
});
