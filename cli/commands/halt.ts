// `rc halt [--code N]`: orderly shutdown of the daemon; it exits with N once everything is down.
import type { Command } from 'commander';
import { action, UsageError } from '../run-action.js';
import { addLiveOption, simpleCall, withDaemon, type LiveOptions } from './daemon-client.js';

interface HaltOptions extends LiveOptions {
  code?: string;
}

export function registerHalt(program: Command): void {
  const cmd = program
    .command('halt')
    .description('stop every service in reverse dependency order, then make the daemon exit')
    .option('--code <n>', "the daemon's exit code, 0-255 (default 0)");
  addLiveOption(cmd);
  cmd.addHelpText(
    'after',
    `
rc halt returns once the shutdown is complete (every service down, the daemon about to exit).
Requests queued behind a running change are dropped; the running one is cancelled.

Exit codes: 0 the daemon shut down, 100 usage, 111 no daemon.

Examples:
  rc halt
  rc halt --code 3     # rc boot exits 3 (e.g. to fail a container)`,
  );
  cmd.action(
    action(async (opts: HaltOptions) => {
      const code = opts.code === undefined ? 0 : Number(opts.code);
      if (!/^\d+$/.test(opts.code ?? '0') || code > 255) throw new UsageError(`--code expects an integer from 0 to 255, got '${opts.code}'`);
      return withDaemon(opts, async (client) => (await simpleCall(client, { op: 'halt', code })).exitCode);
    }),
  );
}
