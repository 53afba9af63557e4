// `rc down NAME...`: bring services down, and first whatever depends on them.
import type { Command } from 'commander';
import { registerTransition } from './daemon-client-transition.js';

export function registerDown(program: Command): void {
  registerTransition(program, {
    name: 'down',
    description: 'bring NAMEs down, after everything that depends on them (s6-rc -d change)',
    argument: ['<names...>', 'services or bundles'],
    force: true,
    about: `Essential services (flag-essential), and what they depend on, stay up unless --force; this is
reported, not an error. Oneshots run their down script.`,
    examples: ['rc down db               # stops api (which needs db) first, then db', 'rc down --force logger'],
    request: (names) => ({ op: 'down', names }),
  });
}
