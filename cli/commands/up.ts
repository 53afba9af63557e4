// `rc up NAME...`: bring services up with everything they depend on (nothing else is touched).
import type { Command } from 'commander';
import { action } from '../run-action.js';
import { addTransitionOptions, runTransitionCommand, TRANSITION_EXIT_CODES, type TransitionCliOptions } from './daemon-client-transition.js';

export function registerUp(program: Command): void {
  const cmd = program
    .command('up')
    .description('bring NAMEs up, with everything they depend on first (s6-rc -u change)')
    .argument('<names...>', 'services or bundles');
  addTransitionOptions(cmd, false);
  cmd.addHelpText(
    'after',
    `
A longrun with readiness (notification-fd or a ready-* probe) counts as up when ready; one
without, when spawned. A oneshot is up when its up script exited 0.

${TRANSITION_EXIT_CODES}

Examples:
  rc up api
  rc up --dry-run api      # what would start, in which wave, and why`,
  );
  cmd.action(action(async (names: string[], opts: TransitionCliOptions) => runTransitionCommand({ op: 'up', names }, opts)));
}
