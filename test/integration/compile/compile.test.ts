// compileSources / compileToDir on real trees: the index (deps both ways, bundles, flags, pipelines) and servicedirs.
import { expect } from 'chai';
import { existsSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { compileSources, compileToDir } from '../../../lib/compile/index.js';
import { readDb } from '../../../lib/db/read.js';
import type { DbIndex, LongrunService, OneshotService } from '../../../lib/db/types.js';
import { tempDir } from '../../helpers/paths.js';
import { bundle, longrun, oneshot, writeTree } from './tree.js';

const byName = (index: DbIndex, name: string) => index.services.find((s) => s.name === name)!;
const names = (index: DbIndex, ids: number[]) => ids.map((i) => index.services[i]!.name);

describe('compile: building the index', () => {
  let tmp: ReturnType<typeof tempDir>;
  beforeEach(() => (tmp = tempDir()));
  afterEach(() => tmp.cleanup());

  function compile(spec: Parameters<typeof writeTree>[1]): DbIndex {
    const src = writeTree(join(tmp.path, 'src'), spec);
    const out = compileSources([src]);
    expect(out.diagnostics.filter((d) => d.severity === 'error'), JSON.stringify(out.diagnostics)).to.deep.equal([]);
    return out.index!;
  }

  it('indexes atomic services in sorted order, with deps in both directions and bundles flattened', () => {
    const index = compile({
      ...oneshot('init'),
      ...longrun('db', ['init']),
      ...longrun('app', ['stack']),
      ...bundle('stack', ['db', 'inner']),
      ...bundle('inner', ['init']),
    });
    expect(index.services.map((s) => s.name)).to.deep.equal(['app', 'db', 'init']);
    expect(names(index, byName(index, 'app').deps)).to.deep.equal(['db', 'init']);
    expect(names(index, byName(index, 'init').rdeps)).to.deep.equal(['app', 'db']);
    const stack = index.bundles.find((b) => b.name === 'stack')!;
    expect(names(index, stack.members)).to.deep.equal(['db', 'init']);
    expect(stack.contents).to.deep.equal(['db', 'inner']);
  });

  it('OR-s a bundle flag-essential into its members', () => {
    const index = compile({ ...longrun('a'), ...longrun('b'), ...bundle('core', ['a']), 'core/flag-essential': 'anything\n' });
    expect(byName(index, 'a').flags.essential).to.equal(true);
    expect(byName(index, 'b').flags.essential).to.equal(false);
  });

  it('lets dependencies.d win over dependencies, and contents.d over contents, even when the file is wrong', () => {
    const index = compile({
      ...longrun('a', ['b'], { dependencies: 'does-not-exist\n' }),
      ...longrun('b'),
      ...bundle('x', ['a']),
      'x/contents': 'nope\n',
    });
    expect(names(index, byName(index, 'a').deps)).to.deep.equal(['b']);
  });

  it('lexes up/down and reads timeouts', () => {
    const index = compile({ ...oneshot('o', 'if { true } echo "a b"\n'), 'o/down': '# nothing\n', 'o/timeout-up': '1500\n\n', 'o/timeout-down': '20' });
    const o = byName(index, 'o') as OneshotService;
    expect(o.up).to.deep.equal(['if', ' true', '', 'echo', 'a b']);
    expect(o.down).to.deep.equal([]);
    expect([o.timeoutUp, o.timeoutDown]).to.deep.equal([1500, 20]);
  });

  it('fills longrun settings with s6 defaults', () => {
    const index = compile({ ...longrun('l'), ...longrun('m', [], { 'notification-fd': '3\n', 'lock-fd': '4', 'timeout-kill': '100\n', 'timeout-finish': '0\n', 'max-death-tally': '9999\n', 'down-signal': 'HUP\n', finish: 'x' }) });
    const l = byName(index, 'l') as LongrunService;
    expect(l).to.include({ notificationFd: null, lockFd: null, timeoutKill: 0, timeoutFinish: 5000, maxDeathTally: 100, downSignal: 'SIGTERM', hasFinish: false });
    const m = byName(index, 'm') as LongrunService;
    expect(m).to.include({ notificationFd: 3, lockFd: 4, timeoutKill: 100, timeoutFinish: 0, maxDeathTally: 4096, downSignal: 'SIGHUP', hasFinish: true });
  });

  it('links pipelines, adds the producer → consumer edge and the pipeline-name bundle', () => {
    const index = compile({
      ...longrun('p1', [], { 'producer-for': 'mid\n' }),
      ...longrun('p2', [], { 'producer-for': 'mid\n' }),
      ...longrun('mid', [], { 'consumer-for': 'p1\np2\n', 'producer-for': 'log\n' }),
      ...longrun('log', [], { 'consumer-for': 'mid\n', 'pipeline-name': 'funnel\n' }),
      ...bundle('user', ['funnel']),
    });
    const p1 = byName(index, 'p1') as LongrunService;
    const mid = byName(index, 'mid') as LongrunService;
    const log = byName(index, 'log') as LongrunService;
    expect(names(index, p1.deps)).to.deep.equal(['mid']);
    expect(names(index, mid.deps)).to.deep.equal(['log']);
    expect(names(index, [p1.producerFor!])).to.deep.equal(['mid']);
    expect(names(index, mid.consumerFor)).to.deep.equal(['p1', 'p2']);
    expect(log.pipelineName).to.equal('funnel');
    const funnel = index.bundles.find((b) => b.name === 'funnel')!;
    expect(funnel.pipeline).to.equal(true);
    expect(names(index, funnel.members)).to.deep.equal(['log', 'mid', 'p1', 'p2']);
    expect(names(index, index.bundles.find((b) => b.name === 'user')!.members)).to.deep.equal(['log', 'mid', 'p1', 'p2']);
  });

  it('reads the rc readiness extensions and restart-delay', () => {
    const index = compile({
      ...longrun('t', [], { 'ready-tcp': '127.0.0.1:5432\n', 'ready-interval': '50\n', 'ready-timeout': '3000\n', 'restart-delay': '250\n' }),
      ...longrun('h', [], { 'ready-http': 'http://localhost:8080/healthz\n' }),
      ...longrun('c', [], { 'ready-cmd': 'pg_isready -q "-h" localhost\n' }),
      ...longrun('p', [], { 'ready-tcp': '8080' }),
    });
    expect((byName(index, 't') as LongrunService).readiness).to.deep.equal({ kind: 'tcp', host: '127.0.0.1', port: 5432, intervalMs: 50, timeoutMs: 3000 });
    expect((byName(index, 't') as LongrunService).restartDelay).to.equal(250);
    expect((byName(index, 'h') as LongrunService).readiness).to.deep.equal({ kind: 'http', url: 'http://localhost:8080/healthz', intervalMs: 200, timeoutMs: 0 });
    expect((byName(index, 'c') as LongrunService).readiness).to.deep.include({ kind: 'cmd', argv: ['pg_isready', '-q', '-h', 'localhost'] });
    expect((byName(index, 'p') as LongrunService).readiness).to.deep.include({ host: '127.0.0.1', port: 8080 });
  });

  it('rejects bad extension values with located errors', () => {
    const src = writeTree(join(tmp.path, 'src'), {
      ...longrun('a', [], { 'ready-tcp': 'localhost:99999\n' }),
      ...longrun('b', [], { 'ready-http': 'ftp://x/\n' }),
      ...longrun('c', [], { 'ready-cmd': '# nothing\n' }),
      ...longrun('d', [], { 'ready-tcp': '1', 'ready-cmd': 'true' }),
      ...longrun('e', [], { 'ready-interval': '0\n', 'restart-delay': 'soon' }),
    });
    const out = compileSources([src]);
    const lines = out.diagnostics.map((d) => `${d.file.slice(src.length + 1)}: ${d.severity}: ${d.message}`);
    expect(lines).to.include.members([
      `a/ready-tcp: error: invalid ${src}/a/ready-tcp: expected host:port`,
      `b/ready-http: error: invalid ${src}/b/ready-http: expected an http:// URL`,
      `c/ready-cmd: error: ${src}/c/ready-cmd holds no command`,
      'd/ready-cmd: error: longrun d has more than one readiness probe: ready-tcp, ready-cmd',
      `e/ready-interval: error: invalid ${src}/e/ready-interval`,
      `e/restart-delay: error: invalid ${src}/e/restart-delay`,
    ]);
  });
});

describe('compile: the compiled directory', () => {
  let tmp: ReturnType<typeof tempDir>;
  beforeEach(() => (tmp = tempDir()));
  afterEach(() => tmp.cleanup());

  it('copies run/finish 0755, rewrites numbers canonically, copies data/env/template and oneshot helpers', () => {
    const src = writeTree(join(tmp.path, 'src'), {
      ...longrun('l', [], { finish: 'echo bye\n', 'notification-fd': '3\ntrailing text\n', 'down-signal': 'INT', 'data/sub/f': 'x', 'env/PORT': '80\n', 'template/run': 'y', 'ready-tcp': '80' }),
      ...oneshot('o', '/etc/s6-overlay/s6-rc.d/o/run\n'),
      'o/run': '#!/bin/sh\necho hi\n',
      'o/helper.conf': 'k=v\n',
    });
    const target = join(tmp.path, 'compiled');
    const r = compileToDir(target, [src]);
    expect(r.ok, JSON.stringify(r.diagnostics)).to.equal(true);
    const l = join(target, 'servicedirs', 'l');
    expect(statSync(join(l, 'run')).mode & 0o777).to.equal(0o755);
    expect(statSync(join(l, 'finish')).mode & 0o777).to.equal(0o755);
    expect(readFileSync(join(l, 'notification-fd'), 'utf8')).to.equal('3\n');
    expect(readFileSync(join(l, 'down-signal'), 'utf8')).to.equal('INT\n');
    expect(readFileSync(join(l, 'data', 'sub', 'f'), 'utf8')).to.equal('x');
    expect(readFileSync(join(l, 'env', 'PORT'), 'utf8')).to.equal('80\n');
    for (const d of ['template', 'instances', 'instance']) expect(statSync(join(l, d)).isDirectory(), d).to.equal(true);
    expect(existsSync(join(l, 'ready-tcp')), 'extensions live in the index').to.equal(false);
    const o = join(target, 'servicedirs', 'o');
    expect(statSync(join(o, 'run')).mode & 0o777).to.equal(0o755);
    expect(readFileSync(join(o, 'helper.conf'), 'utf8')).to.equal('k=v\n');
    const db = readDb(target);
    expect(db.ok && db.value.servicedir(db.value.resolveAtomic('l')![0]!)).to.equal(l);
  });

  for (const [umask, dir, file] of [
    [0o022, 0o755, 0o644],
    [0o027, 0o750, 0o640],
  ] as const) {
    it(`honours the umask (${umask.toString(8).padStart(3, '0')}): the compiled dir ${dir.toString(8)}, db.json ${file.toString(8)}, scripts keep 755`, () => {
      const src = writeTree(join(tmp.path, 'src'), { ...longrun('l', [], { 'notification-fd': '3\n', 'data/f': 'x' }), ...oneshot('o') });
      const target = join(tmp.path, 'compiled');
      const before = process.umask(umask);
      try {
        const r = compileToDir(target, [src]);
        expect(r.ok, JSON.stringify(r.diagnostics)).to.equal(true);
      } finally {
        process.umask(before);
      }
      const mode = (...p: string[]) => statSync(join(target, ...p)).mode & 0o777;
      expect(mode(), 'compiled dir (mkdtemp made it 0700)').to.equal(dir);
      expect(mode('db.json')).to.equal(file);
      expect(mode('servicedirs')).to.equal(dir);
      expect(mode('servicedirs', 'l')).to.equal(dir);
      expect(mode('servicedirs', 'l', 'notification-fd')).to.equal(file);
      expect(mode('servicedirs', 'l', 'run')).to.equal(0o755);
    });
  }
});
