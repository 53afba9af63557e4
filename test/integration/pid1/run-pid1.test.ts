// rc run reaps the orphans its service leaves: as PID 1 of a PID namespace (a container's command) and with --subreaper on the host; the service's exit code is passed on.
import { expect } from 'chai';
import { execFile } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { compileToDir } from '../../../lib/compile/index.js';
import { fixturesDir, rcBin, tempDir } from '../../helpers/paths.js';
import { namespaceUnavailable } from './pid-namespace.js';

const CMD = join(fixturesDir, 'container', 'cmd.mjs');

interface Outcome {
  code: number | null;
  report: Record<string, number>;
  err: string;
}

describe('rc run reaps orphans (PID 1, --subreaper)', function () {
  this.timeout(60_000);
  let tmp: ReturnType<typeof tempDir>;
  let db: string;

  beforeEach(() => {
    tmp = tempDir('rc-run-pid1-');
    const src = join(tmp.path, 'src');
    mkdirSync(join(src, 'leaver'), { recursive: true });
    writeFileSync(join(src, 'leaver', 'type'), 'longrun\n');
    // 100 orphans, then the check (run by the service itself: its parent is rc run), then exit 7.
    writeFileSync(join(src, 'leaver', 'run'), `#!/bin/sh\nexec ${process.execPath} ${CMD} ${join(tmp.path, 'events')} orphans 100 7\n`, { mode: 0o755 });
    db = join(tmp.path, 'compiled');
    const r = compileToDir(db, [src]);
    if (!r.ok) throw new Error(JSON.stringify(r.diagnostics));
  });
  afterEach(() => tmp.cleanup());

  /** `rc run leaver`, under `prefix` (unshare) or not; its exit code and the service's JSON report. */
  const runLeaver = (prefix: string[], flags: string[]): Promise<Outcome> =>
    new Promise((resolve) => {
      const argv = [...prefix, process.execPath, rcBin, 'run', ...flags, '-c', db, '--ready-dir', join(tmp.path, 'ready'), 'leaver'];
      execFile(argv[0]!, argv.slice(1), { timeout: 40_000, killSignal: 'SIGKILL' }, (e, stdout, stderr) => {
        const line = stdout.trim().split('\n').filter((l) => l.startsWith('{')).pop() ?? '{}';
        resolve({ code: e ? ((e as { code?: number }).code ?? null) : 0, report: JSON.parse(line) as Record<string, number>, err: stderr });
      });
    });

  it('as PID 1 of a PID namespace: 100 orphans reaped (no zombie), the service\'s exit code 7 passed on', async function () {
    const reason = namespaceUnavailable();
    if (reason) {
      console.log(`      ${reason}`);
      return this.skip();
    }
    const r = await runLeaver(['unshare', '--pid', '--fork', '--mount-proc'], []);
    expect(r.report['rc'], r.err).to.equal(1);
    expect(r.report, r.err).to.deep.include({ expected: 100, seen: 100, alive: 0, zombies: 0 });
    expect(r.code, r.err).to.equal(7);
    expect(r.err).not.to.include('warning');
  });

  it('with --subreaper on the host: the same, as a child subreaper', async () => {
    const r = await runLeaver([], ['--subreaper']);
    expect(r.report, r.err).to.deep.include({ expected: 100, seen: 100, alive: 0, zombies: 0 });
    expect(r.report['rc']).to.not.equal(1);
    expect(r.code, r.err).to.equal(7);
  });

  it('without --subreaper, not PID 1: orphans go to the real init (rc run does not see them)', async () => {
    const r = await runLeaver([], []);
    expect(r.report, r.err).to.deep.include({ expected: 100, seen: 0 });
    expect(r.code, r.err).to.equal(7);
  });
});
