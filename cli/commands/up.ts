// `rc up NAME...`: bring services up with everything they depend on (nothing else is touched).
import type { Command } from 'commander';
import { registerTransition } from './daemon-client-transition.js';

export function registerUp(program: Command): void {
  registerTransition(program, {
    name: 'up',
    description: 'bring NAMEs up, with everything they depend on first (s6-rc -u change)',
    argument: ['<names...>', 'services or bundles'],
    force: false,
    about: `A longrun with readiness (notification-fd or a ready-* probe) counts as up when ready; one
without, when spawned. A oneshot is up when its up script exited 0.`,
    examples: ['rc up api', 'rc up --dry-run api      # what would start, in which wave, and why'],
    request: (names) => ({ op: 'up', names }),
  });
}
