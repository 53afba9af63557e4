// Fast path for `rc compile` / `rc check` (run in every image build): parsed by hand, without commander.
// Anything it does not recognise exactly (help, unknown flags, a bad -v) returns undefined: the full CLI decides.
import type { CompileRunOptions } from './compile-run.js';

export type ParsedCompile = { cmd: 'compile' | 'check'; args: string[]; opts: CompileRunOptions };

/** Parse `compile|check [-v N] [--force] [--json] ARGS...`, or undefined when the full parser must decide. */
export function parseCompileFast(argv: readonly string[]): ParsedCompile | undefined {
  const [cmd, ...rest] = argv;
  if (cmd !== 'compile' && cmd !== 'check') return undefined;
  const opts: CompileRunOptions = { verbosity: 1 };
  const args: string[] = [];
  for (let k = 0; k < rest.length; k++) {
    const a = rest[k]!;
    let v: string | undefined;
    if (a === '-v' || a === '--verbosity') v = rest[++k];
    else if (a.startsWith('--verbosity=')) v = a.slice(12);
    else if (/^-v\d+$/.test(a)) v = a.slice(2);
    else if (a === '--force' && cmd === 'compile') opts.force = true;
    else if (a === '--json') opts.json = true;
    else if (a.startsWith('-')) return undefined;
    else args.push(a);
    if (v !== undefined || a === '-v' || a === '--verbosity') {
      if (v === undefined || !/^\d+$/.test(v)) return undefined;
      opts.verbosity = Number(v);
    }
  }
  if (args.length < (cmd === 'compile' ? 2 : 1)) return undefined;
  return { cmd, args, opts };
}

/** Run `rc compile` / `rc check` if argv is exactly one of them; resolves with the exit code, or undefined. */
export async function compileFastPath(argv: readonly string[]): Promise<number | undefined> {
  const p = parseCompileFast(argv);
  if (p === undefined) return undefined;
  const { runCheck, runCompile } = await import('./compile-run.js');
  try {
    return p.cmd === 'compile' ? await runCompile(p.args[0]!, p.args.slice(1), p.opts) : await runCheck(p.args, p.opts);
  } catch (e) {
    process.stderr.write(`rc: internal error (a bug, please report it): ${(e as Error)?.stack ?? String(e)}\n`);
    return 111;
  }
}
