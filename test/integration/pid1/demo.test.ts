// The demo's programs (source-db/demo), run directly without rc.
import { expect } from 'chai';
import { execFile } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { connect } from 'node:net';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { fixturesDir, tempDir } from '../../helpers/paths.js';
import { collect, demoDir, exitOf, freePort, pollUntil, Procs, readinessLine } from './demo-procs.js';

const exec = promisify(execFile);

describe('demo programs (source-db/demo), run directly', function () {
  this.timeout(30_000);
  let tmp: ReturnType<typeof tempDir>;
  let procs: Procs;
  let env: NodeJS.ProcessEnv;

  beforeEach(() => {
    tmp = tempDir('rc-demo-');
    procs = new Procs();
    env = { ...process.env, RC_LIVE: tmp.path, RC_NAME: 'test' };
    delete env['DEMO_DATA_DIR'];
  });
  afterEach(async () => {
    await procs.killAll();
    tmp.cleanup();
  });

  const migrate = (action: string) =>
    exec('node', ['./migrate.mjs', action], { cwd: join(demoDir, 'migrate'), env }).then(
      (r) => ({ code: 0, out: r.stdout + r.stderr }),
      (e: { code: number; stdout: string; stderr: string }) => ({ code: e.code, out: e.stdout + e.stderr }),
    );

  async function startStore() {
    const store = procs.run('store', env);
    const out = collect(store.stdout);
    expect(await readinessLine(store)).to.equal('\n');
    return { store, out };
  }

  const canConnect = (path: string) =>
    new Promise<boolean>((resolve) => {
      const s = connect(path);
      s.on('connect', () => (s.destroy(), resolve(true)));
      s.on('error', () => resolve(false));
    });

  it('store: writes the readiness newline once its socket accepts connections, data under $RC_LIVE', async () => {
    await startStore();
    const sock = join(tmp.path, 'demo-data', 'store.sock');
    expect(await canConnect(sock)).to.equal(true);
  });

  it('store: keeps its data across a restart and exits 0 on SIGTERM', async () => {
    const first = await startStore();
    expect((await migrate('up')).code).to.equal(0);
    first.store.kill('SIGTERM');
    expect(await exitOf(first.store)).to.equal(0);
    const second = await startStore();
    await pollUntil(() => Promise.resolve(second.out.text().includes('keys loaded') ? true : undefined), 5000, 'store log');
    expect(second.out.text()).to.match(/^3 keys loaded/);
    expect((await migrate('up')).out).to.include('already at version 2');
  });

  it('store: a second store on the same live dir refuses to start', async () => {
    await startStore();
    const other = procs.run('store', env);
    const err = collect(other.stderr);
    expect(await exitOf(other)).to.not.equal(0);
    expect(err.text()).to.include('another store is already listening');
  });

  it('migrate: idempotent up and down, usage error exits 100', async () => {
    await startStore();
    const runs = [];
    for (const action of ['up', 'up', 'down', 'down', 'up']) runs.push(await migrate(action));
    expect(runs.map((r) => r.code)).to.deep.equal([0, 0, 0, 0, 0]);
    expect(runs[0]!.out).to.include('schema at version 2 (was 0)');
    expect(runs[1]!.out).to.include('already at version 2; nothing to do');
    expect(runs[2]!.out).to.include('rolled back 2').and.include('rolled back 1');
    expect(runs[3]!.out).to.include('already at version 0; nothing to do');
    expect(runs[4]!.out).to.include('schema at version 2 (was 0)');
    expect((await migrate('sideways')).code).to.equal(100);
  });

  it('migrate: fails (exit 1) when the store is not there', async () => {
    env['DEMO_STORE_WAIT_MS'] = '300';
    const r = await migrate('up');
    expect(r.code).to.equal(1);
    expect(r.out).to.include('migration up failed');
  });

  it('api: /health is 200 once migrated, notes work, access log on stdout, 503 after migrate down', async () => {
    await startStore();
    expect((await migrate('up')).code).to.equal(0);
    const port = await freePort();
    const api = procs.run('api', { ...env, DEMO_API_PORT: String(port) });
    const access = collect(api.stdout);
    const base = `http://127.0.0.1:${port}`;
    const health = await pollUntil(async () => {
      const r = await fetch(`${base}/health`);
      return r.status === 200 ? r.json() : undefined;
    }, 10_000, 'GET /health → 200');
    expect(health).to.deep.equal({ ok: true, schema: 2 });
    const created = await fetch(`${base}/notes`, { method: 'POST', body: JSON.stringify({ text: 'hi' }) });
    expect(created.status).to.equal(201);
    expect(await created.json()).to.deep.equal({ id: 1, text: 'hi' });
    const notes = (await (await fetch(`${base}/notes`)).json()) as { id: number }[];
    expect(notes.map((n) => n.id)).to.deep.equal([0, 1]);
    expect((await fetch(`${base}/notes/9`)).status).to.equal(404);
    expect((await migrate('down')).out).to.include('1 user note(s) kept');
    expect((await fetch(`${base}/health`)).status).to.equal(503);
    await pollUntil(() => Promise.resolve(access.text().includes('POST /notes 201') ? true : undefined), 5000, 'access log');
    api.kill('SIGTERM');
    expect(await exitOf(api)).to.equal(0);
  });

  it('api-log: runs $RC_BIN log -d DIR (under $RC_LIVE) and hands it stdin', async () => {
    const args = join(tmp.path, 'args');
    const out = join(tmp.path, 'out');
    const logger = procs.run('api-log', {
      ...env,
      RC_BIN: `sh ${join(fixturesDir, 'pid1', 'fake-rc.sh')}`,
      FAKE_RC_ARGS: args,
      FAKE_RC_OUT: out,
    });
    logger.stdin!.end('GET / 200\n');
    expect(await exitOf(logger)).to.equal(0);
    const dir = join(tmp.path, 'demo-logs', 'api');
    expect(readFileSync(args, 'utf8')).to.equal(`log\n-d\n${dir}\n`);
    expect(readFileSync(out, 'utf8')).to.equal('GET / 200\n');
    expect(existsSync(dir)).to.equal(true);
  });

  it('api-log: without RC_BIN and without rc on PATH, prints the log instead of losing it', async () => {
    const noRc: NodeJS.ProcessEnv = { ...env, PATH: '/usr/bin:/bin' };
    delete noRc['RC_BIN'];
    const logger = procs.run('api-log', noRc);
    const out = collect(logger.stdout);
    const err = collect(logger.stderr);
    logger.stdin!.end('GET / 200\n');
    expect(await exitOf(logger)).to.equal(0);
    expect(out.text()).to.equal('GET / 200\n');
    expect(err.text()).to.include('rc not found (set RC_BIN or put rc on PATH)');
  });

  it('the tree is consistent: one kv.mjs, ready-http on the default port, sh run scripts that exec node', () => {
    const kv = ['store/data/kv.mjs', 'migrate/kv.mjs', 'api/data/kv.mjs'].map((f) => readFileSync(join(demoDir, f), 'utf8'));
    expect(kv[1]).to.equal(kv[0]);
    expect(kv[2]).to.equal(kv[0]);
    expect(readFileSync(join(demoDir, 'api/ready-http'), 'utf8').trim()).to.equal('http://127.0.0.1:8787/health');
    expect(readFileSync(join(demoDir, 'api/data/api.mjs'), 'utf8')).to.include('DEMO_API_PORT ?? 8787');
    for (const s of ['store', 'api']) {
      const run = readFileSync(join(demoDir, s, 'run'), 'utf8');
      expect(run.startsWith('#!/bin/sh\n'), s).to.equal(true);
      expect(run).to.match(/^exec node \.\/data\/\w+\.mjs$/m);
    }
    expect(readFileSync(join(demoDir, 'migrate/up'), 'utf8').trim()).to.equal('node ./migrate.mjs up');
  });
});
