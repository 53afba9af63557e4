// `rc db [-c COMPILED] SUBCOMMAND`: questions about a compiled database (like s6-rc-db), each with --json.
import { Argument, type Command } from 'commander';
import { DEFAULT_COMPILED } from '../../lib/core/index.js';
import { action } from '../run-action.js';
import type { DbCliOptions } from './db-run.js';

type Run = (cmd: Command, args: string[], opts: Record<string, unknown>) => Promise<number>;

/** A subcommand with -c and --json; `moreCodes` lists its own exit codes (e.g. "1 not in a pipeline, "). */
function add(db: Command, name: string, description: string, example: string, moreCodes = ''): Command {
  return db
    .command(name)
    .description(description)
    .option('-c, --compiled <dir>', `the compiled database (default: ${DEFAULT_COMPILED})`)
    .option('--json', 'print the answer as JSON')
    .addHelpText('after', `\nExit codes: 0 ok, ${moreCodes}3 unknown name, 4 invalid database, 100 usage, 111 system error.\n\nExample:\n  ${example}`);
}

/** Merge `rc db -c X sub` and `rc db sub -c X` (the subcommand's value wins), then run lazily. */
function run(which: string): (...a: unknown[]) => Promise<void> {
  const go: Run = async (cmd, args, opts) => {
    const parent = cmd.parent!.opts<{ compiled: string; json?: boolean }>();
    const merged: DbCliOptions = { ...opts, compiled: (opts.compiled as string | undefined) ?? parent.compiled, json: opts.json === true || parent.json === true };
    const { runDbCommand } = await import('./db-run.js');
    return runDbCommand(which, args, merged);
  };
  return action(async (...a: unknown[]) => {
    const cmd = a[a.length - 1] as Command;
    const opts = a[a.length - 2] as Record<string, unknown>;
    const args = a.slice(0, -2).flatMap((x) => (Array.isArray(x) ? (x as string[]) : [x as string]));
    return go(cmd, args, opts);
  });
}

export function registerDb(program: Command): void {
  const db = program
    .command('db')
    .description('query a compiled database: names, types, dependencies, bundles, pipelines, scripts, flags, timeouts')
    .option('-c, --compiled <dir>', 'the compiled database', DEFAULT_COMPILED)
    .option('--json', 'print answers as JSON')
    .addHelpText('after', `\nExamples:\n  rc db list longruns\n  rc db -c ./compiled deps --all nginx\n  rc db script --down init-db`);
  add(db, 'list', 'list names of one kind, in database order', 'rc db list bundles')
    .addArgument(new Argument('<what>', 'which names').choices(['all', 'services', 'oneshots', 'longruns', 'bundles']))
    .action(run('list'));
  add(db, 'type', 'print the type of a name: oneshot, longrun or bundle', 'rc db type nginx').argument('<name>', 'a service or bundle').action(run('type'));
  add(db, 'deps', 'print the dependencies of services (bundles stand for their members)', 'rc db deps --reverse --all postgres')
    .argument('<names...>', 'services or bundles')
    .option('--reverse', 'print the services that depend on them instead')
    .option('--all', 'transitively, not only direct ones')
    .addHelpText('after', `
A direct edge whose dependencies.d entry holds a condition other than ready is followed by it:
"db (healthy)". JSON: [{"name", "condition"}], condition null for services reached only through --all.`)
    .action(run('deps'));
  add(db, 'contents', 'print the atomic members of a bundle (flattened)', 'rc db contents user').argument('<bundle>', 'a bundle name').action(run('contents'));
  add(db, 'pipeline', 'print the pipeline (producer -> consumer links) a longrun or pipeline bundle belongs to', 'rc db pipeline nginx-log', '1 the service is in no pipeline, ')
    .argument('<name>', 'a longrun in a pipeline, or a pipeline-name bundle')
    .action(run('pipeline'));
  add(db, 'script', "print a oneshot's lexed up (or down) command line, shell-quoted", 'rc db script --down init-db')
    .argument('<oneshot>', 'a oneshot name')
    .option('--down', 'the down script instead of up')
    .action(run('script'));
  add(db, 'flags', 'print the flags of a service or bundle (essential)', 'rc db flags php-fpm').argument('<name>', 'a service or bundle').action(run('flags'));
  add(db, 'timeout', 'print the up (or down) timeout of an atomic service in ms (0 = none)', 'rc db timeout --down postgres')
    .argument('<name>', 'an atomic service')
    .option('--down', 'the down timeout instead of up')
    .action(run('timeout'));
}
