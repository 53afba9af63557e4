// `rc graph [-c COMPILED] [--format dot|mermaid|json] [NAME...]`: draw the dependency graph of a compiled db.
import { Option, type Command } from 'commander';
import { DEFAULT_COMPILED } from '../../lib/core/index.js';
import { action } from '../run-action.js';

interface GraphCliOptions {
  compiled: string;
  format: 'dot' | 'mermaid' | 'json';
}

export function registerGraph(program: Command): void {
  program
    .command('graph')
    .description('print the dependency graph (arrows point from a service to what it depends on); bundles are drawn as clusters')
    .argument('[names...]', 'draw only these services/bundles and their dependencies (default: everything)')
    .option('-c, --compiled <dir>', 'the compiled database', DEFAULT_COMPILED)
    .addOption(new Option('--format <format>', 'output format').choices(['dot', 'mermaid', 'json']).default('dot'))
    .addHelpText(
      'after',
      `
Oneshots are boxes, longruns are ellipses (rounded in Mermaid), essential services are bold;
a producer -> consumer pipe is dashed. An edge whose dependencies.d entry holds a condition
(started, healthy) is dotted and labelled with it (JSON: a condition field on that edge).
A service in several bundles is drawn in the smallest.

Exit codes: 0 ok, 3 unknown name, 4 invalid database, 100 usage, 111 system error.

Examples:
  rc graph -c /etc/rc/compiled | dot -Tsvg > services.svg
  rc graph --format mermaid nginx`,
    )
    .action(
      action(async (names: string[], opts: GraphCliOptions) => {
        const { openDb, unknownName } = await import('./db-run.js');
        const { graphView, formatGraph } = await import('../../lib/db/index.js');
        const { write } = await import('./print-diagnostics.js');
        const db = await openDb(opts.compiled);
        if (typeof db === 'number') return db;
        const selected: number[] = [];
        for (const n of names) {
          const r = db.resolveAtomic(n);
          if (r === undefined) {
            const e = unknownName(db, n);
            await write(process.stderr, `rc: ${e.message}\n${e.hint ? `  hint: ${e.hint}\n` : ''}`);
            return e.code;
          }
          selected.push(...r);
        }
        const view = graphView(db, names.length > 0 ? selected : undefined, new Set(names));
        await write(process.stdout, formatGraph(view, opts.format));
        return 0;
      }),
    );
}
