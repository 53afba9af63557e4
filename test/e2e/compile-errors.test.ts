// Every compile-time failure of reference §3, through the built CLI: exit code, message, location.
import { expect } from 'chai';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { rcBin, tempDir } from '../helpers/paths.js';
import { bundle, longrun, oneshot, writeTree, type TreeSpec } from '../integration/compile/tree.js';

interface Case {
  title: string;
  tree: TreeSpec;
  exit: number;
  /** Expected in stderr (all of them). */
  expect: (string | RegExp)[];
  /** Extra sources written as SRC2 (for duplicates). */
  tree2?: TreeSpec;
}

const pipe = (p: string, c: string): TreeSpec => ({ ...longrun(p, [], { 'producer-for': `${c}\n` }), ...longrun(c, [], { 'consumer-for': `${p}\n` }) });

const CASES: Case[] = [
  {
    title: 'unknown edge condition, with the accepted words (issue 12)',
    tree: { ...longrun('db'), ...longrun('app', ['db']), 'app/dependencies.d/db': 'healty\n' },
    exit: 1,
    expect: ['src/app/dependencies.d/db:1: error: invalid condition "healty" in', 'hint: did you mean healthy? accepted values: ready'],
  },
  {
    title: 'healthy edge to a service without a health check (issue 12)',
    tree: { ...longrun('db'), ...longrun('app', ['db']), 'app/dependencies.d/db': 'healthy\n' },
    exit: 1,
    expect: ['src/app/dependencies.d/db: error: app waits for db to be healthy, but db is a longrun without a health check'],
  },
  {
    title: 'invalid ready-log regular expression and health-action (issue 12)',
    tree: longrun('db', [], { 'ready-log': 'ready [\n', 'health-tcp': '5432', 'health-action': 'kill\n' }),
    exit: 1,
    expect: ['src/db/ready-log:1: error: invalid', 'Invalid regular expression', 'src/db/health-action:1: error: invalid', '"kill" is not a health action'],
  },
  {
    title: 'dependency cycle, with the whole loop',
    tree: { ...longrun('app', ['migrate']), ...oneshot('migrate', 'true\n', ['db']), ...longrun('db', ['app']) },
    exit: 1,
    expect: ['src/app/dependencies.d/migrate: error: cyclic service dependency reached from app and involving migrate', 'hint: the loop is app -> migrate -> db -> app'],
  },
  {
    title: 'self-dependency',
    tree: longrun('a', ['a']),
    exit: 1,
    expect: ['src/a/dependencies.d/a: error: cyclic service dependency reached from a and involving a', 'a -> a'],
  },
  {
    title: 'pipeline cycle (the producer depends on its consumer)',
    tree: { ...pipe('p', 'c'), 'c/dependencies.d/p': '' },
    exit: 1,
    expect: [/cyclic service dependency reached from (p|c) and involving (c|p)/],
  },
  {
    title: 'undefined dependency, with the closest name',
    tree: { ...longrun('postgres'), ...longrun('app', [], { dependencies: 'postgres\npostgre\n' }) },
    exit: 1,
    expect: ['src/app/dependencies:2: error: during dependency resolution for service app: undefined service name postgre', 'hint: did you mean `postgres`?'],
  },
  {
    title: 'undefined bundle member',
    tree: { ...longrun('nginx'), ...bundle('web', ['nginx', 'ngnix']) },
    exit: 1,
    expect: ['src/web/contents.d/ngnix: error: during resolution of bundle web: undefined service name ngnix', 'did you mean `nginx`?'],
  },
  {
    title: 'bundle containing itself',
    tree: bundle('b', ['b']),
    exit: 1,
    expect: ['cyclic bundle definition: resolution of b encountered a cycle involving b'],
  },
  {
    title: 'two bundles containing each other',
    tree: { ...bundle('x', ['y']), ...bundle('y', ['x']) },
    exit: 1,
    expect: ['cyclic bundle definition: resolution of x encountered a cycle involving x', 'the loop is x -> y -> x'],
  },
  {
    title: 'reserved prefix in a directory name',
    tree: longrun('s6rc-mine'),
    exit: 1,
    expect: ['src/s6rc-mine: error: in src: identifier s6rc-mine starts with reserved prefix'],
  },
  {
    title: 'reserved prefix in a list',
    tree: longrun('app', [], { dependencies: 's6-rc-oneshot-runner\n' }),
    exit: 1,
    expect: ['src/app/dependencies:1: error: in src: identifier s6-rc-oneshot-runner starts with reserved prefix'],
  },
  {
    title: 'a name containing a newline',
    tree: longrun('bad\nname'),
    exit: 1,
    expect: ['subdirectory of src contains a newline character'],
  },
  {
    title: 'duplicate definition across sources',
    tree: longrun('app'),
    tree2: oneshot('app'),
    exit: 1,
    expect: ['src2/app: error: duplicate service definition: app defined in src2 is already defined and has type longrun', 'src/app: first defined here'],
  },
  {
    title: 'pipeline-name clashing with a service',
    tree: { ...pipe('p', 'c'), 'c/pipeline-name': 'p\n' },
    exit: 1,
    expect: ['src/c/pipeline-name:1: error: duplicate service definition: p defined in src/c/pipeline-name is already defined and has type longrun'],
  },
  {
    title: 'bad type content',
    tree: { 'x/type': 'longrun \n' },
    exit: 1,
    expect: ['src/x/type:1: error: invalid src/x/type: must be oneshot, longrun, or bundle', 'trailing blanks'],
  },
  {
    title: 'unknown type word, with the accepted values',
    tree: { 'x/type': 'daemon\n' },
    exit: 1,
    expect: ['found "daemon"; accepted values: oneshot, longrun, bundle'],
  },
  { title: 'missing type file', tree: { 'x/run': 'true\n' }, exit: 111, expect: ['src/x/type: error: unable to read src/x/type'] },
  { title: 'type is a directory', tree: { 'x/type/': null }, exit: 111, expect: ['unable to read src/x/type: EISDIR'] },
  { title: 'oneshot without up', tree: { 'o/type': 'oneshot\n' }, exit: 111, expect: ['src/o/up: error: unable to open src/o/up'] },
  { title: 'longrun without run', tree: { 'l/type': 'longrun\n' }, exit: 1, expect: ['error: unable to find a run script in src/l/run'] },
  { title: 'run is not a regular file', tree: { 'l/type': 'longrun\n', 'l/run/': null }, exit: 1, expect: ['error: src/l/run is not a regular file'] },
  { title: 'bundle without contents', tree: { 'b/type': 'bundle\n' }, exit: 111, expect: ['error: unable to open src/b/contents'] },
  { title: 'bad timeout-up', tree: { ...oneshot('o'), 'o/timeout-up': '10s\n' }, exit: 1, expect: ['src/o/timeout-up:1: error: invalid src/o/timeout-up'] },
  { title: 'bad timeout-kill', tree: longrun('l', [], { 'timeout-kill': 'soon\n' }), exit: 111, expect: ['src/l/timeout-kill:1: error: unable to read src/l/timeout-kill: Invalid argument'] },
  { title: 'bad notification-fd', tree: longrun('l', [], { 'notification-fd': '-1\n' }), exit: 111, expect: ['unable to read src/l/notification-fd: Invalid argument'] },
  { title: 'bad max-death-tally', tree: longrun('l', [], { 'max-death-tally': 'x' }), exit: 111, expect: ['unable to read src/l/max-death-tally: Invalid argument'] },
  {
    title: 'notification-fd equal to lock-fd',
    tree: longrun('l', [], { 'notification-fd': '3\n', 'lock-fd': '3\n' }),
    exit: 1,
    expect: ['error: longrun l has the same value for notification-fd and lock-fd'],
  },
  { title: 'unmatched { in up', tree: oneshot('o', 'if {\n  true\n'), exit: 1, expect: ['src/o/up:1: error: syntax error in src/o/up: unmatched {'] },
  { title: 'unmatched } in down', tree: { ...oneshot('o'), 'o/down': 'true\n}\n' }, exit: 1, expect: ['src/o/down:2: error: syntax error in src/o/down: unmatched }'] },
  { title: 'unterminated quote in up', tree: oneshot('o', 'echo "abc\n'), exit: 1, expect: ['src/o/up:1: error: syntax error in src/o/up: unterminated quoted string'] },
  {
    title: 'producer-for with two names',
    tree: { ...pipe('p', 'c'), 'p/producer-for': 'c\nd\n' },
    exit: 1,
    expect: ['src/p/producer-for:2: error: src/p/producer-for should only contain one service name'],
  },
  {
    title: 'pipeline-name with two names',
    tree: { ...pipe('p', 'c'), 'c/pipeline-name': 'one\ntwo\n' },
    exit: 1,
    expect: ['src/c/pipeline-name should only contain one name'],
  },
  {
    title: 'producer not declared back by its consumer',
    tree: { ...longrun('p', [], { 'producer-for': 'c\n' }), ...longrun('c') },
    exit: 1,
    expect: ['longrun service p declares being a producer for a service named c that does not declare it back', 'hint: add p to src/c/consumer-for'],
  },
  {
    title: 'two consumers claiming one producer (collision)',
    tree: { ...pipe('p', 'c1'), ...longrun('c2', [], { 'consumer-for': 'p\n' }) },
    exit: 1,
    expect: ['longrun service c2 declares being the consumer for a service named p that does not declare it back (it produces for c1)'],
  },
  {
    title: 'a pipeline end that is a oneshot',
    tree: { ...longrun('p', [], { 'producer-for': 'o\n' }), ...oneshot('o') },
    exit: 1,
    expect: ['longrun service p declares being a producer for a service named o of type oneshot'],
  },
  {
    title: 'a consumer listing itself as a producer (a pipeline loop)',
    tree: { ...longrun('a', [], { 'consumer-for': 'b\n', 'pipeline-name': 'P\n' }), ...longrun('b', [], { 'producer-for': 'a\n', 'consumer-for': 'b\n' }) },
    exit: 1,
    expect: ['longrun service b declares being the consumer for a service named b that does not declare it back'],
  },
  { title: 'data is not a directory', tree: longrun('l', [], { data: 'x' }), exit: 1, expect: ['error: src/l/data is not a directory'] },
  { title: 'env is not a directory', tree: longrun('l', [], { env: 'x' }), exit: 1, expect: ['error: src/l/env is not a directory'] },
  { title: 'template is not a directory', tree: longrun('l', [], { template: 'x' }), exit: 1, expect: ['error: src/l/template is not a directory'] },
];

