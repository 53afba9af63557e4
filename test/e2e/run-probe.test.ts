// rc run and rc probe with real processes: a oneshot's exit code, a longrun's readiness file, signals, finish,
// a probe failing then passing.
import { expect } from 'chai';
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { join } from 'node:path';
import { childEnv, until } from './harness.js';
import { rcBin, tempDir } from '../helpers/paths.js';

const sh = (body: string): string => `#!/bin/sh\n${body}\n`;

/** A longrun that is ready (fd 3) once $OUT/go exists, stops on HUP (its down-signal) and has a finish. */
const WORKER = {
  'worker/type': 'longrun\n',
  'worker/notification-fd': '3\n',
  'worker/down-signal': 'SIGHUP\n',
  'worker/run': sh(
    [
      'echo $$ > "$OUT/worker.pid"',
      'trap \'echo "HUP $RC_NAME" >> "$OUT/worker.log"; exit 0\' HUP',
      'trap \'echo TERM >> "$OUT/worker.log"; exit 9\' TERM',
      'while [ ! -e "$OUT/go" ]; do sleep 0.05; done',
      'echo >&3',
      'exec 3>&-',
      'while :; do sleep 0.05; done',
    ].join('\n'),
  ),
  'worker/finish': sh('echo "$@" > "$OUT/finish.args"'),
};

const TREE: Record<string, string> = {
  'ok/type': 'oneshot\n',
  'ok/up': 'true\n',
  'fail/type': 'oneshot\n',
  'fail/up': 'sh -c "echo failing >&2; exit 7"\n',
  'killed/type': 'oneshot\n',
  'killed/up': 'sh -c "kill -9 $$"\n',
  'quits/type': 'longrun\n',
  'quits/run': sh('echo bye; exit 3'),
  'plain/type': 'longrun\n',
  'plain/run': sh('exec sleep 1000'),
  'checked/type': 'longrun\n',
  'checked/run': sh('exec sleep 1000'),
  'checked/ready-cmd': 'test -e flag\n',
  'logger/type': 'longrun\n',
  'logger/ready-log': 'listening on port \\d+\n',
  'logger/run': sh('echo starting; while [ ! -e "$OUT/go" ]; do sleep 0.05; done; echo "listening on port 8080" >&2; exec sleep 1000'),
  'healthy/type': 'longrun\n',
  'healthy/run': sh('exec sleep 1000'),
  'healthy/health-cmd': 'test -e hflag\n',
  'all/type': 'bundle\n',
  'all/contents': 'ok\nworker\n',
  ...WORKER,
};

