// `rc restart [--deps] NAME...`: restart services in place (longruns as s6-svc -r, oneshots down then up).
import type { Command } from 'commander';
import { registerTransition, type TransitionCliOptions } from './daemon-client-transition.js';

interface RestartOptions extends TransitionCliOptions {
  deps?: boolean;
}

export function registerRestart(program: Command): void {
  registerTransition<RestartOptions>(program, {
    name: 'restart',
    description: 'restart NAMEs: a longrun in place (down-signal, then up again), a oneshot down then up',
    argument: ['<names...>', 'services or bundles'],
    options: (cmd) => void cmd.option('--deps', 'also restart, in dependency order, every up service that depends on them'),
    force: false,
    about: `A restarted longrun counts as done when it is up again (ready, if it reports readiness).
A service that is down is simply brought up.`,
    examples: ['rc restart api', 'rc restart --deps db     # db, then whatever runs on top of it'],
    request: (names, opts) => ({ op: 'restart', names, deps: opts.deps === true }),
  });
}
