// `rc halt [--code N] [--wait]`: ask the daemon for the orderly shutdown; rc boot then exits with N.
import type { Command } from 'commander';
import { action, UsageError } from '../run-action.js';
import { addLiveOption, simpleCall, withDaemon, type LiveOptions } from './daemon-client.js';

interface HaltOptions extends LiveOptions {
  code?: string;
  wait?: boolean;
}

export function registerHalt(program: Command): void {
  const cmd = program
    .command('halt')
    .description("shut everything down (the main command first, then every service in reverse dependency order) and make rc boot exit")
    .option('--code <n>', "rc boot's exit code, 0-255 (default 0)")
    .option('--wait', 'return only once the shutdown is complete (every service down, the daemon about to exit)');
  addLiveOption(cmd);
  cmd.addHelpText(
    'after',
    `
By default rc halt returns as soon as the daemon has accepted the request, so it can be run from
a service's finish script (the shutdown waits for that script: waiting for the shutdown there
would hang until timeout-finish). With --wait it returns once everything is down; never use
--wait from a finish script. A second rc halt during a shutdown does not change the exit code:
the first reason to stop decides it. Requests queued behind a running change are dropped; the
running one is cancelled.

Exit codes: 0 the daemon accepted (with --wait: completed) the shutdown, 100 usage, 111 no daemon.

Examples:
  rc halt
  rc halt --wait --code 3          # rc boot exits 3 (e.g. to fail a container)
  # a service's finish script (replaces s6-overlay's exitcode file + halt): when the service
  # dies, end the container with its exit code (128 + signal number when it was killed)
  #!/bin/sh
  [ "$1" = 256 ] && set -- $((128 + $2))
  [ "$1" = 0 ] || exec rc halt --code "$1"`,
  );
  cmd.action(
    action(async (opts: HaltOptions) => {
      const code = opts.code === undefined ? 0 : Number(opts.code);
      if (!/^\d+$/.test(opts.code ?? '0') || code > 255) throw new UsageError(`--code expects an integer from 0 to 255, got '${opts.code}'`);
      return withDaemon(opts, async (client) => (await simpleCall(client, { op: 'halt', code, wait: opts.wait === true, pid: process.pid })).exitCode);
    }),
  );
}
