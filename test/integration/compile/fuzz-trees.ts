// fast-check arbitraries for hostile s6-rc source trees: every service type, cycles, missing names, junk list files, pipelines.
import fc from 'fast-check';
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';

/** Relative path → content (a Buffer for raw bytes; null = a directory). */
export type FuzzTree = Record<string, string | Buffer | null>;

/** Names that get definitions (most of the time), and names that never do. */
const DEFINED = ['a', 'b', 'c', 'db', 'app', 'log-x', 'b2', 'pihole-FTL'];
const MISSING = ['ghost', 'nope', 'zz'];
const BAD_NAMES = ['', '.', '..', 'with space', 'x\0y', 'é', 's6rc-oneshot-runner', '-dash', 'a/b', 'tab\tname'];

const ref = fc.oneof({ weight: 6, arbitrary: fc.constantFrom(...DEFINED) }, { weight: 2, arbitrary: fc.constantFrom(...MISSING) }, { weight: 1, arbitrary: fc.constantFrom(...BAD_NAMES) });

/** Junk text: control characters, NULs, quotes, braces, non-ASCII. */
const junkChar = fc.constantFrom('a', 'Z', '1', ' ', '\n', '\t', '\r', '"', '\\', '{', '}', '#', '\0', '\x01', '\x7f', 'é', '字', '/', '.', '-');
const junk = fc.string({ unit: junkChar, maxLength: 40 });
const longLine = fc.integer({ min: 2_000, max: 70_000 }).map((n) => 'x'.repeat(n));
const bytes = fc.uint8Array({ maxLength: 300 }).map((b) => Buffer.from(b));

/** The lines of a list file (dependencies, contents, producer-for, ...): names, comments, blanks and junk. */
const listLine = fc.oneof(
  { weight: 8, arbitrary: ref },
  { weight: 1, arbitrary: ref.map((n) => `  ${n}  `) },
  { weight: 1, arbitrary: fc.constant('# a comment') },
  { weight: 1, arbitrary: fc.constant('') },
  { weight: 2, arbitrary: junk },
  { weight: 1, arbitrary: longLine },
);
const listFile: fc.Arbitrary<string | Buffer> = fc.oneof(
  { weight: 10, arbitrary: fc.array(listLine, { maxLength: 5 }).map((ls) => ls.join('\n') + '\n') },
  { weight: 1, arbitrary: bytes },
  { weight: 1, arbitrary: fc.integer({ min: 1, max: 20_000 }).map((n) => '\0'.repeat(n)) },
);

/** Numbers as s6-rc reads them, valid and not. */
const numberFile = fc.oneof(
  { weight: 5, arbitrary: fc.nat({ max: 100_000 }).map((n) => `${n}\n`) },
  { weight: 1, arbitrary: fc.constantFrom('-1\n', '4294967296\n', '99999999999999999999\n', '1e3\n', '0x10\n', ' 7 \n', '\n', '') },
  { weight: 1, arbitrary: junk },
);

/** An execline-ish script: valid commands, unbalanced braces, junk. */
const script = fc.oneof(
  { weight: 4, arbitrary: fc.constantFrom('true\n', 'echo hello\n', 'if { true } echo ok\n', 'foreground { sleep 0 } true\n', 'sh -c "exit 0"\n') },
  { weight: 1, arbitrary: fc.constantFrom('if { true\n', '}\n', '"unterminated\n', '\\\n', '') },
  { weight: 1, arbitrary: junk },
  { weight: 1, arbitrary: longLine },
);

const withDeps = fc.record(
  {
    deps: fc.oneof(fc.constant({ kind: 'file' as const }), fc.record({ kind: fc.constant('dir' as const), names: fc.array(ref, { maxLength: 4 }) })),
    list: listFile,
    'timeout-up': numberFile,
    'timeout-down': numberFile,
    'flag-essential': fc.oneof(fc.constant(''), junk),
  },
  { requiredKeys: [] },
);

