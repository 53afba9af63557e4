// examples/Dockerfile's boot sequence in a PID + network namespace (skipped where namespaces are not allowed).
import { expect } from 'chai';
import { execFile, spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fixturesDir, rcBin, repoRoot, tempDir } from '../../helpers/paths.js';
import { netNamespaceUnavailable } from './pid-namespace.js';

/** The parts of examples/Dockerfile the boot sequence depends on. */
function readDockerfile() {
  const text = readFileSync(join(repoRoot, 'examples', 'Dockerfile'), 'utf8');
  const env: Record<string, string> = {};
  for (const m of text.matchAll(/^ENV (\w+)=(\S+)$/gm)) env[m[1]!] = m[2]!;
  const compile = /^RUN rc compile (\S+) (\S+)$/m.exec(text);
  const entrypoint = /^ENTRYPOINT (\[.*\])$/m.exec(text);
  const source = /^COPY (\S+) (\S+)$/m.exec(text.slice(text.indexOf('COPY source-db')));
  return { env, compile, entrypoint: entrypoint ? (JSON.parse(entrypoint[1]!) as string[]) : null, source };
}

describe('examples/Dockerfile boot sequence, in a PID + network namespace', function () {
  this.timeout(60_000);
  const dockerfile = readDockerfile();
  let tmp: ReturnType<typeof tempDir>;
  let compiled: string;

  it('has the build-time compile, the demo tree and the rc boot entrypoint', () => {
    expect(dockerfile.source?.slice(1, 3)).to.deep.equal(['source-db/demo', '/etc/rc/source']);
    expect(dockerfile.compile?.slice(1, 3)).to.deep.equal(['/etc/rc/compiled', '/etc/rc/source']);
    expect(dockerfile.entrypoint).to.deep.equal(['rc', 'boot', '--']);
    expect(dockerfile.env).to.deep.include({ RC_LIVE: '/run/rc', DEMO_API_HOST: '0.0.0.0' });
  });

  describe('booted', () => {
    before(function () {
      const reason = netNamespaceUnavailable();
      if (reason) {
        console.log(`      ${reason}`);
        this.skip();
      }
    });
    beforeEach(() => {
      tmp = tempDir('rc-dockerfile-');
      compiled = join(tmp.path, 'compiled');
      // RUN rc compile /etc/rc/compiled /etc/rc/source (paths moved into the temp dir)
      const r = spawnSync(process.execPath, [rcBin, 'compile', compiled, join(repoRoot, 'source-db', 'demo')], { encoding: 'utf8' });
      expect(r.status, r.stderr).to.equal(0);
    });
    afterEach(() => tmp.cleanup());

    /** ENTRYPOINT ["rc", "boot", "--"] + CMD, as PID 1 with its own loopback (port 8787 is free there). */
    function boot(cmd: string[]): Promise<{ code: number | null; out: string }> {
      const env = { ...process.env, ...dockerfile.env, RC_LIVE: join(tmp.path, 'live') };
      const argv = ['--pid', '--fork', '--mount-proc', '--net', 'sh', '-c', 'ip link set lo up && exec "$0" "$@"',
        process.execPath, rcBin, 'boot', '--db', compiled, '--', ...cmd];
      return new Promise((resolve) => {
        execFile('unshare', argv, { env, timeout: 50_000, killSignal: 'SIGKILL' }, (error, stdout, stderr) => {
          const code = error ? ((error as { code?: number }).code ?? null) : 0;
          resolve({ code: typeof code === 'number' ? code : null, out: stdout + stderr });
        });
      });
    }

    const client = (how: string) => [process.execPath, join(fixturesDir, 'pid1', 'demo-client.mjs'), how];

    it('runs CMD once the API is up, then shuts down in order (migrate down runs) and exits 0', async () => {
      const r = await boot(client('0'));
      expect(r.out).to.include('demo-client: ok');
      expect(r.out).to.include('rolled back 1');
      expect(r.code, r.out).to.equal(0);
    });

    it("exits with CMD's code (3), and 128 + 9 when CMD is killed by SIGKILL", async () => {
      expect((await boot(client('3'))).code).to.equal(3);
      expect((await boot(client('KILL'))).code).to.equal(137);
    });
  });
});
