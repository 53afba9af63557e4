// Fast path for the commands people run in loops: `rc status` and `rc list` parsed by hand, without commander.
// Anything it does not recognise exactly (help, unknown flags) returns undefined: the full CLI handles it.
import type { ListFilter } from '../../lib/control/protocol.js';

type Parsed = { cmd: 'status'; names: string[]; live?: string; json: boolean } | { cmd: 'list'; names: string[]; live?: string; filter: ListFilter };

/** Parse `status|list [flags] [names]`, or undefined when the full parser must decide. */
export function parseFast(argv: readonly string[]): Parsed | undefined {
  const [cmd, ...rest] = argv;
  if (cmd !== 'status' && cmd !== 'list') return undefined;
  const names: string[] = [];
  let live: string | undefined;
  let json = false;
  let up = false;
  let down = false;
  for (let k = 0; k < rest.length; k++) {
    const a = rest[k]!;
    if (a === '--live' && k + 1 < rest.length) live = rest[++k];
    else if (a.startsWith('--live=') && a.length > 7) live = a.slice(7);
    else if (a === '--json' && cmd === 'status') json = true;
    else if (a === '--up' && cmd === 'list') up = true;
    else if (a === '--down' && cmd === 'list') down = true;
    else if (a.startsWith('-')) return undefined;
    else names.push(a);
  }
  if (up && down) return undefined;
  const base = { names, ...(live !== undefined ? { live } : {}) };
  return cmd === 'status' ? { cmd, json, ...base } : { cmd, filter: up ? 'up' : down ? 'down' : 'all', ...base };
}

/** Run `rc status` / `rc list` if argv is exactly one of them; resolves with the exit code, or undefined. */
export async function fastPath(argv: readonly string[]): Promise<number | undefined> {
  const p = parseFast(argv);
  if (p === undefined) return undefined;
  const { runList, runStatus } = await import('./daemon-client-queries.js');
  try {
    return p.cmd === 'status' ? await runStatus(p.names, p) : await runList(p.names, p.filter, p);
  } catch (e) {
    process.stderr.write(`rc: internal error (a bug, please report it): ${(e as Error)?.stack ?? String(e)}\n`);
    return 111;
  }
}
