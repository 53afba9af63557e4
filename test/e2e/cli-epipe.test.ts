// End to end: output into a pipe whose reader has gone (`rc boot --help | head -2`) ends rc quietly with its own exit code.
import { expect } from 'chai';
import { execFile, spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { promisify } from 'node:util';
import { rcBin, tempDir } from '../helpers/paths.js';
import { childEnv } from './harness.js';

const rcFast = join(dirname(rcBin), 'rc-fast.js');

/** Run `entry args` with stdout a pipe whose read end is closed before rc writes anything (every write gets EPIPE). */
function withClosedStdout(entry: string, args: string[]): Promise<{ code: number | null; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [entry, ...args], { env: childEnv(), stdio: ['ignore', 'pipe', 'pipe'] });
    child.stdout.destroy();
    let stderr = '';
    child.stderr.on('data', (c) => (stderr += c));
    child.on('close', (code) => resolve({ code, stderr }));
  });
}

describe('e2e cli: a closed stdout (EPIPE)', function () {
  this.timeout(30_000);

  for (const [entry, args] of [
    [rcBin, ['boot', '--help']],
    [rcBin, ['change', '--help']],
    [rcBin, ['--help']],
    [rcFast, ['boot', '--help']],
    [rcFast, ['status', '--help']],
  ] as const) {
    it(`${entry === rcBin ? 'rc.js' : 'rc-fast.js'} ${args.join(' ')}: exit 0, nothing on stderr`, async () => {
      const r = await withClosedStdout(entry, [...args]);
      expect(r.stderr).to.equal('');
      expect(r.code).to.equal(0);
    });
  }

  it('keeps the exit code of the command: a usage error still exits 100', async () => {
    const r = await withClosedStdout(rcBin, ['boot', '--on-fail', 'maybe', '--live', '/nonexistent/rc-epipe']);
    expect(r.code).to.equal(100);
    expect(r.stderr).to.include('--on-fail expects halt, warn or ignore');
  });

  it('rc boot --help | head -2 prints the first two lines, and rc exits 0', async () => {
    const t = tempDir('rc-epipe-');
    try {
      const errFile = join(t.path, 'stderr');
      // sh has no pipefail: rc's own stderr and exit status go to a file.
      const pipeline = `("${process.execPath}" "${rcBin}" boot --help 2>"$1"; echo "rc exit $?" >>"$1") | head -2`;
      const { stdout } = await promisify(execFile)('sh', ['-c', pipeline, 'sh', errFile], { env: childEnv() });
      expect(stdout).to.equal('Usage: rc boot [options] [cmd...]\n\n');
      expect(readFileSync(errFile, 'utf8')).to.equal('rc exit 0\n');
    } finally {
      t.cleanup();
    }
  });
});
