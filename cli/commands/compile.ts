// `rc compile [-v N] [--force] [--json] COMPILED SOURCE...`: s6-rc-compile's job, reporting every problem at once.
import type { Command } from 'commander';
import { action, parseUint } from '../run-action.js';

interface CompileCliOptions {
  verbosity: number;
  force?: boolean;
  json?: boolean;
  strict?: boolean;
}

export function registerCompile(program: Command): void {
  program
    .command('compile')
    .description('check source directories and write a compiled database (s6-rc-compile compatible; every problem is reported at once)')
    .argument('<compiled>', 'the database directory to create; it must not exist unless --force')
    .argument('<source...>', 'source directories (one subdirectory per service), processed in this order')
    .option('-v, --verbosity <n>', '0: errors only, 1: errors and warnings (default), 2: also info lines', parseUint('-v'), 1)
    .option('--force', 'replace an existing compiled database atomically')
    .option('--json', 'print {ok, exitCode, diagnostics} as JSON on stdout instead of text on stderr')
    .option('--strict', 'treat warnings (misspelled or misplaced files, ...) as errors: exit 1, nothing written')
    .addHelpText(
      'after',
      `
Nothing is written unless the whole tree is valid; the database is built beside COMPILED and
renamed into place.

Misspelled file names (dependancies.d, notification_fd) and files the service's type ignores
are warnings; --strict makes them errors.

Exit codes: 0 ok (warnings allowed unless --strict), 1 errors in the sources, 100 usage,
111 system error (unreadable or missing mandatory file, COMPILED exists, I/O).

Examples:
  rc compile /etc/rc/compiled /etc/rc/source
  rc compile --force /etc/rc/compiled /etc/s6-overlay/s6-rc.d /etc/s6-overlay/user-bundles.d
  rc compile ./compiled source-db/s6-overlay-example/s6-rc.d source-db/s6-overlay-example/user-bundles.d source-db/s6-overlay-example/overlay`,
    )
    .action(
      action(async (compiled: string, sources: string[], opts: CompileCliOptions) => {
        // Imported here, not at the top: keeps start-up of every other command lean.
        const { runCompile } = await import('./compile-run.js');
        return runCompile(compiled, sources, opts);
      }),
    );
}
