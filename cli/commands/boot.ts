// `rc boot`: run the daemon in the foreground (the supervision root). The only place that handles process signals and exit.
import type { Command } from 'commander';
import { action, parseUint, UsageError } from '../run-action.js';
import { DEFAULT_LIVE, resolveLive } from './daemon-client.js';

export interface BootOptions {
  live?: string;
  db?: string;
  source?: string[];
  /** An s6-svscan scan directory: one longrun per subfolder (docs/scandir.md). */
  scandir?: string;
  target?: string[];
  timeout: number;
  killGrace: number;
  jobs: number;
  logFormat: 'plain' | 'json';
  logTimestamps?: boolean;
  quiet?: boolean;
}

export function registerBoot(program: Command): void {
  const cmd = program
    .command('boot')
    .description('run the rc daemon in the foreground: supervise every service, bring the target up, serve `rc` commands')
    .option('--live <dir>', `live directory, created mode 0700 (default: $RC_LIVE, else ${DEFAULT_LIVE})`)
    .option('--db <compiled>', 'compiled database to run (default: /etc/rc/compiled)')
    .option('--source <dirs...>', 'compile these source directories at boot (into LIVE/compiled) instead of --db')
    .option('--scandir <dir>', 'run an s6-svscan scan directory instead of a db: each subfolder with a run file is a longrun (log/ = its logger); rc scan or SIGHUP rescans')
    .option('--target <names...>', 'services or bundles to bring up (default: the bundle "default" when it exists; with --scandir, every service without a down file)')
    .option('--timeout <ms>', 'global timeout of the boot change; 0 = none', parseUint('--timeout'), 0)
    .option('--kill-grace <ms>', 'at shutdown, how long a service without timeout-down may take to stop before SIGKILL', parseUint('--kill-grace'), 3000)
    .option('--jobs <n>', 'at most N transitions at once; 0 = no limit', parseUint('--jobs'), 0)
    .option('--log-format <format>', 'service output on stdout: plain (NAME | line) or json (one object per line)', 'plain')
    .option('--log-timestamps', 'put an ISO-8601 timestamp on every service output line')
    .option('--quiet', 'print only failures and the summary of the boot change (not every service)');
  cmd.addHelpText(
    'after',
    `
One daemon per live directory: a second rc boot on the same one exits 100 at once, naming the
running daemon's pid. After a daemon died uncleanly (kill -9), the next one first stops every
process group the old one recorded, so no service ever runs twice.

SIGTERM / SIGINT: orderly shutdown (everything down in reverse dependency order, oneshots' down
scripts run, each stop bounded by its timeout-down or --kill-grace, then SIGKILL to any process
group left); exit 0. A second signal skips straight to the kills. \`rc halt --code N\` does the same
and makes rc boot exit N.

Exit codes: 0 after a clean shutdown, N from rc halt --code N, 1 source errors (--source),
4 invalid compiled db, 100 usage / a daemon already runs on the live dir, 111 system error.

Examples:
  rc boot --db /etc/rc/compiled
  rc boot --live /tmp/rc --source ./services --target default
  rc boot --scandir /etc/services.d               # s6-svscan style; then: rc scan
  RC_LIVE=/tmp/rc rc status`,
  );
  cmd.action(action(async (opts: BootOptions) => runBoot(opts)));
}

async function runBoot(opts: BootOptions): Promise<number> {
  if (opts.db !== undefined && opts.source !== undefined) throw new UsageError('--db and --source exclude each other');
  if (opts.scandir !== undefined && (opts.db !== undefined || opts.source !== undefined)) throw new UsageError('--scandir excludes --db and --source');
  if (opts.logFormat !== 'plain' && opts.logFormat !== 'json') throw new UsageError(`--log-format expects plain or json, got '${opts.logFormat}'`);
  const { startDaemon } = await import('./daemon-client-boot.js');
  const code = await startDaemon({ ...opts, live: resolveLive(opts) });
  // Flush what we wrote, then leave even if a stray handle would keep the loop alive.
  await new Promise<void>((r) => process.stdout.write('', () => r()));
  await new Promise<void>((r) => process.stderr.write('', () => r()));
  process.exit(code);
}
