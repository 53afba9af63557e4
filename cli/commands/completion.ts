// `rc completion bash|zsh`: a shell completion script; `rc __complete WORDS...` (hidden): what it calls on TAB.
import { Argument, type Command } from 'commander';
import { action } from '../run-action.js';

export function registerCompletion(program: Command): void {
  program
    .command('completion')
    .description('print a bash or zsh completion script: commands, flags, and service names (from the daemon or the compiled database)')
    .addArgument(new Argument('<shell>', 'the shell').choices(['bash', 'zsh']))
    .addHelpText(
      'after',
      `
Service names come from the database of the daemon on the live directory (--live on the
command line, else $RC_LIVE, else /run/rc); for rc db and rc graph, and when no daemon ever ran
there, from the compiled database (-c on the command line, else /etc/rc/compiled).

Examples:
  eval "$(rc completion bash)"                  # in ~/.bashrc
  rc completion bash > /etc/bash_completion.d/rc
  rc completion zsh > "\${fpath[1]}/_rc"         # then restart zsh (compinit)`,
    )
    .action(
      action(async (shell: 'bash' | 'zsh') => {
        const { completionScript } = await import('./completion-run.js');
        process.stdout.write(completionScript(shell));
        return 0;
      }),
    );
}

/** The hidden command the scripts call: the words after `rc` up to the one under the cursor. `table` builds the whole program. */
export function registerComplete(program: Command, table: () => Command): void {
  program
    .command('__complete', { hidden: true })
    .description('print completion candidates for the words after rc, one per line (used by rc completion)')
    .argument('[words...]', 'the words after rc, the last one being completed (possibly empty)')
    .allowUnknownOption()
    .helpOption(false)
    .action(
      action(async (words: string[]) => {
        const { runComplete } = await import('./completion-run.js');
        return runComplete(table(), words);
      }),
    );
}
