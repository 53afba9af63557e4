// Property tests: random trees, valid and broken. No exception escapes; the result is a db or located diagnostics.
import { expect } from 'chai';
import fc from 'fast-check';
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { compileSources, compileToDir } from '../../../lib/compile/index.js';
import { readDb } from '../../../lib/db/read.js';
import { validateDbIndex } from '../../../lib/db/validate.js';
import { tempDir } from '../../helpers/paths.js';
import { writeTree, type TreeSpec } from './tree.js';

const NAMES = ['a', 'b', 'c', 'db', 'app', '00', '_x', 'pihole-FTL', 'with space', 's6rc-x', 'b2'];
const name = fc.constantFrom(...NAMES);
const junk = fc.string({ unit: fc.constantFrom('a', '1', ' ', '\n', '\t', '"', '\\', '{', '}', '#', '\0', '\r', 'é', 'x'), maxLength: 24 });
const listText = fc.array(fc.oneof(name, junk), { maxLength: 4 }).map((xs) => xs.join('\n'));
const typeText = fc.oneof(fc.constantFrom('oneshot\n', 'longrun\n', 'bundle\n', 'longrun', 'bundle '), junk);
const numText = fc.oneof(fc.nat({ max: 70000 }).map(String), junk);

/** Optional files a definition may carry, valid-looking or not. */
const FILES: Record<string, fc.Arbitrary<string | null>> = {
  up: fc.oneof(fc.constant('true\n'), junk),
  down: junk,
  run: fc.constant('#!/bin/sh\n'),
  finish: junk,
  dependencies: listText,
  'dependencies.d/': fc.constant(null),
  contents: listText,
  'timeout-up': numText,
  'timeout-down': numText,
  'notification-fd': numText,
  'lock-fd': numText,
  'timeout-kill': numText,
  'max-death-tally': numText,
  'down-signal': fc.oneof(fc.constantFrom('TERM', 'HUP\n', '9'), junk),
  'producer-for': listText,
  'consumer-for': listText,
  'pipeline-name': listText,
  'flag-essential': junk,
  data: fc.oneof(fc.constant(null), junk),
  'env/': fc.constant(null),
  'ready-tcp': fc.oneof(fc.constant('127.0.0.1:80'), junk),
  'ready-cmd': junk,
  'restart-delay': numText,
};

const definition = fc.record({
  name,
  type: fc.option(typeText, { nil: undefined }),
  files: fc.dictionary(fc.constantFrom(...Object.keys(FILES)), fc.constant(0), { maxKeys: 8 }).chain((keys) =>
    fc.record(Object.fromEntries(Object.keys(keys).map((k) => [k, FILES[k]!]))),
  ),
  deps: fc.array(name, { maxLength: 3 }),
});

interface Def {
  name: string;
  type?: string;
  files: Record<string, string | null>;
  deps: string[];
}

function toSpec(defs: Def[]): TreeSpec {
  const spec: TreeSpec = {};
  for (const d of defs) {
    spec[`${d.name}/`] = null;
    if (d.type !== undefined) spec[`${d.name}/type`] = d.type;
    for (const [file, content] of Object.entries(d.files)) spec[`${d.name}/${file}`] = content;
    if (d.files['dependencies.d/'] !== undefined) for (const dep of d.deps) spec[`${d.name}/dependencies.d/${dep}`] = '';
  }
  return spec;
}

describe('compile: property tests over random trees', function () {
  this.timeout(60_000);
  let tmp: ReturnType<typeof tempDir>;
  beforeEach(() => (tmp = tempDir()));
  afterEach(() => tmp.cleanup());

  it('never throws; yields either a valid db or located diagnostics', () => {
    let run = 0;
    fc.assert(
      fc.property(fc.array(definition, { maxLength: 7 }), (defs: Def[]) => {
        const root = join(tmp.path, `t${run++}`);
        const src = writeTree(join(root, 'src'), toSpec(defs));
        const out = compileSources([src]);
        for (const d of out.diagnostics) {
          expect(d.file.startsWith(src), d.file).to.equal(true);
          expect(d.message).to.be.a('string').and.not.equal('');
          if (d.line !== undefined) expect(d.line).to.be.greaterThan(0);
        }
        const errors = out.diagnostics.filter((d) => d.severity === 'error');
        if (out.index === undefined) {
          expect(errors).not.to.deep.equal([]);
        } else {
          expect(errors).to.deep.equal([]);
          expect(validateDbIndex(JSON.parse(JSON.stringify(out.index)))).to.equal(undefined);
          const written = compileToDir(join(root, 'compiled'), [src]);
          expect(written.ok, JSON.stringify(written.diagnostics)).to.equal(true);
          expect(readDb(join(root, 'compiled')).ok).to.equal(true);
        }
        rmSync(root, { recursive: true, force: true });
      }),
      { numRuns: 80 },
    );
  });

  it('compiles every valid random DAG, with exactly the declared dependencies', () => {
    let run = 0;
    const dag = fc.integer({ min: 1, max: 12 }).chain((n) =>
      fc.tuple(
        fc.array(fc.constantFrom('oneshot', 'longrun'), { minLength: n, maxLength: n }),
        fc.array(fc.array(fc.nat(), { maxLength: 3 }), { minLength: n, maxLength: n }),
      ),
    );
    fc.assert(
      fc.property(dag, ([types, rawDeps]) => {
        const spec: TreeSpec = {};
        const declared = rawDeps.map((ds, i) => (i === 0 ? [] : [...new Set(ds.map((d) => d % i))]));
        types.forEach((t, i) => {
          const n = `s${String(i).padStart(2, '0')}`;
          spec[`${n}/type`] = `${t}\n`;
          spec[`${n}/${t === 'oneshot' ? 'up' : 'run'}`] = 'true\n';
          spec[`${n}/dependencies`] = declared[i]!.map((d) => `s${String(d).padStart(2, '0')}`).join('\n');
        });
        const src = writeTree(join(tmp.path, `d${run++}`), spec);
        const out = compileSources([src]);
        expect(out.diagnostics).to.deep.equal([]);
        out.index!.services.forEach((s, i) => expect(s.deps).to.deep.equal([...declared[i]!].sort((a, b) => a - b)));
      }),
      { numRuns: 60 },
    );
  });
});
