// A command as data: its argument, options and help, and what it runs. One spec feeds both commander (help, every
// parse error) and the fast path (node:util parseArgs, without loading commander) of the commands answered most often.
import { parseArgs } from 'node:util';
import type { Command } from 'commander';
import { action } from './action.js';

export interface OptionSpec {
  /** The long name, without dashes ("json", "live"). */
  name: string;
  /** The value's placeholder ("dir") for an option that takes one; none for a flag. */
  value?: string;
  description: string;
}

export interface CommandSpec<O extends object> {
  name: string;
  description: string;
  /** The variadic names argument: [syntax, description], e.g. ['[names...]', 'services or bundles']. */
  argument: [string, string];
  options: readonly OptionSpec[];
  /** Shown after the options in --help (details, exit codes, examples). */
  help: string;
  run(names: string[], opts: O): Promise<number>;
}

/** Define `spec` on commander's program (the help and the parse errors are commander's). */
export function registerSpec<O extends object>(program: Command, spec: CommandSpec<O>): Command {
  const cmd = program.command(spec.name).description(spec.description).argument(...spec.argument);
  for (const o of spec.options) cmd.option(`--${o.name}${o.value ? ` <${o.value}>` : ''}`, o.description);
  cmd.addHelpText('after', spec.help);
  cmd.action(action(async (names: string[], opts: O) => spec.run(names, opts)));
  return cmd;
}

/**
 * Parse the arguments after the command name as commander would for this spec; null when they are
 * anything else (--help, an unknown option, a missing value, ...): then commander parses them and says what is wrong.
 */
export function parseFast<O extends object>(spec: CommandSpec<O>, args: readonly string[]): { names: string[]; opts: O } | null {
  const options = Object.fromEntries(spec.options.map((o) => [o.name, { type: o.value ? ('string' as const) : ('boolean' as const) }]));
  try {
    const { values, positionals } = parseArgs({ args: [...args], options, allowPositionals: true, strict: true });
    return { names: positionals, opts: values as O };
  } catch {
    return null;
  }
}

/** Run `spec` on `args` without commander when they parse; false when commander must take over. */
export async function runFast<O extends object>(spec: CommandSpec<O>, args: readonly string[]): Promise<boolean> {
  const parsed = parseFast(spec, args);
  if (!parsed) return false;
  await action(async () => spec.run(parsed.names, parsed.opts))();
  return true;
}
