// rc db / rc graph / rc check on the s6-overlay v3 shaped example (and the webapp example), through the CLI.
import { expect } from 'chai';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { rcBin, sourceDbDir, tempDir } from '../helpers/paths.js';

const example = join(sourceDbDir, 's6-overlay-example');
const SOURCES = ['s6-rc.d', 'user-bundles.d', 'overlay'].map((s) => join(example, s));

function rc(...args: string[]) {
  const r = spawnSync(process.execPath, [rcBin, ...args], { encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' } });
  return { code: r.status, out: r.stdout, err: r.stderr };
}

describe('e2e: rc db on the s6-overlay example', function () {
  this.timeout(30_000);
  let tmp: ReturnType<typeof tempDir>;
  let db: string;
  const q = (...args: string[]) => rc('db', '-c', db, ...args);
  const lines = (...args: string[]) => {
    const r = q(...args);
    expect(r.code, r.err).to.equal(0);
    return r.out.split('\n').filter((l) => l !== '');
  };

  before(() => {
    tmp = tempDir();
    db = join(tmp.path, 'compiled');
    const r = rc('compile', db, ...SOURCES);
    expect(r.code, r.err).to.equal(0);
    expect(r.err).to.equal('');
  });
  after(() => tmp.cleanup());

  it('lists services and bundles by kind', () => {
    expect(lines('list', 'oneshots')).to.deep.equal(['00', '_startup', 'init-config', 'init-db', 'fix-attrs', 'legacy-cont-init', 'legacy-services']);
    expect(lines('list', 'longruns')).to.deep.equal(['cron', 'nginx', 'nginx-log', 'php-fpm', 'pihole-FTL', 'pihole-FTL-log', 'postgres']);
    expect(lines('list', 'bundles')).to.deep.equal(['user', 'user2', 'base', 'top', 'nginx-pipeline', 'pihole-FTL-pipeline']);
    expect(lines('list', 'all')).to.have.length(20);
  });

  it('answers type, contents, flags and timeouts', () => {
    expect(lines('type', 'pihole-FTL')).to.deep.equal(['longrun']);
    expect(lines('type', 'base')).to.deep.equal(['bundle']);
    expect(lines('contents', 'base')).to.deep.equal(['fix-attrs', 'legacy-cont-init']);
    expect(lines('contents', 'user2')).to.deep.equal([]);
    expect(lines('contents', 'top')).to.include.members(['legacy-services', 'nginx', 'nginx-log', 'postgres', 'fix-attrs']);
    expect(lines('flags', 'php-fpm')).to.deep.equal(['essential: yes']);
    expect(lines('flags', 'nginx')).to.deep.equal(['essential: no']);
    expect(lines('timeout', 'init-db')).to.deep.equal(['60000']);
    expect(lines('timeout', '00')).to.deep.equal(['5000']);
    expect(lines('timeout', '--down', 'postgres')).to.deep.equal(['0']);
  });

  it('answers direct and transitive dependencies, both ways', () => {
    expect(lines('deps', 'init-db')).to.deep.equal(['init-config', 'fix-attrs', 'legacy-cont-init']);
    expect(lines('deps', '--all', 'postgres')).to.deep.equal(['00', 'init-config', 'init-db', 'fix-attrs', 'legacy-cont-init']);
    expect(lines('deps', '--reverse', 'init-db')).to.deep.equal(['postgres', 'legacy-services']);
    // php-fpm has an empty dependencies file, so it is the one service outside base's reverse closure.
    expect(lines('deps', '--reverse', '--all', 'fix-attrs')).to.deep.equal([
      '00', '_startup', 'cron', 'init-config', 'init-db', 'nginx', 'nginx-log', 'pihole-FTL', 'pihole-FTL-log', 'postgres', 'legacy-cont-init', 'legacy-services',
    ]);
    expect(lines('deps', 'nginx')).to.deep.equal(['init-config', 'nginx-log', 'php-fpm', 'fix-attrs', 'legacy-cont-init']);
  });

  it('shows pipelines and lexed scripts', () => {
    expect(lines('pipeline', 'nginx')).to.deep.equal(['pipeline nginx-pipeline', 'nginx -> nginx-log']);
    expect(lines('pipeline', 'pihole-FTL-pipeline')).to.deep.equal(['pipeline pihole-FTL-pipeline', 'pihole-FTL -> pihole-FTL-log']);
    expect(lines('script', 'init-config')).to.deep.equal(['/etc/s6-overlay/s6-rc.d/init-config/run']);
    expect(lines('script', 'init-db')).to.deep.equal(["with-contenv if ' /etc/s6-overlay/s6-rc.d/init-db/run' '' foreground ' echo' ' init-db: done' ''"]);
    expect(lines('script', '_startup')).to.deep.equal([]);
    expect(lines('script', '--down', 'legacy-cont-init')).to.deep.equal(['/package/admin/s6-overlay/libexec/legacy-cont-finish']);
  });

  it('answers in JSON with --json, before or after the subcommand', () => {
    expect(JSON.parse(q('script', '--json', 'init-db').out)).to.deep.equal(['with-contenv', 'if', ' /etc/s6-overlay/s6-rc.d/init-db/run', '', 'foreground', ' echo', ' init-db: done', '']);
    expect(JSON.parse(rc('db', '--json', '-c', db, 'type', 'user').out)).to.deep.equal({ name: 'user', type: 'bundle' });
    const p = JSON.parse(q('pipeline', '--json', 'nginx-log').out) as unknown;
    expect(p).to.deep.equal({ name: 'nginx-pipeline', last: 'nginx-log', members: ['nginx', 'nginx-log'], links: [{ producer: 'nginx', consumer: 'nginx-log' }] });
  });

  it('exits 3 with the closest name on an unknown name, and on a name of the wrong kind', () => {
    const r = q('deps', 'postgress');
    expect(r.code).to.equal(3);
    expect(r.err).to.equal('rc: unknown service name postgress\n  hint: did you mean `postgres`?\n');
    expect(q('contents', 'nginx').code).to.equal(3);
    expect(q('script', 'nginx').err).to.include('nginx is a longrun, not a oneshot');
    expect(q('pipeline', 'postgres')).to.include({ code: 1 });
    expect(q('pipeline', '--help').out).to.include('Exit codes: 0 ok, 1 the service is in no pipeline, 3 unknown name');
    expect(q('list', 'everything').code).to.equal(100);
  });

  it('exits 4 on a corrupt or wrong-version database and 111 on a missing one', () => {
    const copy = join(tmp.path, 'broken');
    rc('compile', copy, ...SOURCES);
    const file = join(copy, 'db.json');
    writeFileSync(file, readFileSync(file, 'utf8').slice(0, 100));
    const r = rc('db', '-c', copy, 'list', 'all');
    expect(r.code).to.equal(4);
    expect(r.err).to.match(/^rc: invalid compiled database .*db\.json: .*corrupt or truncated/);
    writeFileSync(file, '{"format":"rc-compiled-db","version":999}');
    expect(rc('db', '-c', copy, 'list', 'all').err).to.include('unsupported format version 999');
    expect(rc('db', '-c', join(tmp.path, 'nope'), 'list', 'all').code).to.equal(111);
    expect(rc('graph', '-c', copy).code).to.equal(4);
  });

  it('draws the graph as dot, mermaid and json, whole or as a closure', () => {
    const dot = rc('graph', '-c', db);
    expect(dot.code).to.equal(0);
    expect(dot.out).to.match(/^digraph rc \{/).and.to.include('label="base"').and.to.include('"init-db" [shape=box]').and.to.include('"nginx" -> "nginx-log" [style=dashed, label="pipe"]');
    const mermaid = rc('graph', '-c', db, '--format', 'mermaid', 'postgres');
    expect(mermaid.out).to.match(/^flowchart LR/).and.to.include('subgraph').and.not.to.include('nginx');
    const json = JSON.parse(rc('graph', '-c', db, '--format', 'json', 'init-db').out) as { nodes: { name: string }[]; bundles: { name: string }[] };
    expect(json.nodes.map((n) => n.name)).to.deep.equal(['00', 'init-config', 'init-db', 'fix-attrs', 'legacy-cont-init']);
    expect(json.bundles.map((b) => b.name)).to.deep.equal(['base']);
    expect(rc('graph', '-c', db, 'nope').code).to.equal(3);
    expect(rc('graph', '-c', db, '--format', 'svg').code).to.equal(100);
  });
});

describe('e2e: rc check and rc compile --json', function () {
  this.timeout(30_000);
  let tmp: ReturnType<typeof tempDir>;
  beforeEach(() => (tmp = tempDir()));
  afterEach(() => tmp.cleanup());

  it('checks every example tree in source-db', () => {
    expect(rc('check', ...SOURCES)).to.deep.include({ code: 0, out: 'ok: 14 services (7 oneshots, 7 longruns) and 6 bundles\n' });
    expect(rc('check', join(sourceDbDir, 'webapp')).code).to.equal(0);
  });

  it('warns about a misspelled file (exit 0, counted in the ok line); --strict makes it an error for check and compile', () => {
    const src = join(tmp.path, 'src');
    mkdirSync(join(src, 'a'), { recursive: true });
    writeFileSync(join(src, 'a', 'type'), 'longrun\n');
    writeFileSync(join(src, 'a', 'run'), '#!/bin/sh\n');
    writeFileSync(join(src, 'a', 'notification_fd'), '3\n');
    const plain = rc('check', src);
    expect(plain).to.deep.include({ code: 0, out: 'ok: 1 service (0 oneshots, 1 longrun) and 0 bundles, 1 warning\n' });
    expect(plain.err).to.contain('a/notification_fd: warning: unknown file notification_fd in longrun a: ignored\n  hint: did you mean notification-fd?');
    const strict = rc('check', '--strict', src);
    expect(strict.code).to.equal(1);
    expect(strict.err).to.contain('a/notification_fd: error: unknown file notification_fd in longrun a: ignored (--strict)');
    expect(strict.err).to.contain('rc check: 1 error');
    expect(rc('compile', join(tmp.path, 'db1'), src).code).to.equal(0);
    expect(rc('compile', '--strict', join(tmp.path, 'db2'), src).code).to.equal(1);
    expect(existsSync(join(tmp.path, 'db2'))).to.equal(false);
  });

  it('prints JSON diagnostics on stdout with --json', () => {
    const src = join(tmp.path, 'missing-source');
    const r = rc('compile', '--json', join(tmp.path, 'out'), src);
    expect(r.code).to.equal(111);
    const doc = JSON.parse(r.out) as { diagnostics: unknown[] };
    expect(doc).to.deep.include({ ok: false, exitCode: 111 });
    expect(doc.diagnostics[0]).to.deep.include({ severity: 'error', kind: 'system', file: src });
    const c = JSON.parse(rc('check', '--json', join(sourceDbDir, 'webapp')).out) as unknown;
    expect(c).to.deep.equal({ ok: true, exitCode: 0, services: 5, bundles: 2, diagnostics: [] });
  });
});
