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
    options: (cmd) =>
      void cmd.option('--deps', 'also restart every up service that depends on them: all stop, dependents first, then all start again in dependency order'),
    force: false,
    about: `A restarted longrun counts as done when it is up again (ready, if it reports readiness).
A service that is down is simply brought up. With --deps it is s6-rc -d change NAMEs followed by
s6-rc -u change of what was up: the dependents stop first (in reverse order), then everything
starts again (in dependency order), so nothing runs while something it needs is down.`,
    examples: ['rc restart api', 'rc restart --deps db     # stop what runs on db, then db; start db, then the rest'],
    request: (names, opts) => ({ op: 'restart', names, deps: opts.deps === true }),
  });
}
