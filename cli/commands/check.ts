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
        const { compileSources, compileExitCode } = await import('../../lib/compile/index.js');
        const out = await import('./print-diagnostics.js');
        const result = compileSources(sources);
        const code = compileExitCode(result.diagnostics);
        const services = result.index?.services.length ?? 0;
        const bundles = result.index?.bundles.length ?? 0;
        if (opts.json) {
          await out.write(process.stdout, out.diagnosticsJson(result.diagnostics, { ok: code === 0, exitCode: code, services, bundles }));
          return code;
        }
        await out.write(process.stderr, out.renderDiagnostics(result.diagnostics, opts.verbosity, out.wantColor(process.stderr)));
        if (code !== 0) {
          await out.write(process.stderr, `rc check: ${out.countLine(result.diagnostics, opts.verbosity)}\n`);
        } else {
          const oneshots = result.index!.services.filter((s) => s.type === 'oneshot').length;
          const n = (k: number, w: string) => `${k} ${w}${k === 1 ? '' : 's'}`;
          const what = `${n(services, 'service')} (${n(oneshots, 'oneshot')}, ${n(services - oneshots, 'longrun')}) and ${n(bundles, 'bundle')}`;
          await out.write(process.stdout, `ok: ${what}\n`);
        }
        return code;
      }),
    );
}
