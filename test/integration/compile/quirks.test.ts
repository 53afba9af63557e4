// Real trees are messy: quirks that must compile, hostile inputs that must never crash, many errors at once.
import { expect } from 'chai';
import { execFileSync } from 'node:child_process';
import { closeSync, mkdirSync, openSync, symlinkSync, ftruncateSync, writeFileSync, chmodSync } from 'node:fs';
import { join } from 'node:path';
import { compileSources } from '../../../lib/compile/index.js';
import { countDiagnostics, formatDiagnostic } from '../../../lib/core/diagnostics.js';
import { tempDir } from '../../helpers/paths.js';
import { bundle, longrun, oneshot, writeTree } from './tree.js';

describe('compile: quirks of real trees', () => {
  let tmp: ReturnType<typeof tempDir>;
  beforeEach(() => (tmp = tempDir()));
  afterEach(() => tmp.cleanup());

  it('accepts missing final newlines, marker files with content, empty lists, odd names, dot entries and stray files', () => {
    const src = writeTree(join(tmp.path, 'src'), {
      'pihole-FTL/type': 'longrun',
      'pihole-FTL/run': 'exec true',
      'pihole-FTL/dependencies.d/_startup': 'some content in a marker file\n',
      'pihole-FTL/dependencies.d/.hidden': '',
      '_startup/type': 'oneshot',
      '_startup/up': '# comment only: a no-op\n',
      '_startup/dependencies': '',
      '00/type': 'oneshot\n',
      '00/up': 'true',
      '00/flag-essential': 'yes please\n',
      'with space/type': 'oneshot\n',
      'with space/up': '',
      ...bundle('all', ['pihole-FTL', '00', 'with space']),
      'all/contents.d/.gitkeep': '',
      ...bundle('empty', []),
      '.git/': null,
      'README': 'a stray file at top level is ignored\n',
    });
    chmodSync(join(src, 'pihole-FTL', 'run'), 0o644);
    const out = compileSources([src]);
    expect(out.diagnostics, out.diagnostics.map(formatDiagnostic).join('\n')).to.deep.equal([]);
    expect(out.index!.services.map((s) => s.name)).to.deep.equal(['00', '_startup', 'pihole-FTL', 'with space']);
    expect(out.index!.bundles.find((b) => b.name === 'empty')!.members).to.deep.equal([]);
  });

  it('follows a symlink to a service directory, and uses the last definition source order', () => {
    writeTree(join(tmp.path, 'elsewhere'), longrun('real'));
    const src = writeTree(join(tmp.path, 'src'), oneshot('a'));
    symlinkSync(join(tmp.path, 'elsewhere', 'real'), join(src, 'linked'));
    const out = compileSources([src]);
    expect(out.index!.services.map((s) => s.name)).to.deep.equal(['a', 'linked']);
  });

  it('reports duplicate names in a list only at -v2 (info) and keeps one', () => {
    const src = writeTree(join(tmp.path, 'src'), { ...longrun('a'), ...longrun('b', [], { dependencies: 'a\na\n' }) });
    const out = compileSources([src]);
    expect(out.diagnostics.map((d) => d.severity)).to.deep.equal(['info']);
    expect(out.index!.services[1]!.deps).to.deep.equal([0]);
  });

  it('hints at CRLF line endings and trailing blanks in names', () => {
    const src = writeTree(join(tmp.path, 'src'), { ...longrun('db'), ...longrun('app', [], { dependencies: 'db\r\n' }), ...longrun('x', [], { dependencies: 'db \n' }) });
    const text = compileSources([src]).diagnostics.map(formatDiagnostic).join('\n');
    expect(text).to.include('CRLF').and.to.include('trailing blanks');
  });
});

