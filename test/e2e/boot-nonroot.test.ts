// End to end: a db compiled as root (Dockerfile `RUN rc compile`) booted by an unprivileged user
// (`USER app`) with a live dir of its own: oneshot, longrun, pipeline, rc status, SIGTERM → exit 0.
import { expect } from 'chai';
import { spawn, spawnSync } from 'node:child_process';
import { chmodSync, chownSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { rcBin, tempDir } from '../helpers/paths.js';
import { childEnv, until, writeTree, type RcResult } from './harness.js';

const NOBODY = 65534;
const isRoot = process.getuid?.() === 0;
const hasSetpriv = spawnSync('setpriv', ['--version']).status === 0;
/** Run as nobody:nogroup with no supplementary groups (what `USER nobody` gives a container). */
const asNobody = (argv: string[]) => ['setpriv', `--reuid=${NOBODY}`, `--regid=${NOBODY}`, '--clear-groups', ...argv];

function run(argv: string[], env: NodeJS.ProcessEnv = {}): Promise<RcResult> {
  return new Promise((resolve) => {
    const child = spawn(argv[0]!, argv.slice(1), { env: childEnv(env), stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (c) => (stdout += c));
    child.stderr.on('data', (c) => (stderr += c));
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

describe('e2e: rc boot as an unprivileged user', function () {
  this.timeout(30000);
  let tmp: ReturnType<typeof tempDir> | undefined;
  let boot: ReturnType<typeof spawn> | undefined;
  afterEach(() => {
    if (boot && boot.exitCode === null && boot.signalCode === null) boot.kill('SIGKILL');
    tmp?.cleanup();
  });

  it('boots a db compiled by root under umask 022, as nobody with its own live dir (--live, RC_LIVE)', async function () {
    if (!isRoot || !hasSetpriv) this.skip();
    // The checkout itself must be reachable by nobody (a clone under a 0700 `mktemp -d` is not).
    const [tf, ...targs] = asNobody(['test', '-r', rcBin]);
    if (spawnSync(tf!, targs).status !== 0) {
      process.stderr.write(`      (skipped: user nobody cannot read ${rcBin}; clone the repository where every user can reach it)\n`);
      this.skip();
    }
    tmp = tempDir();
    chmodSync(tmp.path, 0o755); // as / in an image: root's, readable by all
    const src = join(tmp.path, 'src');
    const compiled = join(tmp.path, 'compiled');
    const live = join(tmp.path, 'live');
    writeTree(
      src,
      {
        init: { type: 'oneshot' },
        app: { type: 'longrun', deps: ['init'], run: 'echo "app-line uid=$(id -u)"\nexec sleep 1000', files: { 'producer-for': 'logger\n' } },
        logger: { type: 'longrun', run: 'exec sed -u "s/^/logged: /"', files: { 'consumer-for': 'app\n' } },
        default: { type: 'bundle', contents: ['app', 'logger'] },
      },
      { run: () => 'exec sleep 1000', up: () => '/bin/sh -c "echo init-up uid=$(id -u)"', down: () => 'true' },
    );
    const compile = await run(['/bin/sh', '-c', `umask 022 && exec "${process.execPath}" "${rcBin}" compile "${compiled}" "${src}"`]);
    expect(compile.code, compile.stderr).to.equal(0);
    // The one thing a non-root container needs: a live dir that user can write.
    mkdirSync(live);
    chownSync(live, NOBODY, NOBODY);

    const [file, ...argv] = asNobody([process.execPath, rcBin, 'boot', '--db', compiled, '--live', live]);
    boot = spawn(file!, argv, { env: childEnv(), stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    boot.stdout!.on('data', (c) => (out += c));
    boot.stderr!.on('data', (c) => (err += c));
    const exited = new Promise<number | null>((resolve) => boot!.on('exit', (code, signal) => resolve(code ?? (signal ? 128 : null))));

    const status = await until(
      'every service up',
      async () => {
        if (boot!.exitCode !== null) throw new Error(`rc boot exited ${boot!.exitCode}: ${err}`);
        const s = await run(asNobody([process.execPath, rcBin, 'status', '--json']), { RC_LIVE: live });
        if (s.code !== 0) return false;
        const rows = (JSON.parse(s.stdout) as { services: { name: string; up: boolean }[] }).services;
        return rows.every((r) => r.up) && rows.length === 3 ? rows : false;
      },
      15_000,
    );
    expect(status.map((r) => r.name).sort()).to.deep.equal(['app', 'init', 'logger']);
    await until('the oneshot and the pipeline to print', () => out.includes('init-up uid=65534') && out.includes('logged: app-line uid=65534'));
    const text = await run(asNobody([process.execPath, rcBin, 'status', '--live', live]));
    expect(text.code, text.stderr).to.equal(0);
    expect(text.stdout).to.match(/^app\s+longrun\s+up\s/m);
    boot.kill('SIGTERM');
    expect(await exited, err).to.equal(0);
    expect(err).to.not.match(/EACCES|permission denied/i);
  });
});
