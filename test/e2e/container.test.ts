// End to end: rc boot as a container entry point on a host (rc is a child subreaper): CMD, signals, rc halt, --on-fail, orphans.
import { expect } from 'chai';
import { execFile } from 'node:child_process';
import { rcBin } from '../helpers/paths.js';
import { containerCases } from './container-cases.js';
import { ContainerRig } from './container-harness.js';

describe('e2e container: rc boot -- CMD on a host', function () {
  this.timeout(30_000);
  containerCases('host');
});

describe('e2e container: rc halt returns at once; --wait waits for the end', function () {
  this.timeout(30_000);
  let rig: ContainerRig | null = null;
  afterEach(async () => {
    await rig?.cleanup();
    rig = null;
  });

  const halt = (live: string, args: string[]) =>
    new Promise<{ code: number; ms: number }>((resolve) => {
      const t0 = Date.now();
      execFile(process.execPath, [rcBin, 'halt', '--live', live, ...args], (e) => resolve({ code: e ? Number((e as { code?: number }).code) : 0, ms: Date.now() - t0 }));
    });

  for (const wait of [false, true]) {
    it(wait ? 'rc halt --wait returns once everything is down' : 'rc halt returns while a slow stop is still running', async () => {
      // A service that ignores SIGTERM: its stop takes the whole --kill-grace (1500 ms).
      rig = new ContainerRig({ stub: { type: 'longrun', run: `trap "" TERM; echo "start stub" >> "$RC_TEST_EVENTS"; exec sleep 1000` } });
      rig.boot('host', ['--target', 'stub', '--kill-grace', '1500'], null);
      await rig.waitFor('start stub');
      const r = await halt(rig.live, wait ? ['--wait', '--code', '4'] : ['--code', '4']);
      expect(r.code).to.equal(0);
      // Without --wait the service is still there (its stop takes 1500 ms); with it, it is gone.
      expect(rig.leftovers().length, `services left when rc halt${wait ? ' --wait' : ''} returned`).to.equal(wait ? 0 : 1);
      if (wait) expect(r.ms).to.be.at.least(1400);
      else expect(rig.child!.exitCode).to.equal(null);
      expect(await rig.exited()).to.equal(4);
    });
  }
});