describe('compile: hostile inputs never crash', () => {
  let tmp: ReturnType<typeof tempDir>;
  beforeEach(() => (tmp = tempDir()));
  afterEach(() => tmp.cleanup());

  it('handles binary files, a 100 MB dependencies file, FIFOs, symlink loops and dangling links', () => {
    const src = writeTree(join(tmp.path, 'src'), {
      ...longrun('bin', [], { 'timeout-up': '\x00\xff\xfe' }),
      'bin/type': 'long\x00run',
      ...oneshot('binup', 'echo \x00\x01\x02'),
      ...longrun('big'),
      ...oneshot('fifo'),
    });
    const fd = openSync(join(src, 'big', 'dependencies'), 'w');
    ftruncateSync(fd, 100 * 1024 * 1024);
    closeSync(fd);
    execFileSync('mkfifo', [join(src, 'fifo', 'down')]);
    symlinkSync('loop', join(src, 'loop'));
    symlinkSync('/nonexistent/target', join(src, 'dangling'));
    mkdirSync(join(src, 'deps-loop', 'dependencies.d'), { recursive: true });
    writeFileSync(join(src, 'deps-loop', 'type'), 'oneshot\n');
    writeFileSync(join(src, 'deps-loop', 'up'), '');
    symlinkSync('x', join(src, 'deps-loop', 'dependencies.d', 'x'));
    const started = Date.now();
    const out = compileSources([src]);
    expect(Date.now() - started).to.be.below(5000);
    const text = out.diagnostics.map(formatDiagnostic).join('\n');
    expect(out.index).to.equal(undefined);
    expect(text).to.include(`${src}/bin/type:1: error: invalid`);
    expect(text).to.include(`${src}/binup/up:1: error: syntax error in ${src}/binup/up: NUL character`);
    expect(text).to.include(`${src}/big/dependencies: error: ${src}/big/dependencies is too large`);
    expect(text).to.include(`${src}/fifo/down: error: unable to read ${src}/fifo/down: not a regular file`);
    expect(text).to.include(`${src}/loop: error: unable to stat ${src}/loop: ELOOP`);
    expect(text).to.include(`${src}/dangling: error: unable to stat`);
    expect(text).to.include('undefined service name x');
  });

  it('reports a permission problem as a system error (when not running as root)', function () {
    if (process.getuid?.() === 0) this.skip();
    const src = writeTree(join(tmp.path, 'src'), oneshot('o'));
    chmodSync(join(src, 'o', 'up'), 0o000);
    const out = compileSources([src]);
    expect(out.diagnostics[0]).to.include({ kind: 'system', severity: 'error' });
    expect(out.diagnostics[0]!.message).to.include('EACCES');
  });
});

describe('compile: every problem at once', () => {
  let tmp: ReturnType<typeof tempDir>;
  beforeEach(() => (tmp = tempDir()));
  afterEach(() => tmp.cleanup());

  it('reports all problems of a broken tree, sorted, with locations and hints', () => {
    const src = writeTree(join(tmp.path, 'src'), {
      ...longrun('postgres'),
      ...longrun('app', ['migrate'], { dependencies: 'ignored because dependencies.d exists\n' }),
      ...oneshot('migrate', 'if { true\n', ['db']),
      ...longrun('db', ['app']),
      ...longrun('web', [], { dependencies: 'postgre\n', 'timeout-up': 'ten\n' }),
      ...bundle('stack', ['web', 'nginx']),
      'odd/type': 'service\n',
      ...longrun('norun'),
    });
    writeFileSync(join(src, 'norun', 'run'), '');
    mkdirSync(join(src, 'norun', 'run.d'));
    const out = compileSources([src]);
    const rel = out.diagnostics.map((d) => formatDiagnostic({ ...d, file: d.file.slice(src.length + 1) }).replaceAll(src, 'SRC'));
    expect(rel).to.deep.equal([
      'app/dependencies.d/migrate: error: cyclic service dependency reached from app and involving migrate\n  hint: the loop is app -> migrate -> db -> app',
      'migrate/up:1: error: syntax error in SRC/migrate/up: unmatched {',
      'odd/type:1: error: invalid SRC/odd/type: must be oneshot, longrun, or bundle\n  hint: found "service"; accepted values: oneshot, longrun, bundle',
      'stack/contents.d/nginx: error: during resolution of bundle stack: undefined service name nginx',
      'web/dependencies:1: error: during dependency resolution for service web: undefined service name postgre\n  hint: did you mean `postgres`?',
      'web/timeout-up:1: error: invalid SRC/web/timeout-up\n  hint: expected milliseconds as a decimal number (0 = no limit), found "ten"',
    ]);
  });

  it('caps a flood from one file and says how many were left out', () => {
    const names = Array.from({ length: 500 }, (_, i) => `missing-${i}`).join('\n');
    const src = writeTree(join(tmp.path, 'src'), longrun('a', [], { dependencies: names }));
    const out = compileSources([src]);
    expect(out.diagnostics).to.have.length(51);
    const last = out.diagnostics[50]!;
    expect(last).to.deep.include({ severity: 'info', message: '(450 more problems in this file not shown)' });
    expect(last.omitted).to.deep.equal({ error: 450, warning: 0, info: 0, system: false });
    expect(out.diagnostics.slice(0, 50).every((d) => d.severity === 'error' && d.omitted === undefined)).to.equal(true);
    expect(countDiagnostics(out.diagnostics).error).to.equal(500);
    expect(formatDiagnostic(last)).to.equal(`${src}/a/dependencies: note: (450 more problems in this file not shown)`);
  });
});
