// `rc list [--up|--down] [NAME...]`: names of atomic services, one per line (s6-rc list / -a list) (a spec: it has the fast path).
import type { Command } from 'commander';
import { UsageError } from '../action.js';
import { registerSpec, type CommandSpec } from '../spec.js';
import { LIVE_OPTION, type LiveOptions } from './daemon-client.js';
import { runList } from './daemon-client-queries.js';

interface ListOptions extends LiveOptions {
  up?: boolean;
  down?: boolean;
}

export const listSpec: CommandSpec<ListOptions> = {
  name: 'list',
  description: 'print atomic service names, one per line, in database order (bundles are expanded)',
  argument: ['[names...]', 'services or bundles to list (default: every atomic service)'],
  options: [
    { name: 'up', description: 'only the services rc records as up' },
    { name: 'down', description: 'only the services rc records as down' },
    LIVE_OPTION,
  ],
  help: `
Exit codes: 0 ok, 3 unknown name, 100 usage, 111 no daemon.

Examples:
  rc list --up            # what is up now
  rc list --down default  # what of the default bundle is not up`,
  run: (names, opts) => {
    if (opts.up && opts.down) throw new UsageError('--up and --down exclude each other');
    return runList(names, opts.up ? 'up' : opts.down ? 'down' : 'all', opts);
  },
};

export const registerList = (program: Command): Command => registerSpec(program, listSpec);
