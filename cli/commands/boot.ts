// `rc boot`: run the daemon in the foreground (the supervision root). The only place that handles process signals and exit.
import type { Command } from 'commander';
import type { BootOptions as LibBootOptions } from '../../lib/boot/index.js';
import { action, parseUint, UsageError } from '../run-action.js';
import { holdEarlySignals } from './boot-signals.js';
import { DEFAULT_LIVE, resolveLive } from './daemon-client.js';

const ON_FAIL = ['halt', 'warn', 'ignore'] as const;

/** The options as commander parses them: the live dir not yet resolved. */
export type BootOptions = Omit<LibBootOptions, 'live' | 'onFail' | 'http'> & { live?: string; onFail: (typeof ON_FAIL)[number]; http?: string };

/** After the options in `rc boot --help`: CMD, signals, --on-fail, exit codes, examples. */
const BOOT_HELP = `
The main command (CMD, everything after --) runs once the target is up, with rc's stdin, stdout,
stderr and environment (plus RC_LIVE and RC_BIN). When it exits, everything is shut down in
reverse order and rc boot exits with CMD's code (128 + signal number if it was killed, 127 when
it cannot be found). Without CMD, the services run until SIGTERM or \`rc halt\`.

Signals (rc is meant to be PID 1; it reaps orphans, or is a child subreaper on a host):
  SIGTERM, SIGINT  with CMD running: SIGTERM to CMD (SIGKILL after --kill-grace), then the shutdown;
                   otherwise the orderly shutdown: everything down in reverse dependency order
                   (oneshots' down scripts run), each stop bounded by its timeout-down or
                   --kill-grace, then SIGKILL to any process group left
  the same again   skip the remaining grace: SIGKILL CMD and every service now
  --stop-timeout MS bounds the whole shutdown (CMD included); when it runs out, the same as a
                   second signal (e.g. --stop-timeout 8000 inside docker stop's 10 s)
  SIGQUIT          kill everything at once; exit 131
  SIGHUP           rescan (scandir mode)
  SIGUSR1/2        ignored
\`rc halt --code N\` (e.g. from a service's finish script) shuts down the same way; rc boot exits N.

--on-fail, when bringing the target up fails (a service failed, or --timeout expired):
  halt    stop what did start, in reverse order, and exit 1 without running CMD
  warn    (default) print a warning, keep what did start, run CMD anyway
  ignore  like warn, without the warning (s6-overlay's default behaviour)

One daemon per live directory: a second rc boot on the same one exits 100 at once, naming the
running daemon's pid. After a daemon died uncleanly (kill -9), the next one first stops every
process group the old one recorded, so no service ever runs twice.

Processes are created with posix_spawn (through koffi, which rc boot needs anyway).
RC_SPAWNER=node creates them with node:child_process instead (slower; for comparison).

Exit codes: CMD's code (128 + signal when killed, 127 not found); N from rc halt --code N;
0 after SIGTERM/SIGINT without CMD; 131 SIGQUIT; 1 target failed with --on-fail halt, or source
errors (--source); 2 target timed out (--timeout) with --on-fail halt; 3 unknown --target name (at once, CMD never runs); 4 invalid compiled db; 100 usage / a daemon already runs on the live dir;
111 system error. When several apply, the first reason to stop wins.

Examples:
  rc boot --db /etc/rc/compiled
  rc boot --on-fail halt -- my-app --port 8080     # a Dockerfile: ENTRYPOINT ["rc", "boot", "--"]
  rc boot --live /tmp/rc --source ./services --target default
  rc boot --scandir /etc/services.d               # s6-svscan style; then: rc scan
  rc boot --http 9100 --http-token-file /run/secrets/rc-token   # API, /metrics, dashboard on 127.0.0.1:9100
  RC_LIVE=/tmp/rc rc status`;

