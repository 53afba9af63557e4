// `rc export --format compose|kubernetes --image IMAGE [-c COMPILED] [--target NAME...]`: the graph for another engine, YAML on stdout.
import { Option, type Command } from 'commander';
import { DEFAULT_COMPILED } from '../../lib/core/index.js';
import { action } from '../run-action.js';
import type { ExportCliOptions } from './export-run.js';

export function registerExport(program: Command): void {
  program
    .command('export')
    .description('print the compiled service graph as a docker compose file or a Kubernetes Deployment (YAML on stdout)')
    .addOption(new Option('--format <format>', 'the engine').choices(['compose', 'kubernetes']).makeOptionMandatory())
    .requiredOption('--image <image>', 'the image every container runs (it holds rc and the compiled db, as in examples/Dockerfile)')
    .option('-c, --compiled <dir>', 'the compiled database', DEFAULT_COMPILED)
    .option('--target <names...>', 'export these services/bundles and what they depend on (default: the bundle default, else everything)')
    .option('--name <name>', 'the compose project / Deployment name (lowercase letters, digits, -)', 'rc')
    .option('--image-compiled <dir>', 'where the compiled database is inside the image (rc run -c)', DEFAULT_COMPILED)
    .option('--strict', 'what cannot be exported is an error (exit 1, nothing printed on stdout)')
    .addHelpText(
      'after',
      `
Every service becomes a container running \`rc run NAME\` from --image; a readiness check
(ready-*, notification-fd) becomes a health check or probe running \`rc probe NAME\` (Kubernetes:
tcpSocket/httpGet for ready-tcp/ready-http). The first target runs by default; a further target
bundle becomes a compose profile. What cannot be exported (a oneshot's down script, log
consumers, runtime bundle switching, shutdown order across containers, parallel oneshots in a
Pod) is reported on stderr, one located warning per item. docs/export.md has the whole mapping.

Exit codes: 0 ok (warnings allowed unless --strict), 1 something cannot be exported (--strict),
3 unknown name, 4 invalid database, 100 usage, 111 system error.

Examples:
  rc export --format compose --image rc-demo > compose.yaml
  rc export --format kubernetes --image registry.example/rc-demo:1 --name demo | kubectl apply -f -
  rc export --format compose -c ./compiled --image app --target default maintenance`,
    )
    .action(
      action(async (opts: ExportCliOptions) => {
        const { runExport } = await import('./export-run.js');
        return runExport(opts);
      }),
    );
}
