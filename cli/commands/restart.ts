// `rc restart [--deps] NAME...`: restart services in place (longruns as s6-svc -r, oneshots down then up).
import type { Command } from 'commander';
import { action } from '../run-action.js';
import { addTransitionOptions, runTransitionCommand, TRANSITION_EXIT_CODES, type TransitionCliOptions } from './daemon-client-transition.js';

interface RestartOptions extends TransitionCliOptions {
  deps?: boolean;
}

export function registerRestart(program: Command): void {
  const cmd = program
    .command('restart')
    .description('restart NAMEs: a longrun in place (down-signal, then up again), a oneshot down then up')
    .argument('<names...>', 'services or bundles')
    .option('--deps', 'also restart, in dependency order, every up service that depends on them');
  addTransitionOptions(cmd, false);
  cmd.addHelpText(
    'after',
    `
A restarted longrun counts as done when it is up again (ready, if it reports readiness).
A service that is down is simply brought up.

${TRANSITION_EXIT_CODES}

Examples:
  rc restart api
  rc restart --deps db     # db, then whatever runs on top of it`,
  );
  cmd.action(action(async (names: string[], opts: RestartOptions) => runTransitionCommand({ op: 'restart', names, deps: opts.deps === true }, opts)));
}
