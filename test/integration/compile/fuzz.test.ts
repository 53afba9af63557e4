// Source-tree fuzzer: random hostile trees through the compiler, in process and through `rc compile`.
// RC_FUZZ_RUNS=N scales it, RC_FUZZ_SEED=N reproduces a failure (the seed is printed when one fails).
import { expect } from 'chai';
import fc from 'fast-check';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { compileExitCode, compileSources, compileToDir } from '../../../lib/compile/index.js';
import type { Diagnostic } from '../../../lib/core/diagnostics.js';
import { readDb } from '../../../lib/db/read.js';
import type { DbIndex } from '../../../lib/db/types.js';
import { validateDbIndex } from '../../../lib/db/validate.js';
import { childEnv } from '../../e2e/harness.js';
import { rcBin, tempDir } from '../../helpers/paths.js';
import { assertWithSeed, fuzzParams, fuzzTree, writeFuzzTree } from './fuzz-trees.js';

/** Every diagnostic is located in the tree, says something, and is bounded (hostile content is cut). */
function expectLocated(diagnostics: readonly Diagnostic[], src: string): void {
  for (const d of diagnostics) {
    expect(d.file, JSON.stringify(d)).to.be.a('string');
    expect(d.file.startsWith(src), `outside the tree: ${d.file}`).to.equal(true);
    expect(d.message, JSON.stringify(d)).to.be.a('string').and.not.equal('');
    expect(d.message.length, d.message.slice(0, 200)).to.be.at.most(1100);
    if (d.line !== undefined) expect(d.line).to.be.a('number').and.greaterThan(0);
  }
}

/** The compiled dependency graph is a DAG, with rdeps the mirror of deps. */
function expectDag(index: DbIndex): void {
  const n = index.services.length;
  const indegree = index.services.map((s) => s.deps.length);
  for (const s of index.services) {
    for (const d of s.deps) {
      expect(d).to.be.within(0, n - 1);
      expect(index.services[d]!.rdeps, `${s.name} -> ${index.services[d]!.name}`).to.include(s.index);
    }
  }
  const ready = indegree.flatMap((k, i) => (k === 0 ? [i] : []));
  let seen = 0;
  while (ready.length > 0) {
    const i = ready.pop()!;
    seen++;
    for (const r of index.services[i]!.rdeps) if (--indegree[r]! === 0) ready.push(r);
  }
  expect(seen, 'a cycle in the compiled graph').to.equal(n);
}

/** Check one tree in process: compileSources, then compileToDir into ROOT/out. */
function checkInProcess(root: string, src: string): { ok: boolean; names: string[] } {
  const out = compileSources([src]);
  expectLocated(out.diagnostics, src);
  const errors = out.diagnostics.filter((d) => d.severity === 'error');
  if (out.index === undefined) expect(errors.length + out.diagnostics.filter((d) => d.omitted?.error).length, 'no db and no error').to.be.greaterThan(0);
  else {
    expect(errors).to.deep.equal([]);
    expect(validateDbIndex(JSON.parse(JSON.stringify(out.index)))).to.equal(undefined);
    expectDag(out.index);
  }
  const target = join(root, 'out');
  const written = compileToDir(target, [src]);
  expectLocated(written.diagnostics, src);
  expect(written.ok).to.equal(out.index !== undefined);
  if (!written.ok) {
    // 1 for source errors; 111 where s6-rc-compile says "unable to read" (a malformed number file).
    expect(compileExitCode(written.diagnostics)).to.be.oneOf([1, 111]);
    expect(existsSync(target), 'a failed compile left its output dir').to.equal(false);
    expect(readdirSync(root), 'a failed compile left something beside the source').to.deep.equal(['src']);
    return { ok: false, names: [] };
  }
  const db = readDb(target);
  expect(db.ok, db.ok ? '' : db.error.message).to.equal(true);
  return { ok: true, names: out.index!.services.map((s) => s.name).sort() };
}

/** How a CLI run picks its target: a fresh dir, one inside the source (usage, 100), or a non-db with --force (usage, 100). */
type TargetMode = 'fresh' | 'inside-source' | 'force-non-db';

function runCli(root: string, src: string, mode: TargetMode): { code: number | null; stderr: string; target: string } {
  const target = mode === 'inside-source' ? join(src, 'compiled') : join(root, 'cli-out');
  if (mode === 'force-non-db') {
    mkdirSync(target);
    writeFileSync(join(target, 'thesis.tex'), 'precious\n');
  }
  const args = mode === 'force-non-db' ? ['compile', '--force', target, src] : ['compile', target, src];
  const r = spawnSync(process.execPath, [rcBin, ...args], { env: childEnv({ NO_COLOR: '1' }), encoding: 'utf8', timeout: 60_000 });
  return { code: r.status, stderr: r.stderr, target };
}

describe('compile: fuzzed source trees', function () {
  this.timeout(120_000);
  let tmp: ReturnType<typeof tempDir>;
  beforeEach(() => (tmp = tempDir('rc-fuzz-')));
  afterEach(() => tmp.cleanup());

  it('in process: never throws; located diagnostics or a valid DAG db; a failure writes nothing', async () => {
    let run = 0;
    const params = fuzzParams(200);
    await assertWithSeed(
      fc.property(fuzzTree, (tree) => {
        const root = join(tmp.path, `t${run++}`);
        const src = writeFuzzTree(join(root, 'src'), tree);
        try {
          checkInProcess(root, src);
        } finally {
          rmSync(root, { recursive: true, force: true });
        }
      }),
      params,
    );
  });

  it('through rc compile: exit 0 with a db, 1 (or 111) with located errors, 100 for a refused target; no stack trace, no output left', async () => {
    let run = 0;
    const params = fuzzParams(12);
    const mode = fc.constantFrom<TargetMode>('fresh', 'fresh', 'inside-source', 'force-non-db');
    await assertWithSeed(
      fc.property(fuzzTree, mode, (tree, how) => {
        const root = join(tmp.path, `c${run++}`);
        const src = writeFuzzTree(join(root, 'src'), tree);
        try {
          const expected = compileSources([src]);
          const r = runCli(root, src, how);
          expect(r.stderr, 'a stack trace').not.to.match(/^\s+at .+\(.*:\d+:\d+\)$/m);
          if (how !== 'fresh') {
            expect(r.code, r.stderr).to.equal(100);
            expect(r.stderr).to.match(/refusing to (write|replace)/);
            expect(existsSync(join(src, 'compiled')), 'wrote into the source').to.equal(false);
            if (how === 'force-non-db') expect(readdirSync(r.target)).to.deep.equal(['thesis.tex']);
          } else if (expected.index === undefined) {
            expect(r.code, r.stderr).to.equal(compileExitCode(expected.diagnostics)).and.be.oneOf([1, 111]);
            expect(r.stderr).to.match(/^\S.*: error: .+$/m);
            expect(existsSync(r.target), 'a failed compile left its output dir').to.equal(false);
          } else {
            expect(r.code, r.stderr).to.equal(0);
            const db = readDb(r.target);
            expect(db.ok).to.equal(true);
          }
        } finally {
          rmSync(root, { recursive: true, force: true });
        }
      }),
      params,
    );
  });
});
