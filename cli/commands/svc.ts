// `rc svc -u|-d|-o|-r|-k|-t|-h|-i|-1|-2|... NAME...`: s6-svc's letters, sent straight to the longruns' supervisors.
import type { Command } from 'commander';
import type { SvcCommand } from '../../lib/control/index.js';
import { action, UsageError } from '../run-action.js';
import { addLiveOption, simpleCall, withDaemon, type LiveOptions } from './daemon-client.js';

/** Letters in the order they are applied: state changes, then signals, then restart and exit. */
const LETTERS: [letter: SvcCommand, help: string][] = [
  ['u', 'up: want it up and start it if down'],
  ['o', 'once: start it if down, do not restart it when it dies'],
  ['d', 'down: want it down, send its down-signal (then SIGCONT)'],
  ['a', 'send SIGALRM'],
  ['b', 'send SIGABRT'],
  ['q', 'send SIGQUIT'],
  ['h', 'send SIGHUP'],
  ['k', 'send SIGKILL'],
  ['t', 'send SIGTERM'],
  ['i', 'send SIGINT'],
  ['1', 'send SIGUSR1'],
  ['2', 'send SIGUSR2'],
  ['p', 'send SIGSTOP (pause)'],
  ['c', 'send SIGCONT (continue)'],
  ['y', 'send SIGWINCH'],
  ['r', 'restart: send the down-signal; it comes back if wanted up'],
  ['x', 'do not restart it after it next dies, and leave it down'],
];

export function registerSvc(program: Command): void {
  const cmd = program
    .command('svc')
    .description("control longruns' supervisors directly, with s6-svc's letters (rc's recorded state is not changed)")
    .argument('<names...>', 'longruns (or bundles: their longruns)')
    .helpOption('--help', 'display help for command');
  for (const [letter, help] of LETTERS) cmd.option(`-${letter}`, help);
  addLiveOption(cmd);
  cmd.addHelpText(
    'after',
    `
Letters can be combined (-dk) and are applied in the order listed above. Signals reach only a
running service. Like s6-svc, this bypasses the dependency engine: use rc up/down/restart to move
dependents too. Oneshots have no supervisor: naming one is an error.

Exit codes: 0 ok, 3 unknown name, 100 usage (no letter, or a oneshot), 111 no daemon.

Examples:
  rc svc -h nginx        # reload nginx's configuration
  rc svc -r api          # restart api in place
  rc svc -dk stuck       # down, and SIGKILL it now`,
  );
  cmd.action(
    action(async (names: string[], opts: LiveOptions & Record<string, boolean>) => {
      const commands = LETTERS.map(([l]) => l).filter((l) => opts[l] === true);
      if (commands.length === 0) throw new UsageError('rc svc needs at least one command letter (-u, -d, -r, -k, ...)');
      return withDaemon(opts, async (client) => (await simpleCall(client, { op: 'svc', names, commands })).exitCode);
    }),
  );
}