function run(cwd: string, args: string[]) {
  const r = spawnSync(process.execPath, [rcBin, ...args], { cwd, encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' } });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

describe('e2e: rc compile failures (reference §3)', function () {
  this.timeout(30_000);
  let tmp: ReturnType<typeof tempDir>;
  beforeEach(() => (tmp = tempDir()));
  afterEach(() => tmp.cleanup());

  for (const c of CASES) {
    it(`${c.title} → exit ${c.exit}`, () => {
      writeTree(join(tmp.path, 'src'), c.tree);
      const sources = ['src'];
      if (c.tree2) {
        writeTree(join(tmp.path, 'src2'), c.tree2);
        sources.push('src2');
      }
      const r = run(tmp.path, ['compile', 'out', ...sources]);
      for (const e of c.expect) {
        if (typeof e === 'string') expect(r.stderr).to.include(e);
        else expect(r.stderr).to.match(e);
      }
      expect(r.stderr).not.to.match(/\n\s+at /, 'no stack trace');
      expect(r.code, r.stderr).to.equal(c.exit);
      expect(existsSync(join(tmp.path, 'out')), 'nothing written').to.equal(false);
    });
  }

  it('an existing output directory → exit 111, --force replaces it', () => {
    writeTree(join(tmp.path, 'src'), longrun('a'));
    mkdirSync(join(tmp.path, 'out'));
    const r = run(tmp.path, ['compile', 'out', 'src']);
    expect(r.code).to.equal(111);
    expect(r.stderr).to.match(/out: error: unable to mkdir .*out: File exists/).and.to.include('--force');
    const f = run(tmp.path, ['compile', '--force', 'out', 'src']);
    expect(f.code, f.stderr).to.equal(0);
    expect(existsSync(join(tmp.path, 'out', 'db.json'))).to.equal(true);
  });

  it('--force replaces only a compiled database: a directory with other files in it → exit 100, untouched', () => {
    writeTree(join(tmp.path, 'src'), longrun('a'));
    mkdirSync(join(tmp.path, 'thesis'));
    writeFileSync(join(tmp.path, 'thesis', 'chapter1.tex'), 'precious');
    const r = run(tmp.path, ['compile', '--force', 'thesis', 'src']);
    expect(r.code, r.stderr).to.equal(100);
    expect(r.stderr).to.match(/refusing to replace .*thesis with --force: it has no db\.json/).and.to.match(/remove this one yourself/);
    expect(readFileSync(join(tmp.path, 'thesis', 'chapter1.tex'), 'utf8')).to.equal('precious');
    expect(run(tmp.path, ['compile', 'out', 'src']).code).to.equal(0);
    const again = run(tmp.path, ['compile', '--force', 'out', 'src']);
    expect(again.code, again.stderr).to.equal(0);
  });

  it('refuses an output directory that is, is inside or contains a source directory → exit 100, the source intact', () => {
    writeTree(join(tmp.path, 'src'), longrun('a'));
    for (const args of [
      ['compile', '--force', 'src', 'src'],
      ['compile', '--force', 'src/db', 'src'],
      ['compile', 'src/db', 'src'],
      ['compile', '--force', '.', 'src'],
    ]) {
      const r = run(tmp.path, args);
      expect(r.code, `${args.join(' ')}: ${r.stderr}`).to.equal(100);
      expect(r.stderr).to.match(/refusing to write the compiled database to .*: it (is|is inside|contains) the source directory/);
      expect(readFileSync(join(tmp.path, 'src', 'a', 'type'), 'utf8')).to.equal('longrun\n');
      expect(existsSync(join(tmp.path, 'src', 'db'))).to.equal(false);
    }
  });

  it('reports every problem of a broken tree in one run, sorted; a system error makes it exit 111', () => {
    writeTree(join(tmp.path, 'src'), {
      ...longrun('postgres'),
      ...longrun('app', ['migrate']),
      ...oneshot('migrate', 'if { true\n', ['db']),
      ...longrun('db', ['app']),
      ...longrun('web', [], { dependencies: 'postgre\n' }),
      'odd/type': 'service\n',
      'noup/type': 'oneshot\n',
    });
    const r = run(tmp.path, ['compile', 'out', 'src']);
    const errors = r.stderr.split('\n').filter((l) => l.includes(': error: '));
    expect(errors).to.deep.equal([
      'src/app/dependencies.d/migrate: error: cyclic service dependency reached from app and involving migrate',
      'src/migrate/up:1: error: syntax error in src/migrate/up: unmatched {',
      'src/noup/up: error: unable to open src/noup/up: ENOENT: no such file or directory',
      'src/odd/type:1: error: invalid src/odd/type: must be oneshot, longrun, or bundle',
      'src/web/dependencies:1: error: during dependency resolution for service web: undefined service name postgre',
    ]);
    expect(r.stderr).to.include('rc compile: 5 errors: nothing written to out');
    expect(r.code).to.equal(111);
    expect(run(tmp.path, ['check', 'src']).code).to.equal(111);
  });

  it('a missing source → exit 111', () => {
    const r = run(tmp.path, ['compile', 'out', 'nope']);
    expect(r.code).to.equal(111);
    expect(r.stderr).to.include('nope: error: unable to open nope: ENOENT');
  });

  it('the installed binary (fast entry) compiles and reports exactly like the full CLI', () => {
    writeTree(join(tmp.path, 'src'), { ...longrun('app', [], { dependencies: 'postgre\n' }), ...longrun('postgres') });
    const fast = (args: string[]) => spawnSync(process.execPath, [join(dirname(rcBin), 'rc-fast.js'), ...args], { cwd: tmp.path, encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' } });
    const a = fast(['compile', 'out', 'src']);
    const b = run(tmp.path, ['compile', 'out', 'src']);
    expect([a.status, a.stderr]).to.deep.equal([b.code, b.stderr]);
    expect(a.status).to.equal(1);
    writeTree(join(tmp.path, 'src'), { 'app/dependencies': 'postgres\n' });
    expect(fast(['compile', '--json', 'out', 'src']).status).to.equal(0);
    expect(fast(['check', 'src']).stdout).to.equal('ok: 2 services (0 oneshots, 2 longruns) and 0 bundles\n');
    expect(fast(['compile', 'out2']).status).to.equal(100);
  });

  it('hostile list files: a 1 MiB consumer-for of NUL bytes is an invalid name, quoted cut at 80 characters (issue 10 item 8)', () => {
    writeTree(join(tmp.path, 'src'), { ...longrun('a', [], { 'consumer-for': '\0'.repeat(1 << 20) }), ...longrun('b', [], { dependencies: 'x\u0001y\n' }) });
    const r = run(tmp.path, ['compile', 'out', 'src']);
    expect(r.code, r.stderr.slice(0, 2000)).to.equal(1);
    expect(r.stderr.length, 'the diagnostics are short').to.be.below(4000);
    expect(r.stderr).to.include('src/a/consumer-for:1: error: invalid name "\\u0000');
    expect(r.stderr).to.include('… (1048576 characters): it contains a NUL byte');
    expect(r.stderr).to.include('src/b/dependencies:1: error: invalid name "x\\u0001y": it contains a control character (U+0001)');
    const j = spawnSync(process.execPath, [rcBin, 'check', '--json', 'src'], { cwd: tmp.path, encoding: 'utf8' });
    expect(j.stdout.length, 'rc check --json is short').to.be.below(4000);
    expect(j.stdout).to.include('invalid name');
  });

  it('usage errors → exit 100', () => {
    expect(run(tmp.path, ['compile', 'out']).code).to.equal(100);
    expect(run(tmp.path, ['compile', '-v', 'x', 'out', 'src']).code).to.equal(100);
  });

  it('warnings do not fail: notification-fd below 3, empty source, pipeline-name on a non-final consumer', () => {
    writeTree(join(tmp.path, 'src'), {
      ...longrun('l', [], { 'notification-fd': '1\n' }),
      ...pipe('p', 'c'),
      'p/pipeline-name': 'pp\n',
    });
    mkdirSync(join(tmp.path, 'empty'));
    const r = run(tmp.path, ['compile', 'out', 'src', 'empty']);
    expect(r.code, r.stderr).to.equal(0);
    expect(r.stderr).to.include('src/l/notification-fd:1: warning: notification-fd is 1');
    expect(r.stderr).to.include('empty: warning: source directory empty is empty');
    expect(r.stderr).to.include('src/p/pipeline-name:1: warning: pipeline-name on p is ignored');
    expect(run(tmp.path, ['compile', '-v', '0', '--force', 'out', 'src', 'empty']).stderr).to.equal('');
  });
});