const oneshotDef = fc.record({ type: fc.constant('oneshot'), up: script, down: fc.option(script, { nil: undefined }), common: withDeps });
const longrunDef = fc.record({
  type: fc.constant('longrun'),
  run: fc.oneof(fc.constant('#!/bin/sh\nexec sleep 100\n'), junk),
  finish: fc.option(fc.oneof(fc.constant('#!/bin/sh\n'), junk), { nil: undefined }),
  extra: fc.record(
    {
      'notification-fd': numberFile,
      'lock-fd': numberFile,
      'timeout-kill': numberFile,
      'timeout-finish': numberFile,
      'max-death-tally': numberFile,
      'restart-delay': numberFile,
      'down-signal': fc.oneof(fc.constantFrom('TERM\n', 'SIGHUP\n', '9\n', 'NOPE\n', ''), junk),
      'producer-for': listFile,
      'consumer-for': listFile,
      'pipeline-name': fc.oneof(ref.map((n) => `${n}\n`), junk),
      'ready-tcp': fc.oneof(fc.constantFrom('127.0.0.1:80\n', 'localhost:99999\n', ':\n'), junk),
    },
    { requiredKeys: [] },
  ),
  common: withDeps,
});
const bundleDef = fc.record({
  type: fc.constant('bundle'),
  contents: fc.oneof(fc.record({ kind: fc.constant('file' as const), list: listFile }), fc.record({ kind: fc.constant('dir' as const), names: fc.array(ref, { maxLength: 4 }) })),
  essential: fc.boolean(),
});
const oddDef = fc.record({ type: fc.oneof(fc.constantFrom('', 'longrun ', 'Oneshot\n', 'bundle\nbundle\n', 'service\n'), junk, bytes) });

type Def = { name: string; def: { type: string | Buffer } & Record<string, unknown> };

/** One service definition of a random type (sometimes an invalid type), under a random name. */
const service: fc.Arbitrary<Def> = fc.record({
  name: fc.oneof({ weight: 9, arbitrary: fc.constantFrom(...DEFINED) }, { weight: 1, arbitrary: fc.constantFrom('with space', '.hidden', 'é', 'x-y_z.1') }),
  def: fc.oneof({ weight: 4, arbitrary: oneshotDef }, { weight: 4, arbitrary: longrunDef }, { weight: 2, arbitrary: bundleDef }, { weight: 1, arbitrary: oddDef }),
});

/** A hostile tree (services keyed by name: a repeated name keeps the last). */
const hostileTree: fc.Arbitrary<FuzzTree> = fc.array(service, { minLength: 1, maxLength: 8 }).map((defs) => {
  const tree: FuzzTree = {};
  for (const { name, def } of defs) Object.assign(tree, files(name, def));
  return tree;
});

/**
 * A mostly well-formed tree: oneshots, longruns and bundles over defined names, dependencies on
 * earlier services (now and then a later one: a possible cycle), sometimes a pipeline of longruns.
 */
const wellFormedTree: fc.Arbitrary<FuzzTree> = fc.integer({ min: 1, max: 10 }).chain((n) =>
  fc.record({
    types: fc.array(fc.constantFrom('oneshot', 'longrun', 'longrun', 'bundle'), { minLength: n, maxLength: n }),
    deps: fc.array(fc.array(fc.oneof({ weight: 15, arbitrary: fc.nat({ max: n - 1 }) }, { weight: 1, arbitrary: fc.constant(-1) }), { maxLength: 3 }), { minLength: n, maxLength: n }),
    timeouts: fc.array(fc.option(fc.nat({ max: 60_000 }), { nil: undefined }), { minLength: n, maxLength: n }),
    pipeline: fc.option(fc.integer({ min: 2, max: 4 }), { nil: undefined }),
    backEdge: fc.oneof({ weight: 3, arbitrary: fc.constant(undefined) }, { weight: 1, arbitrary: fc.tuple(fc.nat({ max: n - 1 }), fc.nat({ max: n - 1 })) }),
  }).map(({ types, deps, timeouts, pipeline, backEdge }) => {
    const name = (i: number) => `s${i}`;
    const tree: FuzzTree = {};
    types.forEach((type, i) => {
      // Only earlier services (a DAG); -1 names nothing (a missing name).
      const targets = [...new Set(deps[i]!.filter((d) => d < i))].map((d) => (d >= 0 ? name(d) : `missing${i}`));
      if (backEdge && backEdge[0] === i) targets.push(name(backEdge[1]));
      tree[`${name(i)}/type`] = `${type}\n`;
      if (type === 'bundle') tree[`${name(i)}/contents`] = targets.map((t) => `${t}\n`).join('');
      else {
        tree[type === 'oneshot' ? `${name(i)}/up` : `${name(i)}/run`] = type === 'oneshot' ? 'true\n' : '#!/bin/sh\nexec sleep 100\n';
        if (targets.length > 0) tree[`${name(i)}/dependencies`] = targets.map((t) => `${t}\n`).join('');
        if (timeouts[i] !== undefined) tree[`${name(i)}/timeout-up`] = `${timeouts[i]}\n`;
      }
    });
    if (pipeline) {
      const members = Array.from({ length: pipeline }, (_, k) => `p${k}`);
      members.forEach((m, k) => {
        tree[`${m}/type`] = 'longrun\n';
        tree[`${m}/run`] = '#!/bin/sh\nexec cat\n';
        if (k + 1 < members.length) tree[`${m}/producer-for`] = `${members[k + 1]}\n`;
        if (k > 0) tree[`${m}/consumer-for`] = `${members[k - 1]}\n`;
      });
      tree[`${members.at(-1)}/pipeline-name`] = 'pipe\n';
    }
    return tree;
  }),
);

