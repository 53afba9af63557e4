// `rc wait [--up|--ready|--healthy|--down] [--timeout MS] NAME...`: block until every NAME reaches a state (s6-svwait -a).
import type { Command } from 'commander';
import { action, parseUint, UsageError } from '../run-action.js';
import { addLiveOption, simpleCall, withDaemon, type LiveOptions } from './daemon-client.js';

interface WaitOptions extends LiveOptions {
  up?: boolean;
  ready?: boolean;
  healthy?: boolean;
  down?: boolean;
  timeout?: number;
}

export function registerWait(program: Command): void {
  const cmd = program
    .command('wait')
    .description('wait until every NAME is up (default), ready, healthy, or down')
    .argument('<names...>', 'services or bundles to wait for')
    .option('--up', 'wait until up: a longrun spawned, a oneshot whose up succeeded (default)')
    .option('--ready', 'wait until ready: a longrun that reported readiness (or spawned, without readiness)')
    .option('--healthy', 'wait until healthy: a longrun whose current run passed its health check (health-cmd|http|tcp)')
    .option('--down', 'wait until down: a longrun dead and its finish done, a oneshot down')
    .option('--timeout <ms>', 'give up after MS milliseconds (exit 2); 0 = wait for ever', parseUint('--timeout'), 0);
  addLiveOption(cmd);
  cmd.addHelpText(
    'after',
    `
A longrun that fails permanently while waited for up or ready ends the wait with exit 1.

--healthy: a NAME must be a longrun with a health check (exit 100 otherwise); in a bundle, members
without one are waited for as with --ready (a oneshot: up). A service not started yet, or being
restarted, is waited for. An unhealthy verdict (health-retries failures), or a run that stops or
dies before it is healthy, ends the wait with exit 1 and the check's output: it does not wait on
through restarts (loop on rc wait for that).

Started
before the daemon (no socket yet), rc wait waits for the daemon too, within --timeout (for ever
without one).

Exit codes: 0 reached, 1 a service failed permanently (--healthy: or is unhealthy), 2 timeout,
3 unknown name, 100 usage (--healthy: no health check), 111 no daemon.

Examples:
  rc wait --ready --timeout 5000 db
  rc wait --healthy --timeout 60000 db && migrate
  rc wait --down api worker`,
  );
  cmd.action(
    action(async (names: string[], opts: WaitOptions) => {
      const chosen = (['up', 'ready', 'healthy', 'down'] as const).filter((c) => opts[c] === true);
      if (chosen.length > 1) throw new UsageError(`choose one of --up, --ready, --healthy, --down (got ${chosen.map((c) => `--${c}`).join(' and ')})`);
      const timeout = opts.timeout ?? 0;
      // Started before the daemon (a container's health check): wait for its socket too, within the timeout.
      return withDaemon(opts, async (client, _live, waitedMs) => {
        const left = timeout === 0 ? 0 : Math.max(1, timeout - waitedMs);
        const r = await simpleCall(client, { op: 'wait', names, until: chosen[0] ?? 'up', timeoutMs: left });
        if (r.ok && r.exitCode !== 0) {
          const why = r.data.message;
          if (why) process.stderr.write(`rc: ${why}\n`);
        }
        return r.exitCode;
      }, timeout === 0 ? null : timeout);
    }),
  );
}
