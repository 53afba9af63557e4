// `rc list [--up|--down] [NAME...]`: names of atomic services, one per line (s6-rc list / -a list).
import type { Command } from 'commander';
import { action, UsageError } from '../run-action.js';
import { addLiveOption, type LiveOptions } from './daemon-client.js';
import { runList } from './daemon-client-queries.js';

interface ListOptions extends LiveOptions {
  up?: boolean;
  down?: boolean;
}

export function registerList(program: Command): void {
  const cmd = program
    .command('list')
    .description('print atomic service names, one per line, in database order (bundles are expanded)')
    .argument('[names...]', 'services or bundles to list (default: every atomic service)')
    .option('--up', 'only the services rc records as up')
    .option('--down', 'only the services rc records as down');
  addLiveOption(cmd);
  cmd.addHelpText(
    'after',
    `
Exit codes: 0 ok, 3 unknown name, 100 usage, 111 no daemon.

Examples:
  rc list --up            # what is up now
  rc list --down default  # what of the default bundle is not up`,
  );
  cmd.action(
    action(async (names: string[], opts: ListOptions) => {
      if (opts.up && opts.down) throw new UsageError('--up and --down exclude each other');
      const filter = opts.up ? 'up' : opts.down ? 'down' : 'all';
      return runList(names, filter, opts);
    }),
  );
}
