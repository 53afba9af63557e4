// `rc check [--json] SOURCE...`: every check of `rc compile`, without writing anything.
import type { Command } from 'commander';
import { action, parseUint } from '../run-action.js';

interface CheckCliOptions {
  verbosity: number;
  json?: boolean;
}

export function registerCheck(program: Command): void {
  program
    .command('check')
    .description('check source directories as rc compile does, reporting every problem, without writing a database')
    .argument('<source...>', 'source directories (one subdirectory per service), processed in this order')
    .option('-v, --verbosity <n>', '0: errors only, 1: errors and warnings (default), 2: also info lines', parseUint('-v'), 1)
    .option('--json', 'print {ok, exitCode, services, bundles, diagnostics} as JSON on stdout')
    .addHelpText(
      'after',
      `
Exit codes: 0 valid (warnings allowed), 1 errors in the sources, 100 usage, 111 system error.

Examples:
  rc check /etc/rc/source
  rc check --json source-db/s6-overlay-example/s6-rc.d source-db/s6-overlay-example/user-bundles.d`,
    )
    .action(
      action(async (sources: string[], opts: CheckCliOptions) => {
        const { runCheck } = await import('./compile-run.js');
        return runCheck(sources, opts);
      }),
    );
}
