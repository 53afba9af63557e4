// rc db deps and rc graph show per-edge conditions (issue 12), in text and JSON, through the CLI.
import { expect } from 'chai';
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { rcBin, tempDir } from '../helpers/paths.js';
import { longrun, oneshot, writeTree } from '../integration/compile/tree.js';

function rc(...args: string[]) {
  const r = spawnSync(process.execPath, [rcBin, ...args], { encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' } });
  return { code: r.status, out: r.stdout, err: r.stderr };
}

describe('e2e: edge conditions in rc db deps and rc graph', function () {
  this.timeout(30_000);
  let tmp: ReturnType<typeof tempDir>;
  let db: string;

  before(() => {
    tmp = tempDir();
    const src = writeTree(join(tmp.path, 'src'), {
      ...oneshot('init'),
      ...longrun('db', ['init'], { 'health-tcp': '5432' }),
      ...longrun('cache'),
      ...longrun('app', ['db', 'cache']),
      'app/dependencies.d/db': 'healthy\n',
      'app/dependencies.d/cache': 'started\n',
    });
    db = join(tmp.path, 'compiled');
    const r = rc('compile', db, src);
    expect(r.code, r.err).to.equal(0);
  });
  after(() => tmp.cleanup());

  it('rc db deps follows a non-default edge by its condition, both ways, and in JSON', () => {
    expect(rc('db', '-c', db, 'deps', 'app').out).to.equal('cache (started)\ndb (healthy)\n');
    expect(rc('db', '-c', db, 'deps', '--reverse', 'cache').out).to.equal('app (started)\n');
    expect(rc('db', '-c', db, 'deps', 'db').out).to.equal('init\n');
    expect(JSON.parse(rc('db', '-c', db, 'deps', '--all', '--json', 'app').out)).to.deep.equal([
      { name: 'cache', condition: 'started' },
      { name: 'db', condition: 'healthy' },
      { name: 'init', condition: null },
    ]);
  });

  it('rc graph labels non-default edges in dot and mermaid, and gives them a condition in JSON', () => {
    const dot = rc('graph', '-c', db).out;
    expect(dot).to.include('"app" -> "db" [style=dotted, label="healthy"];').and.to.include('"db" -> "init";');
    expect(rc('graph', '-c', db, '--format', 'mermaid').out).to.match(/n\d -\. started \.-> n\d/);
    const json = JSON.parse(rc('graph', '-c', db, '--format', 'json').out) as { edges: object[] };
    expect(json.edges).to.deep.include({ from: 'app', to: 'cache', kind: 'dependency', condition: 'started' });
    expect(json.edges).to.deep.include({ from: 'db', to: 'init', kind: 'dependency' });
  });
});
