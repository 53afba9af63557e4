// Compiling issue 12's extensions: health checks, ready-log, per-edge conditions; their located errors; the db round trip.
import { expect } from 'chai';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { compileSources, compileToDir } from '../../../lib/compile/index.js';
import type { Diagnostic } from '../../../lib/core/index.js';
import { readDb } from '../../../lib/db/read.js';
import type { DbIndex, LongrunService } from '../../../lib/db/types.js';
import { sourceDbDir, tempDir } from '../../helpers/paths.js';
import { bundle, longrun, oneshot, writeTree, type TreeSpec } from './tree.js';

const byName = (index: DbIndex, name: string) => index.services.find((s) => s.name === name)!;
const indexOf = (index: DbIndex, name: string) => byName(index, name).index;

describe('compile: health checks, ready-log and edge conditions (issue 12)', () => {
  let tmp: ReturnType<typeof tempDir>;
  beforeEach(() => (tmp = tempDir()));
  afterEach(() => tmp.cleanup());

  let src = '';
  const compile = (spec: TreeSpec) => compileSources([(src = writeTree(join(tmp.path, 'src'), spec))]);
  const ok = (spec: TreeSpec): DbIndex => {
    const out = compile(spec);
    expect(out.diagnostics.filter((d) => d.severity !== 'info'), JSON.stringify(out.diagnostics)).to.deep.equal([]);
    return out.index!;
  };
  const shown = (d: Diagnostic) => `${d.file.slice(src.length + 1)}${d.line !== undefined ? `:${d.line}` : ''}: ${d.severity}: ${d.message.split(src + '/').join('')}`;
  const problems = (spec: TreeSpec) => compile(spec).diagnostics.filter((d) => d.severity !== 'info').map(shown);

  it('compiles a health check with its defaults, and every setting when given', () => {
    const index = ok({
      ...longrun('d', [], { 'health-cmd': 'pg_isready -q\n' }),
      ...longrun('h', [], {
        'health-http': 'http://127.0.0.1:8080/healthz\n', 'health-interval': '2000\n', 'health-timeout': '500\n',
        'health-retries': '5\n', 'health-start-period': '10000\n', 'health-action': 'none\n',
      }),
      ...longrun('t', [], { 'health-tcp': '6379' }),
      ...longrun('plain'),
    });
    expect((byName(index, 'd') as LongrunService).health).to.deep.equal({
      kind: 'cmd', argv: ['pg_isready', '-q'], intervalMs: 10000, timeoutMs: 5000, retries: 3, startPeriodMs: 0, action: 'restart',
    });
    expect((byName(index, 'h') as LongrunService).health).to.deep.equal({
      kind: 'http', url: 'http://127.0.0.1:8080/healthz', intervalMs: 2000, timeoutMs: 500, retries: 5, startPeriodMs: 10000, action: 'none',
    });
    expect((byName(index, 't') as LongrunService).health).to.deep.include({ kind: 'tcp', host: '127.0.0.1', port: 6379 });
    expect(byName(index, 'plain'), 'no check: no field at all').to.not.have.property('health');
  });

  it('compiles ready-log (with ready-timeout) as readiness kind log', () => {
    const index = ok({ ...longrun('r', [], { 'ready-log': 'ready to accept connections\n', 'ready-timeout': '3000\n' }) });
    expect((byName(index, 'r') as LongrunService).readiness).to.deep.equal({ kind: 'log', pattern: 'ready to accept connections', intervalMs: 200, timeoutMs: 3000 });
  });

  it('reports bad health and ready-log values with the file, line and a hint', () => {
    const out = compile({
      ...longrun('a', [], { 'health-tcp': '1', 'health-cmd': 'true' }),
      ...longrun('b', [], { 'health-cmd': 'true', 'health-interval': '0\n', 'health-timeout': 'soon\n', 'health-retries': '0\n', 'health-start-period': '-1\n' }),
      ...longrun('c', [], { 'health-http': 'http://x/', 'health-action': 'restrat\n' }),
      ...longrun('d', [], { 'ready-log': 'ready (to\n' }),
      ...longrun('e', [], { 'ready-log': 'x', 'ready-tcp': '80' }),
      ...longrun('f', [], { 'health-tcp': 'localhost:0' }),
    });
    expect(out.index).to.equal(undefined);
    const lines = out.diagnostics.map(shown);
    expect(lines).to.include.members([
      'a/health-cmd: error: longrun a has more than one health check: health-tcp, health-cmd',
      'b/health-interval:1: error: invalid b/health-interval',
      'b/health-timeout:1: error: invalid b/health-timeout',
      'b/health-retries:1: error: invalid b/health-retries',
      'b/health-start-period:1: error: invalid b/health-start-period',
      'c/health-action:1: error: invalid c/health-action: "restrat" is not a health action',
      'd/ready-log:1: error: invalid d/ready-log: Invalid regular expression: /ready (to/: Unterminated group',
      'e/ready-log: error: longrun e has more than one readiness probe: ready-tcp, ready-log',
      'f/health-tcp:1: error: invalid f/health-tcp: expected host:port',
    ]);
    const action = out.diagnostics.find((d) => d.file.endsWith('c/health-action'))!;
    expect(action.hint).to.equal('did you mean restart? accepted values: restart (the default: restart the service when unhealthy), none (only report)');
    expect(out.diagnostics.find((d) => d.file.endsWith('b/health-retries'))!.hint).to.match(/consecutive failures .* found "0"/);
  });

  it('warns about health settings without a check, health files on a oneshot and ready-interval with ready-log', () => {
    expect(problems({
      ...longrun('a', [], { 'health-interval': '100\n' }),
      ...oneshot('o'), 'o/health-cmd': 'true\n',
      ...longrun('r', [], { 'ready-log': 'up', 'ready-interval': '10\n' }),
    })).to.deep.equal([
      'a/health-interval: warning: health-interval without health-tcp, health-http or health-cmd: ignored',
      'o/health-cmd: warning: health-cmd is ignored in a oneshot: health checks apply to longruns',
      'r/ready-interval: warning: ready-interval does not apply to ready-log (every line is matched): ignored',
    ]);
  });

  it('reads edge conditions from dependencies.d/ entries: empty = ready, started, healthy (blanks, comments and prose notes ignored)', () => {
    const index = ok({
      ...longrun('db', [], { 'health-tcp': '5432' }),
      ...longrun('cache'),
      ...oneshot('init'),
      ...longrun('notes'),
      ...longrun('app', ['db', 'cache', 'init', 'notes']),
      'app/dependencies.d/notes': 'this marker file has content; s6-rc ignores it\n',
      'app/dependencies.d/db': 'healthy\n',
      'app/dependencies.d/cache': '# do not wait for its readiness\n  started  \n',
      'app/dependencies.d/init': '\n',
    });
    const app = byName(index, 'app');
    expect(app.conditions).to.deep.equal({ [indexOf(index, 'db')]: 'healthy', [indexOf(index, 'cache')]: 'started' });
    expect(byName(index, 'db'), 'no condition: no field').to.not.have.property('conditions');
  });

  it('gives a condition on a bundle to each member, and keeps the strictest when two entries make one edge', () => {
    const index = ok({
      ...longrun('a'), ...longrun('b'), ...bundle('pair', ['a', 'b']),
      ...longrun('app', ['pair', 'b']),
      'app/dependencies.d/pair': 'started',
    });
    expect(byName(index, 'app').conditions).to.deep.equal({ [indexOf(index, 'a')]: 'started' });
  });

  it('rejects unknown words, several words, and healthy edges to services without a health check, located', () => {
    const out = compile({
      ...longrun('db'), ...oneshot('init'), ...longrun('web'), ...longrun('x'),
      ...longrun('app', ['db', 'init', 'web', 'x']),
      'app/dependencies.d/db': 'healthy\n',
      'app/dependencies.d/init': 'healthy',
      'app/dependencies.d/web': '\nredy\n',
      'app/dependencies.d/x': 'started healthy\n',
    });
    expect(out.index).to.equal(undefined);
    expect(out.diagnostics.map(shown)).to.deep.equal([
      'app/dependencies.d/db: error: app waits for db to be healthy, but db is a longrun without a health check',
      'app/dependencies.d/init: error: app waits for init to be healthy, but init is a oneshot',
      'app/dependencies.d/web:2: error: invalid condition "redy" in app/dependencies.d/web',
      'app/dependencies.d/x:1: error: invalid condition "started healthy" in app/dependencies.d/x',
    ]);
    const web = out.diagnostics.find((d) => d.file.endsWith('/web'))!;
    expect(web.hint).to.match(/^did you mean ready\? accepted values: ready .*started .*healthy .*empty file means ready$/);
    expect(out.diagnostics[0]!.hint).to.equal('give db a health-cmd, health-http or health-tcp, or make this edge ready (an empty file)');
  });

  it('warns that started on a oneshot means ready, and compiles it as ready', () => {
    const out = compile({ ...oneshot('init'), ...longrun('app', ['init']), 'app/dependencies.d/init': 'started' });
    expect(out.diagnostics.map(shown)).to.deep.equal([
      'app/dependencies.d/init: warning: app waits for oneshot init to be started: a oneshot is waited for until it is done (ready)',
    ]);
    expect(byName(out.index!, 'app')).to.not.have.property('conditions');
  });

  it('writes and reads back a db with health, ready-log and conditions; validation rejects bad ones', () => {
    const source = writeTree(join(tmp.path, 'src'), {
      ...longrun('db', [], { 'health-tcp': '5432', 'ready-log': '^ready' }),
      ...longrun('app', ['db']), 'app/dependencies.d/db': 'healthy',
    });
    const compiled = join(tmp.path, 'compiled');
    expect(compileToDir(compiled, [source]).ok).to.equal(true);
    const r = readDb(compiled);
    expect(r.ok && (r.value.service(r.value.resolveAtomic('db')![0]!) as LongrunService).health?.kind).to.equal('tcp');
    const file = join(compiled, 'db.json');
    const text = readFileSync(file, 'utf8');
    for (const [bad, why] of [
      [text.replace('"healthy"', '"happy"'), /"happy" is not started or healthy/],
      [text.replace('"retries":3', '"retries":0'), /retries must be positive/],
      [text.replace('"action":"restart"', '"action":"reboot"'), /action must be restart or none/],
      [text.replace('"pattern":"^ready"', '"pattern":"("'), /pattern is not a valid regular expression/],
    ] as const) {
      expect(bad).to.not.equal(text);
      writeFileSync(file, bad);
      const again = readDb(compiled);
      expect(again.ok ? 'valid' : again.error.message).to.match(why);
    }
  });

  it('keeps an s6-overlay tree without the extensions compiling to the same shape (no health, no conditions)', () => {
    const s6 = join(sourceDbDir, 's6-overlay-example');
    const out = compileSources(['s6-rc.d', 'user-bundles.d', 'overlay'].map((s) => join(s6, s)), { strict: true });
    expect(out.index).to.not.equal(undefined);
    for (const s of out.index!.services) {
      expect(s).to.not.have.property('conditions');
      expect(s).to.not.have.property('health');
    }
  });
});
