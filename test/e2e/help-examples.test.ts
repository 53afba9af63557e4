// Every example line in the --help of the build-time commands (check, compile, db and its subcommands, graph,
// and the top-level help's lines for those commands) runs as written from the repository root and exits 0.
//
// Which lines run (a simple rule, no per-line list):
//   - the line is `rc CMD ...` with CMD one of check, compile, db, graph (the others need a daemon);
//   - no shell syntax (| > < $ ` ; & quotes or parentheses): those need a shell and other programs (dot, jq);
//   - no absolute path argument (/etc/rc/..., /etc/s6-overlay/...): system paths this repo does not have.
// What is substituted, so that nothing is written in the checkout:
//   - compile's COMPILED (its first argument) becomes a fresh folder in a temp dir;
//   - `./compiled` elsewhere (rc db -c ./compiled, rc graph -c ./compiled) becomes a database compiled from
//     source-db/s6-overlay-example (s6-rc.d, user-bundles.d, overlay), the tree the examples' names come from;
//   - a db or graph line without -c queries the default /etc/rc/compiled: the same temp database is passed
//     with -c instead (as if the example were installed there).
import { expect } from 'chai';
import { join } from 'node:path';
import { runRc } from './harness.js';
import { rcBin, sourceDbDir, tempDir } from '../helpers/paths.js';

const BUILD_TIME = new Set(['check', 'compile', 'db', 'graph']);
const DB_SUBCOMMANDS = ['list', 'type', 'deps', 'contents', 'pipeline', 'script', 'flags', 'timeout'];
const SHELL_SYNTAX = /[|<>$`;&'"()]/;
const env = { NO_COLOR: '1' };

/** The lines of every "Example:" / "Examples:" block of a help text, without trailing `# comments`. */
function exampleLines(help: string): string[] {
  const out: string[] = [];
  let inBlock = false;
  for (const line of help.split('\n')) {
    if (/^Examples?:\s*$/.test(line)) inBlock = true;
    else if (inBlock && /^ {2}\S/.test(line)) out.push(line.replace(/\s+#.*$/, '').trim());
    else inBlock = false;
  }
  return out.filter((l) => l !== '' && !l.startsWith('#'));
}

/** The rule above: the argv (after `rc`) of a runnable example, or undefined to skip it. */
function runnable(line: string): string[] | undefined {
  if (SHELL_SYNTAX.test(line)) return undefined;
  const words = line.split(/\s+/);
  if (words[0] !== 'rc' || !BUILD_TIME.has(words[1]!)) return undefined;
  if (words.some((w) => w.startsWith('/'))) return undefined;
  return words.slice(1);
}

/** Apply the substitutions above. */
function substitute(args: string[], db: string, freshOut: () => string): string[] {
  const [cmd, ...rest] = args;
  if (cmd === 'compile') {
    const i = rest.findIndex((w, k) => !w.startsWith('-') && !['-v', '--verbosity'].includes(rest[k - 1] ?? ''));
    if (i >= 0) rest[i] = freshOut();
    return [cmd, ...rest];
  }
  const swapped = rest.map((w) => (w === './compiled' ? db : w));
  if ((cmd === 'db' || cmd === 'graph') && !swapped.some((w) => w === '-c' || w.startsWith('--compiled'))) swapped.unshift('-c', db);
  return [cmd!, ...swapped];
}

describe('e2e: the --help examples of the build-time commands run', function () {
  this.timeout(20_000);
  let tmp: ReturnType<typeof tempDir>;
  let db: string;
  let outs = 0;
  const freshOut = () => join(tmp.path, `out-${++outs}`);

  before(async () => {
    tmp = tempDir();
    db = join(tmp.path, 'compiled');
    const example = join(sourceDbDir, 's6-overlay-example');
    const r = await runRc(rcBin, ['compile', db, ...['s6-rc.d', 'user-bundles.d', 'overlay'].map((s) => join(example, s))], env);
    expect(r.code, r.stderr).to.equal(0);
  });
  after(() => tmp.cleanup());

  const pages: string[][] = [[], ['check'], ['compile'], ['db'], ...DB_SUBCOMMANDS.map((s) => ['db', s]), ['graph']];
  for (const page of pages) {
    it(`rc ${[...page, '--help'].join(' ')}`, async () => {
      const help = await runRc(rcBin, [...page, '--help'], env);
      expect(help.code, help.stderr).to.equal(0);
      const lines = exampleLines(help.stdout);
      expect(lines.length, 'the page has examples').to.be.greaterThan(0);
      const runs = lines.flatMap((line) => {
        const args = runnable(line);
        return args ? [{ line, args: substitute(args, db, freshOut) }] : [];
      });
      // Only the top-level page (whose build-time lines use /etc/rc) may have none to run.
      if (page.length > 0) expect(runs.length, `runnable examples in:\n${lines.join('\n')}`).to.be.greaterThan(0);
      const results = await Promise.all(runs.map(async (x) => ({ ...x, r: await runRc(rcBin, x.args, env) })));
      const failed = results.filter((x) => x.r.code !== 0).map((x) => `${x.line}\n  ran: rc ${x.args.join(' ')}\n  exit ${x.r.code}: ${(x.r.stderr || x.r.stdout).trim().slice(0, 800)}`);
      expect(failed, failed.join('\n')).to.deep.equal([]);
    });
  }
});