describe('e2e: rc run and rc probe', function () {
  this.timeout(60_000);
  let tmp: ReturnType<typeof tempDir>;
  let db: string;
  let ready: string;
  let out: string;
  const running: ChildProcess[] = [];

  const env = (): NodeJS.ProcessEnv => childEnv({ OUT: out, NO_COLOR: '1' });
  const rc = (...args: string[]) => {
    const r = spawnSync(process.execPath, [rcBin, ...args], { encoding: 'utf8', env: env() });
    return { code: r.status, out: r.stdout, err: r.stderr };
  };
  const run = (name: string) => rc('run', '-c', db, '--ready-dir', ready, name);
  const probe = (name: string) => rc('probe', '-c', db, '--ready-dir', ready, name);

  /** rc run NAME in the background; resolves its exit code and stderr when it ends. */
  function start(name: string): { child: ChildProcess; done: Promise<{ code: number | null; err: string }> } {
    const child = spawn(process.execPath, [rcBin, 'run', '-c', db, '--ready-dir', ready, name], { env: env(), stdio: ['ignore', 'pipe', 'pipe'] });
    running.push(child);
    let err = '';
    child.stderr.on('data', (c) => (err += c));
    child.stdout.resume();
    const done = new Promise<{ code: number | null; err: string }>((resolve) => child.on('close', (code) => resolve({ code, err })));
    return { child, done };
  }

  before(() => {
    tmp = tempDir();
    const src = join(tmp.path, 'src');
    for (const [rel, content] of Object.entries(TREE)) {
      mkdirSync(join(src, rel, '..'), { recursive: true });
      writeFileSync(join(src, rel), content, { mode: rel.endsWith('/run') || rel.endsWith('/finish') ? 0o755 : 0o644 });
    }
    db = join(tmp.path, 'compiled');
    const c = rc('compile', db, src);
    expect(c.code, c.err).to.equal(0);
  });
  beforeEach(() => {
    out = join(tmp.path, `out-${Date.now()}-${Math.random().toString(36).slice(2)}`);
    ready = join(out, 'ready');
    mkdirSync(out, { recursive: true });
  });
  afterEach(async () => {
    // A test that failed half-way: stop each rc run as an engine would (TERM: its service is stopped too), SIGKILL as a last resort.
    for (const c of running.splice(0)) {
      if (c.exitCode !== null || c.signalCode !== null) continue;
      const closed = new Promise<void>((r) => c.once('close', () => r()));
      c.kill('SIGTERM');
      const timer = setTimeout(() => c.kill('SIGKILL'), 10_000);
      await closed;
      clearTimeout(timer);
    }
    const pid = existsSync(join(out, 'worker.pid')) ? Number(readFileSync(join(out, 'worker.pid'), 'utf8')) : 0;
    if (pid > 0) {
      try {
        process.kill(pid, 'SIGKILL');
      } catch {
        // already gone
      }
    }
  });
  after(() => tmp.cleanup());

  it("a oneshot: up's exit code is rc run's; success leaves a readiness file rc probe accepts", () => {
    const failed = run('fail');
    expect(failed.code).to.equal(7);
    expect(failed.err).to.include('failing');
    expect(failed.err).to.include('rc run: fail: command exited 7');
    expect(probe('fail').code).to.equal(1);
    expect(run('killed').code).to.equal(128 + 9);
    expect(run('ok').code).to.equal(0);
    const p = probe('ok');
    expect(p.code, p.err).to.equal(0);
    expect(p.out).to.match(/^ok: ready/);
  });

  it('a longrun: not ready, then ready (notification-fd → readiness file); TERM becomes its down-signal, then finish; exit 0', async () => {
    const w = start('worker');
    await until('worker started', () => existsSync(join(out, 'worker.pid')));
    const before = probe('worker');
    expect(before.code).to.equal(1);
    expect(before.err).to.match(/worker: not ready: no readiness file/);
    writeFileSync(join(out, 'go'), '');
    await until('worker ready', () => probe('worker').code === 0, 20_000);
    const record = JSON.parse(readFileSync(join(ready, 'worker'), 'utf8')) as { pid: number };
    expect(record.pid).to.equal(Number(readFileSync(join(out, 'worker.pid'), 'utf8')));
    w.child.kill('SIGTERM');
    const end = await w.done;
    expect(end.code, end.err).to.equal(0);
    expect(readFileSync(join(out, 'worker.log'), 'utf8')).to.equal('HUP worker\n');
    expect(readFileSync(join(out, 'finish.args'), 'utf8')).to.equal('0 0 worker\n');
    expect(existsSync(join(ready, 'worker')), 'readiness file removed').to.equal(false);
    expect(probe('worker').code).to.equal(1);
  });

  it('a longrun that exits by itself: its exit code, after its output; a stale readiness file is not ready', async () => {
    const q = run('quits');
    expect(q.code).to.equal(3);
    expect(q.out).to.equal('bye\n');
    // A readiness file whose process is gone (rc run was killed) does not count.
    mkdirSync(ready, { recursive: true });
    writeFileSync(join(ready, 'plain'), JSON.stringify({ pid: 2 ** 22 + 12345, since: Date.now() }));
    expect(probe('plain').code).to.equal(1);
    const p = start('plain');
    await until('plain ready (no readiness protocol: at once)', () => probe('plain').code === 0, 20_000);
    p.child.kill('SIGINT');
    expect((await p.done).code).to.equal(0);
  });

  it('ready-log: the readiness file is written when the line appears (on stderr), the output still passes through', async () => {
    const l = start('logger');
    let stdout = '';
    l.child.stdout!.on('data', (c) => (stdout += c));
    await until('logger started', () => stdout.includes('starting'));
    expect(probe('logger').code).to.equal(1);
    writeFileSync(join(out, 'go'), '');
    await until('logger ready', () => probe('logger').code === 0, 20_000);
    l.child.kill('SIGTERM');
    const end = await l.done;
    expect(end.code).to.equal(0);
    expect(end.err).to.include('listening on port 8080\n');
    expect(end.err).to.include('rc run: logger: ready');
  });

  it('rc probe --health: ready, and the health check passes once (failing, then passing)', async () => {
    const h = start('healthy');
    await until('healthy ready (no readiness: at once)', () => probe('healthy').code === 0, 20_000);
    const failing = rc('probe', '-c', db, '--ready-dir', ready, '--health', 'healthy');
    expect(failing.code).to.equal(1);
    expect(failing.err).to.match(/healthy: not ready: ready since .*; health-cmd: did not answer/);
    writeFileSync(join(db, 'servicedirs', 'healthy', 'hflag'), '');
    const passing = rc('probe', '-c', db, '--ready-dir', ready, '--health', 'healthy');
    expect(passing.code, passing.err).to.equal(0);
    h.child.kill('SIGTERM');
    expect((await h.done).code).to.equal(0);
  });

  it('rc probe runs a ready-cmd once: failing, then passing', () => {
    const first = probe('checked');
    expect(first.code).to.equal(1);
    expect(first.err).to.match(/checked: not ready: ready-cmd test -e flag: did not answer/);
    writeFileSync(join(db, 'servicedirs', 'checked', 'flag'), '');
    const second = probe('checked');
    expect(second.code, second.err).to.equal(0);
  });

  it('rc probe tries a ready-tcp once: failing while nothing listens, passing once something does', async () => {
    const server: Server = createServer((s) => s.destroy());
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const port = (server.address() as { port: number }).port;
    await new Promise<void>((r) => server.close(() => r()));
    const src = join(tmp.path, 'tcp-src');
    mkdirSync(join(src, 'net'), { recursive: true });
    writeFileSync(join(src, 'net', 'type'), 'longrun\n');
    writeFileSync(join(src, 'net', 'run'), sh('exec sleep 1000'), { mode: 0o755 });
    writeFileSync(join(src, 'net', 'ready-tcp'), `127.0.0.1:${port}\n`);
    const tcpDb = join(tmp.path, 'tcp-compiled');
    expect(rc('compile', tcpDb, src).code).to.equal(0);
    expect(rc('probe', '-c', tcpDb, 'net').code).to.equal(1);
    await new Promise<void>((r) => server.listen(port, '127.0.0.1', r));
    try {
      const r = rc('probe', '-c', tcpDb, 'net');
      expect(r.code, r.err).to.equal(0);
    } finally {
      await new Promise<void>((r) => server.close(() => r()));
    }
  });

  it('names: unknown is exit 3 with a hint; a bundle is exit 3', () => {
    const unknown = run('wroker');
    expect(unknown.code).to.equal(3);
    expect(unknown.err).to.equal('rc: unknown service name wroker\n  hint: did you mean `worker`?\n');
    const bundle = probe('all');
    expect(bundle.code).to.equal(3);
    expect(bundle.err).to.match(/all is a bundle/);
  });
});