export function registerBoot(program: Command): void {
  const cmd = program
    .command('boot')
    .description('run the rc daemon in the foreground (a container\'s PID 1): bring the target up, run CMD, serve `rc` commands')
    .argument('[cmd...]', 'main command, after --: run once the target is up; rc exits with its exit code')
    .option('--live <dir>', `live directory, created mode 0700 (default: $RC_LIVE, else ${DEFAULT_LIVE})`)
    .option('--db <compiled>', 'compiled database to run (default: /etc/rc/compiled)')
    .option('--source <dirs...>', 'compile these source directories at boot (into LIVE/compiled) instead of --db')
    .option('--scandir <dir>', 'run an s6-svscan scan directory instead of a db: each subfolder with a run file is a longrun (log/ = its logger); rc scan or SIGHUP rescans')
    .option('--target <names...>', 'services or bundles to bring up (default: the bundle "default" when it exists; with --scandir, every service without a down file)')
    .option('--timeout <ms>', 'global timeout of the boot change; 0 = none', parseUint('--timeout'), 0)
    .option('--kill-grace <ms>', 'at shutdown, how long CMD, or a service without timeout-down, may take to stop before SIGKILL', parseUint('--kill-grace'), 3000)
    .option('--stop-timeout <ms>', 'bound on the whole shutdown: when it runs out, CMD and every service left get SIGKILL at once; 0 = none', parseUint('--stop-timeout'), 0)
    .option('--jobs <n>', 'at most N transitions at once; 0 = no limit', parseUint('--jobs'), 0)
    .option('--log-format <format>', 'service output on stdout: plain (NAME | line) or json (one object per line)', 'plain')
    .option('--log-timestamps', 'put an ISO-8601 timestamp on every service output line')
    .option('--quiet', 'print only failures and the summary of the boot change (not every service)')
    .option('--http <addr>', 'serve the HTTP API, /metrics and the dashboard on [ADDR:]PORT (loopback unless ADDR is given, e.g. 9100 or 0.0.0.0:9100); see docs/http.md')
    .option('--http-token-file <file>', 'the token (first line) that changing HTTP requests must send as Authorization: Bearer TOKEN; without it they are refused (403)')
    .option('--on-fail <what>', 'when bringing the target up fails: halt (stop, exit 1), warn (say so, run CMD anyway) or ignore', 'warn');
  cmd.addHelpText('after', BOOT_HELP);
  cmd.action(action(async (command: string[], opts: Omit<BootOptions, 'command'>) => bootCommand({ ...opts, command })));
}

async function bootCommand(opts: BootOptions): Promise<number> {
  holdEarlySignals();
  if (opts.db !== undefined && opts.source !== undefined) throw new UsageError('--db and --source exclude each other');
  if (opts.scandir !== undefined && (opts.db !== undefined || opts.source !== undefined)) throw new UsageError('--scandir excludes --db and --source');
  if (opts.logFormat !== 'plain' && opts.logFormat !== 'json') throw new UsageError(`--log-format expects plain or json, got '${String(opts.logFormat)}'`);
  if (!(ON_FAIL as readonly string[]).includes(opts.onFail)) throw new UsageError(`--on-fail expects halt, warn or ignore, got '${opts.onFail}'`);
  if (opts.httpTokenFile !== undefined && opts.http === undefined) throw new UsageError('--http-token-file needs --http');
  const [{ runBoot }, { processPort }, { parseHttpAddress }] = await Promise.all([import('../../lib/boot/index.js'), import('./boot-port.js'), import('../../lib/http/index.js')]);
  const http = opts.http === undefined ? undefined : parseHttpAddress(opts.http);
  if (http && !http.ok) throw new UsageError(http.error);
  const code = await runBoot({ ...opts, live: resolveLive(opts), http: http?.value }, processPort());
  // Flush what we wrote, then leave even if a stray handle would keep the loop alive. The flush
  // is bounded: a reader that stopped reading (a stalled pipe) must not keep the daemon alive
  // after it released the live dir (as PID 1, the container would never stop).
  await flushBounded(Math.max(FINAL_FLUSH_MS, opts.killGrace));
  process.exit(code);
}

/** How long rc boot waits at most for its stdout and stderr to drain before it exits (or --kill-grace, if larger). */
const FINAL_FLUSH_MS = 2000;

function flushBounded(ms: number): Promise<void> {
  const drained = (s: NodeJS.WriteStream) => new Promise<void>((r) => s.write('', () => r()));
  return new Promise<void>((resolve) => {
    const timer = setTimeout(resolve, ms);
    void Promise.all([drained(process.stdout), drained(process.stderr)]).then(() => {
      clearTimeout(timer);
      resolve();
    });
  });
}
