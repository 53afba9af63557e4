// Mocha guard: the suite runs with a private TMPDIR (set when this file is required, before any
// test file loads, and inherited by every child: rc boot, the CLI, services). Whatever a test
// leaves in it (an rc-test-*, rc-e2e-*, rc-container-* folder...) fails the run; the folder is
// removed either way. A private folder, not a before/after look at the shared /tmp, so runs
// going on at the same time (other checkouts, other users) cannot make this one fail.
import { chmodSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const outer = tmpdir();
const previous = process.env.TMPDIR;
const dir = mkdtempSync(join(outer, 'rc-suite-'));
// As /tmp: anyone may make a folder there (a test runs rc boot as nobody with a live dir of its own).
chmodSync(dir, 0o1777);
process.env.TMPDIR = dir;

export function mochaGlobalTeardown() {
  let left = [];
  try {
    left = readdirSync(dir).sort();
  } finally {
    rmSync(dir, { recursive: true, force: true });
    if (previous === undefined) delete process.env.TMPDIR;
    else process.env.TMPDIR = previous;
  }
  if (left.length > 0) {
    throw new Error(`tmp-guard: the tests left ${left.length} entr${left.length === 1 ? 'y' : 'ies'} in the temp dir (now removed): ${left.join(', ')}`);
  }
}
