// `rc check [--json] SOURCE...`: every check of `rc compile`, without writing anything.
import type { Command } from 'commander';
import { action, parseUint } from '../run-action.js';

interface CheckCliOptions {
  verbosity: number;
  json?: boolean;
  strict?: boolean;
}

export function registerCheck(program: Command): void {
  program
    .command('check')
    .description('check source directories as rc compile does, reporting every problem, without writing a database')
    .argument('<source...>', 'source directories (one subdirectory per service), processed in this order')
    .option('-v, --verbosity <n>', '0: errors only, 1: errors and warnings (default), 2: also info lines', parseUint('-v'), 1)
    .option('--json', 'print {ok, exitCode, services, bundles, diagnostics} as JSON on stdout')
    .option('--strict', 'treat warnings (misspelled or misplaced files, ...) as errors: exit 1')
    .addHelpText(
      'after',
      `
Files s6-rc ignores are ignored, but a name that looks like a typo of a known file
(dependancies.d, notification_fd) or a file the service's type ignores (a run in a oneshot
whose up does not call it, readiness files on a oneshot) is a warning; --strict makes it an error.

Exit codes: 0 valid (warnings allowed unless --strict), 1 errors in the sources, 100 usage, 111 system error.

Examples:
  rc check /etc/rc/source
  rc check --strict /etc/rc/source
  rc check --json source-db/s6-overlay-example/s6-rc.d source-db/s6-overlay-example/user-bundles.d source-db/s6-overlay-example/overlay`,
    )
    .action(
      action(async (sources: string[], opts: CheckCliOptions) => {
        const { runCheck } = await import('./compile-run.js');
        return runCheck(sources, opts);
      }),
    );
}