/** A source tree: hostile or mostly well-formed (so both failures and compiled dbs are checked). */
export const fuzzTree: fc.Arbitrary<FuzzTree> = fc.oneof(hostileTree, wellFormedTree);

/** Can `n` be a file name in a `.d/` directory? */
const entryName = (n: string): boolean => n !== '' && n !== '.' && n !== '..' && !n.includes('/') && !n.includes('\0');

function depsFiles(dir: string, common: Record<string, unknown>): FuzzTree {
  const out: FuzzTree = {};
  const deps = common['deps'] as { kind: 'file' } | { kind: 'dir'; names: string[] } | undefined;
  if (deps?.kind === 'file' && common['list'] !== undefined) out[`${dir}/dependencies`] = common['list'] as string | Buffer;
  if (deps?.kind === 'dir') {
    out[`${dir}/dependencies.d/`] = null;
    for (const n of deps.names) if (entryName(n)) out[`${dir}/dependencies.d/${n}`] = '';
  }
  for (const key of ['timeout-up', 'timeout-down', 'flag-essential']) if (common[key] !== undefined) out[`${dir}/${key}`] = common[key] as string;
  return out;
}

function files(name: string, def: Def['def']): FuzzTree {
  const out: FuzzTree = { [`${name}/`]: null, [`${name}/type`]: typeof def.type === 'string' && !Buffer.isBuffer(def.type) && ['oneshot', 'longrun', 'bundle'].includes(def.type) ? `${def.type}\n` : def.type };
  if (def.type === 'oneshot') {
    out[`${name}/up`] = def['up'] as string;
    if (def['down'] !== undefined) out[`${name}/down`] = def['down'] as string;
  }
  if (def.type === 'longrun') {
    out[`${name}/run`] = def['run'] as string;
    if (def['finish'] !== undefined) out[`${name}/finish`] = def['finish'] as string;
    for (const [k, v] of Object.entries(def['extra'] as Record<string, string | Buffer>)) out[`${name}/${k}`] = v;
  }
  if (def.type === 'oneshot' || def.type === 'longrun') Object.assign(out, depsFiles(name, def['common'] as Record<string, unknown>));
  if (def.type === 'bundle') {
    const c = def['contents'] as { kind: 'file'; list: string | Buffer } | { kind: 'dir'; names: string[] };
    if (c.kind === 'file') out[`${name}/contents`] = c.list;
    else {
      out[`${name}/contents.d/`] = null;
      for (const n of c.names) if (entryName(n)) out[`${name}/contents.d/${n}`] = '';
    }
    if (def['essential']) out[`${name}/flag-essential`] = '';
  }
  return out;
}

/** Write `tree` under `root` (created). */
export function writeFuzzTree(root: string, tree: FuzzTree): string {
  mkdirSync(root, { recursive: true });
  for (const [rel, content] of Object.entries(tree)) {
    const path = join(root, rel);
    if (content === null) mkdirSync(path, { recursive: true });
    else {
      mkdirSync(dirname(path), { recursive: true });
      writeFileSync(path, content);
    }
  }
  return root;
}

/** Runs and seed from the environment: RC_FUZZ_RUNS scales, RC_FUZZ_SEED reproduces a failure. */
export function fuzzParams(defaultRuns: number): { numRuns: number; seed: number } {
  const runs = Number(process.env['RC_FUZZ_RUNS']);
  const seed = Number(process.env['RC_FUZZ_SEED']);
  return {
    numRuns: Number.isInteger(runs) && runs > 0 ? runs : defaultRuns,
    seed: Number.isInteger(seed) ? seed : (Date.now() ^ (Math.random() * 0x7fffffff)) | 0,
  };
}

/** fc.assert with the seed named in the failure (rerun with RC_FUZZ_SEED=N). */
export async function assertWithSeed<T>(property: fc.IProperty<T> | fc.IAsyncProperty<T>, params: { numRuns: number; seed: number }): Promise<void> {
  try {
    await fc.assert(property as fc.IAsyncProperty<T>, params);
  } catch (e) {
    (e as Error).message = `fuzz failure; reproduce with RC_FUZZ_SEED=${params.seed} RC_FUZZ_RUNS=${params.numRuns}\n${(e as Error).message}`;
    throw e;
  }
}
