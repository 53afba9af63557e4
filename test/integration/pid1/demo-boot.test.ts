// The demo booted by rc as PID 1 of a PID + network namespace (skipped where namespaces are not allowed).
import { expect } from 'chai';
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { closeSync, openSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { rcBin, repoRoot, tempDir } from '../../helpers/paths.js';
import { exitOf, pollUntil } from './demo-procs.js';
import { netNamespaceUnavailable } from './pid-namespace.js';

/** The host pid of the namespace's PID 1: the only child of `unshare --fork`. */
function nsInitPid(unshare: ChildProcess): number | undefined {
  const text = readFileSync(`/proc/${unshare.pid}/task/${unshare.pid}/children`, 'utf8').trim();
  return text ? Number(text.split(/\s+/)[0]) : undefined;
}

describe('the demo booted by rc as PID 1 (PID + network namespace)', function () {
  this.timeout(60_000);
  let tmp: ReturnType<typeof tempDir>;
  let unshare: ChildProcess | null = null;

  before(function () {
    const reason = netNamespaceUnavailable();
    if (reason) {
      console.log(`      ${reason}`);
      this.skip();
    }
  });
  beforeEach(() => (tmp = tempDir('rc-demo-boot-')));
  afterEach(async () => {
    if (unshare && unshare.exitCode === null && unshare.signalCode === null) {
      const init = nsInitPid(unshare);
      if (init) process.kill(init, 'SIGKILL'); // PID 1 gone: the kernel kills the whole namespace
      await exitOf(unshare);
    }
    unshare = null;
    tmp.cleanup();
  });

  const rc = (args: string[], env: NodeJS.ProcessEnv) =>
    new Promise<{ code: number; out: string }>((resolve) =>
      execFile(process.execPath, [rcBin, ...args], { env }, (e, stdout, stderr) =>
        resolve({ code: e ? Number((e as { code?: number }).code ?? 1) : 0, out: stdout + stderr }),
      ),
    );

  it('comes up (store ready by fd, api ready by HTTP), and SIGTERM to PID 1 stops it in reverse order, exit 0', async () => {
    const compiled = join(tmp.path, 'compiled');
    expect((await rc(['compile', compiled, join(repoRoot, 'source-db', 'demo')], process.env)).code).to.equal(0);
    const env = { ...process.env, RC_LIVE: join(tmp.path, 'live'), RC_BIN: `${process.execPath} ${rcBin}` };
    const outFile = join(tmp.path, 'out');
    const fd = openSync(outFile, 'w');
    unshare = spawn(
      'unshare',
      ['--pid', '--fork', '--mount-proc', '--net', 'sh', '-c', 'ip link set lo up && exec "$0" "$@"', process.execPath, rcBin, 'boot', '--db', compiled],
      { env, stdio: ['ignore', fd, fd] },
    );
    closeSync(fd);
    await pollUntil(async () => ((await rc(['wait', '--ready', '--timeout', '20000', 'api', 'store'], env)).code === 0 ? true : undefined), 30_000, 'rc wait --ready api store');
    const status = JSON.parse((await rc(['status', '--json'], env)).out) as { services: { name: string; state: string }[] };
    const states = Object.fromEntries(status.services.map((s) => [s.name, s.state]));
    expect(states).to.deep.include({ store: 'ready', api: 'ready' });

    process.kill(nsInitPid(unshare)!, 'SIGTERM');
    expect(await exitOf(unshare)).to.equal(0);
    const lines = readFileSync(outFile, 'utf8').split('\n');
    const at = (re: RegExp) => lines.findIndex((l) => re.test(l));
    const apiClosed = at(/^api\b.*SIGTERM: closing/);
    const rolledBack = at(/^migrate\b.*rolled back 1/);
    const storeClosed = at(/^store\b.*SIGTERM: closing/);
    expect([apiClosed, rolledBack, storeClosed].every((i) => i >= 0), lines.join('\n')).to.equal(true);
    expect(apiClosed).to.be.below(rolledBack);
    expect(rolledBack).to.be.below(storeClosed);
    expect(readFileSync(join(tmp.path, 'live', 'demo-logs', 'api', 'current'), 'utf8')).to.match(/GET \/health 200/);
  });
});
