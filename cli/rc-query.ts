// `rc status` and `rc list` without commander: built as one self-contained file (package.json `bundle`), so the queries asked
// most often (health checks, scripts) read one module. Their specs define them for commander too, which takes over
// (runQuery resolves false) for --help and for anything that does not parse.
import { listSpec } from './commands/list.js';
import { statusSpec } from './commands/status.js';
import { runFast, type CommandSpec } from './spec.js';

const QUERIES: Record<string, CommandSpec<object>> = { status: statusSpec, list: listSpec };

/** Run `rc status|list ARGS` when ARGS parse; false when commander must take over. */
export async function runQuery(argv: readonly string[]): Promise<boolean> {
  const spec = QUERIES[argv[2] ?? ''];
  return spec !== undefined && runFast(spec, argv.slice(3));
}
