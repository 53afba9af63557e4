// The rc binary (cli/rc.ts bundled as dist/cli/rc-fast.js) holds `rc boot`'s signals before it loads the command table.
import { expect } from 'chai';
import { spawn } from 'node:child_process';
import { existsSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fixturesDir, rcBin } from '../helpers/paths.js';
import { childEnv, DaemonRig, termPending, until, type Tree } from './daemon-harness.js';

const STACK: Tree = {
  db: { type: 'longrun', ready: true },
  default: { type: 'bundle', contents: ['db'] },
};

describe('e2e: the rc binary (rc-fast.js) and rc boot', function () {
  this.timeout(30000);
  let rig: DaemonRig;
  afterEach(async () => rig?.cleanup());

  // The entry catches the daemon's signals before loading the command table (program.js); the daemon must
  // find them in the same module (one boot-signals chunk in the bundle). A second copy would swallow this SIGTERM.
  it('a SIGTERM while the command table (program.js) is still loading reaches the daemon: clean exit 0, nothing started', async () => {
    rig = new DaemonRig(STACK);
    const marker = join(rig.root, 'slow-rc');
    const hooks = join(fixturesDir, 'cli', 'slow-rc-hooks.mjs');
    const child = spawn(process.execPath, ['--import', hooks, join(dirname(rcBin), 'rc-fast.js'), 'boot', '--live', rig.live, '--db', rig.compiled], {
      env: childEnv({ RC_TEST_SLOW_RC: marker }),
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    let stderr = '';
    child.stderr.on('data', (c) => (stderr += c));
    try {
      await until('rc boot to start loading program.js', () => existsSync(marker));
      child.kill('SIGTERM');
      await until('rc boot to take the signal (or die of it)', () => child.exitCode !== null || child.signalCode !== null || !termPending(child.pid!));
      writeFileSync(`${marker}.go`, '');
      const ended = await until('rc boot to exit', () => child.exitCode !== null || child.signalCode !== null, 15_000).then(
        () => true,
        () => false,
      );
      expect(ended, `rc boot still runs 15 s after its SIGTERM: the signal was lost\n${stderr}`).to.equal(true);
      expect(child.exitCode, stderr).to.equal(0);
      expect(stderr).to.include('rc: SIGTERM during start-up: stopping as soon as the daemon is set up');
      expect(rig.lines()).to.deep.equal([]);
    } finally {
      child.kill('SIGKILL');
    }
  });
});
