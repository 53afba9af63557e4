// `rc down NAME...`: bring services down, and first whatever depends on them.
import type { Command } from 'commander';
import { action } from '../run-action.js';
import { addTransitionOptions, runTransitionCommand, TRANSITION_EXIT_CODES, type TransitionCliOptions } from './daemon-client-transition.js';

export function registerDown(program: Command): void {
  const cmd = program
    .command('down')
    .description('bring NAMEs down, after everything that depends on them (s6-rc -d change)')
    .argument('<names...>', 'services or bundles');
  addTransitionOptions(cmd, true);
  cmd.addHelpText(
    'after',
    `
Essential services (flag-essential), and what they depend on, stay up unless --force; this is
reported, not an error. Oneshots run their down script.

${TRANSITION_EXIT_CODES}

Examples:
  rc down db               # stops api (which needs db) first, then db
  rc down --force logger`,
  );
  cmd.action(action(async (names: string[], opts: TransitionCliOptions) => runTransitionCommand({ op: 'down', names }, opts)));
}
