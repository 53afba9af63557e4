// rc check's messages on odd trees: a near-miss type, a source whose entries are all rejected,
// a file flooding the cap, a name holding a newline.
import { expect } from 'chai';
import { spawnSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { rcBin, tempDir } from '../helpers/paths.js';
import { longrun, writeTree } from '../integration/compile/tree.js';

function rc(cwd: string, ...args: string[]) {
  const r = spawnSync(process.execPath, [rcBin, ...args], { cwd, encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' } });
  return { code: r.status, out: r.stdout, err: r.stderr };
}

describe('e2e: rc check diagnostics polish', function () {
  this.timeout(30_000);
  let tmp: ReturnType<typeof tempDir>;
  beforeEach(() => (tmp = tempDir()));
  afterEach(() => tmp.cleanup());

  it('shows a bad type without a spurious ellipsis, with a did-you-mean', () => {
    writeTree(join(tmp.path, 'src'), { 'a/type': 'longrunn\n', 'a/run': '' });
    const r = rc(tmp.path, 'check', 'src');
    expect(r.code).to.equal(1);
    expect(r.err).to.equal(
      'src/a/type:1: error: invalid src/a/type: must be oneshot, longrun, or bundle\n  hint: found "longrunn"; did you mean longrun? accepted values: oneshot, longrun, bundle\nrc check: 1 error\n',
    );
    writeTree(join(tmp.path, 'src'), { 'a/type': 'a-much-longer-text-than-forty-bytes-for-sure\n' });
    expect(rc(tmp.path, 'check', 'src').err).to.contain('found "a-much-longer-text-than-forty-bytes-for-..."; accepted values');
  });

  it('does not call a source empty when its only entry was rejected', () => {
    mkdirSync(join(tmp.path, 'src', 's6rc-x'), { recursive: true });
    const r = rc(tmp.path, 'check', 'src');
    expect(r.code).to.equal(1);
    expect(r.err).to.contain('src/s6rc-x: error: in src: identifier s6rc-x starts with reserved prefix');
    expect(r.err).to.not.contain('empty');
    mkdirSync(join(tmp.path, 'empty'));
    expect(rc(tmp.path, 'check', 'empty').err).to.contain('warning: source directory empty is empty');
    mkdirSync(join(tmp.path, 'files'));
    writeFileSync(join(tmp.path, 'files', 'README'), '');
    expect(rc(tmp.path, 'check', 'files').err).to.contain('warning: source directory files defines no service: it holds no subdirectory');
  });

  it('prints the "more problems" note last, not as an error, with the right plural, and counts every problem', () => {
    const names = (n: number) => Array.from({ length: n }, (_, i) => `missing-${i}`).join('\n');
    writeTree(join(tmp.path, 'src'), { ...longrun('a', [], { dependencies: names(51) }), ...longrun('b', [], { dependencies: names(300) }) });
    const r = rc(tmp.path, 'check', 'src');
    expect(r.code).to.equal(1);
    const lines = r.err.split('\n').filter((l) => !l.startsWith('  ') && l !== '');
    expect(lines).to.have.length(50 + 1 + 50 + 1 + 1);
    expect(lines[50]).to.equal('src/a/dependencies: note: (1 more problem in this file not shown)');
    expect(lines[101]).to.equal('src/b/dependencies: note: (250 more problems in this file not shown)');
    expect(lines[102]).to.equal('rc check: 351 errors');
  });

  it('escapes a newline in a path instead of breaking the location', () => {
    mkdirSync(join(tmp.path, 'src', 'a\nb'), { recursive: true });
    writeTree(join(tmp.path, 'src'), longrun('ok'));
    const r = rc(tmp.path, 'check', 'src');
    expect(r.code).to.equal(1);
    expect(r.err).to.contain('src/a\\nb: error: subdirectory of src contains a newline character\n  hint: the entry is named "a\\nb"\n');
  });
});
