// The demo source db (source-db/demo) compiles cleanly into the graph the README describes.
import { expect } from 'chai';
import { execFile, spawn } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { compileToDir } from '../../../lib/compile/index.js';
import type { DbIndex, LongrunService, OneshotService } from '../../../lib/db/types.js';
import { tempDir } from '../../helpers/paths.js';
import { demoDir, exitOf, readinessLine } from './demo-procs.js';

const exec = promisify(execFile);

describe('demo (source-db/demo) compiled', function () {
  this.timeout(30_000);
  let tmp: ReturnType<typeof tempDir>;
  let index: DbIndex;
  let compiled: string;
  const kill: (() => Promise<unknown>)[] = [];

  beforeEach(() => {
    tmp = tempDir('rc-demo-db-');
    compiled = join(tmp.path, 'compiled');
    const r = compileToDir(compiled, [demoDir]);
    expect(r.diagnostics).to.deep.equal([]);
    if (!r.ok) throw new Error('demo did not compile');
    index = r.index;
  });
  afterEach(async () => {
    await Promise.all(kill.splice(0).map((k) => k()));
    tmp.cleanup();
  });

  const service = <T>(name: string) => index.services.find((s) => s.name === name) as T;
  const names = (idx: number[]) => idx.map((i) => index.services[i]!.name).sort();

  it('compiles without a warning into the graph the README describes', () => {
    const api = service<LongrunService>('api');
    const store = service<LongrunService>('store');
    const migrate = service<OneshotService>('migrate');
    expect(names(api.deps)).to.deep.equal(['api-log', 'migrate']);
    expect(names(migrate.deps)).to.deep.equal(['store']);
    expect(store.notificationFd).to.equal(3);
    expect(api.readiness).to.deep.include({ kind: 'http', url: 'http://127.0.0.1:8787/health' });
    expect(migrate.up).to.deep.equal(['node', './migrate.mjs', 'up']);
    expect(migrate.down).to.deep.equal(['node', './migrate.mjs', 'down']);
    const bundle = (n: string) => names(index.bundles.find((b) => b.name === n)!.members);
    expect(bundle('default')).to.deep.equal(['api', 'api-log', 'migrate', 'store']);
    expect(bundle('maintenance')).to.deep.equal(['store']);
    expect(bundle('api-pipeline')).to.deep.equal(['api', 'api-log']);
  });

  it('the compiled service dirs hold what the programs need (store runs, migrate runs from its dir)', async () => {
    const dirs = join(compiled, 'servicedirs');
    expect(readdirSync(join(dirs, 'migrate'))).to.include.members(['migrate.mjs', 'kv.mjs']);
    const env = { ...process.env, RC_LIVE: tmp.path };
    const store = spawn(join(dirs, 'store', 'run'), [], { cwd: join(dirs, 'store'), env, stdio: ['ignore', 'ignore', 'inherit', 'pipe'] });
    kill.push(() => (store.kill('SIGKILL'), exitOf(store)));
    expect(await readinessLine(store)).to.equal('\n');
    const migrate = service<OneshotService>('migrate');
    const [cmd, ...args] = migrate.up;
    const r = await exec(cmd!, args, { cwd: join(dirs, 'migrate'), env });
    expect(r.stdout).to.include('schema at version 2');
  });
});
