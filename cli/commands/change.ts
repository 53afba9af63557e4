// `rc change TARGET...`: switch to a runlevel: the targets' closure comes up, everything else that is up goes down first.
import type { Command } from 'commander';
import { registerTransition } from './daemon-client-transition.js';

export function registerChange(program: Command): void {
  registerTransition(program, {
    name: 'change',
    description: 'switch the system to TARGETs: bring up what they need, bring down (first) everything else that is up',
    argument: ['<targets...>', 'services or bundles (e.g. default, maintenance)'],
    force: true,
    about: `Like s6-rc -pu change: services not needed by the targets are stopped in reverse dependency
order (oneshots run their down script), then the targets' closure is started in dependency
order, as parallel as the graph allows. Essential services stay up unless --force.
Requests are queued: while another change runs, rc change says it is waiting, then runs.
Progress: listr2 on a terminal, plain lines otherwise, NDJSON with --json.`,
    examples: ['rc change default', 'rc change --dry-run maintenance', 'rc change --timeout 30000 --json default > events.ndjson'],
    request: (targets) => ({ op: 'change', targets }),
  });
}
