// End to end: a transition's progress on a TTY nobody sized (0 columns) is drawn as plain lines,
// not by listr2 (which would print one character per line there).
import { expect } from 'chai';
import { spawnSync } from 'node:child_process';
import { rcBin } from '../helpers/paths.js';
import { DaemonRig, childEnv } from './daemon-harness.js';

const hasScript = spawnSync('script', ['--version']).status === 0;

/** Run `node rc.js ARGS` on a fresh pty of `cols` columns (util-linux script), its output as text. */
function onPty(cols: number, args: string[]): { status: number | null; out: string } {
  const quoted = [process.execPath, rcBin, ...args].map((a) => `'${a.replaceAll("'", "'\\''")}'`).join(' ');
  const r = spawnSync('script', ['-qec', `stty cols ${cols} rows 0; ${quoted}`, '/dev/null'], { env: childEnv({ NO_COLOR: '1' }), encoding: 'utf8', timeout: 20000 });
  // eslint-disable-next-line no-control-regex
  return { status: r.status, out: r.stdout.replace(/\x1b\[[0-9;?]*[A-Za-z]/g, '').replaceAll('\r', '') };
}

describe('e2e: progress on a 0-column terminal', function () {
  this.timeout(30000);
  let rig: DaemonRig | undefined;
  afterEach(async () => rig?.cleanup());

  it('falls back to plain lines (no line of a single character)', async function () {
    if (!hasScript) this.skip();
    rig = new DaemonRig({ a: { type: 'longrun' }, default: { type: 'bundle', contents: ['a'] } });
    await rig.boot();
    await rig.idle();
    const r = onPty(0, ['restart', '--live', rig.live, 'a']);
    expect(r.status, r.out).to.equal(0);
    const lines = r.out.split('\n').filter((l) => l.trim() !== '');
    expect(lines.filter((l) => l.trim().length === 1), r.out).to.deep.equal([]);
    expect(r.out).to.match(/rc: change done in .*: 1 restarted/);
  });
});
