// Shell completion: the bash and zsh scripts, and the candidates for the words typed so far.
import type { Command, Option } from 'commander';
import { DEFAULT_COMPILED, DEFAULT_LIVE } from '../../lib/core/index.js';
import { readDb } from '../../lib/db/index.js';
import { livePaths, readPreviousState } from '../../lib/live/index.js';

/** Positional arguments that take service or bundle names. */
const NAME_ARGUMENTS = new Set(['names', 'name', 'targets', 'target', 'bundle', 'oneshot']);
/** Commands whose names come from a compiled database (-c), not from the daemon. */
const DB_COMMANDS = new Set(['db', 'graph']);

export interface NameSources {
  /** The names (services and bundles) of the daemon on `live`, undefined when none can be read. */
  fromLive(live: string): string[] | undefined;
  /** The names of the compiled database `dir`, undefined when it cannot be read. */
  fromDb(dir: string): string[] | undefined;
}

const dbNames = (dir: string): string[] | undefined => {
  const db = readDb(dir);
  return db.ok ? db.value.names() : undefined;
};

/** Names from the live directory's state file (it records the daemon's database) or a compiled db. */
export const fileNameSources: NameSources = {
  fromLive(live) {
    const { state } = readPreviousState(livePaths(live));
    return state?.db ? dbNames(state.db) : undefined;
  },
  fromDb: dbNames,
};

const visible = (c: Command): boolean => !c.name().startsWith('__');
const flagsOf = (c: Command): string[] => [...c.options.flatMap((o) => [o.long, o.short].filter((f): f is string => f !== undefined)), '--help'];
const findOption = (c: Command, flag: string): Option | undefined => c.options.find((o) => o.long === flag || o.short === flag);
const takesValue = (o: Option): boolean => o.required || o.optional;

/** The value of `--flag V` / `--flag=V` / `-f V` in `words`, if given. */
function optionValue(words: readonly string[], flags: readonly string[]): string | undefined {
  for (let i = 0; i < words.length; i++) {
    const w = words[i]!;
    for (const f of flags) {
      if (w === f && i + 1 < words.length) return words[i + 1];
      if (w.startsWith(`${f}=`)) return w.slice(f.length + 1);
    }
  }
  return undefined;
}

/** Service and bundle names for the command being typed: from the daemon, else from the compiled db. */
function serviceNames(top: string, words: readonly string[], env: NodeJS.ProcessEnv, sources: NameSources): string[] {
  const compiled = optionValue(words, ['-c', '--compiled']);
  if (DB_COMMANDS.has(top)) return sources.fromDb(compiled ?? DEFAULT_COMPILED) ?? [];
  const live = optionValue(words, ['--live']) ?? env.RC_LIVE ?? DEFAULT_LIVE;
  return sources.fromLive(live) ?? sources.fromDb(compiled ?? DEFAULT_COMPILED) ?? [];
}

/**
 * The candidates for the last word of `words` (the words after `rc`; the last one is being typed,
 * possibly empty). An empty answer lets the shell complete file names.
 */
export function completeWords(program: Command, words: readonly string[], env: NodeJS.ProcessEnv, sources: NameSources): string[] {
  const cur = words.at(-1) ?? '';
  const done = words.slice(0, -1);
  const match = (list: Iterable<string>): string[] => [...new Set(list)].filter((x) => x.startsWith(cur));
  if (done.length === 0) return match(cur.startsWith('-') ? ['--help', '--version'] : program.commands.filter(visible).map((c) => c.name()));
  const first = program.commands.find((c) => c.name() === done[0] && visible(c));
  if (first === undefined) return [];
  let cmd: Command = first;
  const top = cmd.name();
  // Walk the words: options (and their values), subcommands, positional arguments.
  let positional = 0;
  for (let i = 1; i < done.length; i++) {
    const w = done[i]!;
    if (w === '--') continue;
    if (w.startsWith('-')) {
      const o = findOption(cmd, w);
      if (o !== undefined && takesValue(o) && !w.includes('=')) i++;
      continue;
    }
    const sub: Command | undefined = cmd.commands.find((c) => c.name() === w);
    if (sub !== undefined && positional === 0) {
      cmd = sub;
      continue;
    }
    positional++;
  }
  const prev = done.at(-1)!;
  const valueOf = prev.startsWith('-') ? findOption(cmd, prev) : undefined;
  if (valueOf !== undefined && takesValue(valueOf)) return match(valueOf.argChoices ?? []); // a file, a number...: none
  if (cur.startsWith('-')) return match(flagsOf(cmd));
  if (cmd.commands.length > 0 && positional === 0) return match(cmd.commands.filter(visible).map((c) => c.name()));
  const args = cmd.registeredArguments;
  const arg = args[Math.min(positional, args.length - 1)];
  if (arg === undefined || (positional >= args.length && !arg.variadic)) return [];
  if (arg.argChoices) return match(arg.argChoices);
  if (NAME_ARGUMENTS.has(arg.name())) return match(serviceNames(top, words, env, sources));
  return [];
}

/** `rc __complete -- WORDS...`: the candidates, one per line. Never fails: a completion must not print errors. */
export function runComplete(program: Command, words: string[]): number {
  let out: string[] = [];
  try {
    out = completeWords(program, words, process.env, fileNameSources);
  } catch {
    out = [];
  }
  if (out.length > 0) process.stdout.write(`${out.join('\n')}\n`);
  return 0;
}

const BASH = `# bash completion for rc: eval "$(rc completion bash)", or save it as /etc/bash_completion.d/rc
_rc_complete() {
  local IFS=$'\\n'
  COMPREPLY=($(command rc __complete -- "\${COMP_WORDS[@]:1:COMP_CWORD}" 2>/dev/null))
}
complete -o default -F _rc_complete rc
`;

const ZSH = `#compdef rc
# zsh completion for rc: eval "$(rc completion zsh)" after compinit, or save it as _rc in a folder of $fpath
_rc() {
  local -a candidates
  candidates=("\${(@f)$(command rc __complete -- "\${(@)words[2,CURRENT]}" 2>/dev/null)}")
  candidates=(\${candidates:#})
  if (( \${#candidates} )); then
    compadd -a candidates
  else
    _files
  fi
}
if [[ "\${funcstack[1]}" = "_rc" ]]; then
  _rc "$@"
else
  compdef _rc rc
fi
`;

export function completionScript(shell: 'bash' | 'zsh'): string {
  return shell === 'bash' ? BASH : ZSH;
}
