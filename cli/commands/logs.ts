// `rc logs [-f] [-n N] [NAME...]`: the recent output of services, kept by the daemon; -f follows it.
import type { Command } from 'commander';
import type { StreamEvent } from '../../lib/control/index.js';
import { action, parseUint } from '../run-action.js';
import { addLiveOption, reportError, simpleCall, withDaemon, writeOut, type LiveOptions } from './daemon-client.js';

interface LogsOptions extends LiveOptions {
  follow?: boolean;
  lines: number;
  json?: boolean;
}

type Line = { service: string; stream: 'stdout' | 'stderr'; line: string; time: number };

export function registerLogs(program: Command): void {
  const cmd = program
    .command('logs')
    .description('print the recent output of services (all, or the NAMEs given), oldest first')
    .argument('[names...]', 'services or bundles (default: all)')
    .option('-f, --follow', 'keep printing new lines until interrupted')
    .option('-n, --lines <n>', 'lines per service to print first', parseUint('--lines'), 100)
    .option('--json', 'one JSON object per line: {"service","stream","time","line"}, time in ISO-8601 (as rc boot --log-format json)');
  addLiveOption(cmd);
  cmd.addHelpText(
    'after',
    `
The daemon keeps the last 1,000 lines (at most 4 MiB) of each service in memory, also of
services that have stopped. Lines are printed as "NAME | line".

Exit codes: 0 ok, 3 unknown name, 111 no daemon.

Examples:
  rc logs -n 20 api
  rc logs -f db migrate`,
  );
  cmd.action(action(async (names: string[], opts: LogsOptions) => runLogs(names, opts)));
}

async function runLogs(names: string[], opts: LogsOptions): Promise<number> {
  // JSON as rc boot --log-format json --log-timestamps writes it: the same keys, an ISO-8601 time.
  const format = (l: Line): string =>
    opts.json ? JSON.stringify({ service: l.service, stream: l.stream, time: new Date(l.time).toISOString(), line: l.line }) : `${l.service} | ${l.line}`;
  return withDaemon(opts, async (client) => {
    const onEvent = (e: StreamEvent): void => {
      if (e.kind === 'log') process.stdout.write(`${format(e)}\n`);
    };
    if (opts.follow) {
      // Interrupted by the user: closing the connection then is no error to report.
      let interrupted = false;
      const stop = new Promise<number>((resolve) => {
        const end = (): void => ((interrupted = true), resolve(0));
        process.once('SIGINT', end);
        process.once('SIGTERM', end);
      });
      const reply = client.call({ op: 'logs', names, lines: opts.lines, follow: true }, { onEvent }).then((r) => {
        if (r.type !== 'error' || interrupted) return 0;
        return reportError(r, opts.json === true);
      });
      return Promise.race([stop, reply]);
    }
    const r = await simpleCall(client, { op: 'logs', names, lines: opts.lines, follow: false }, {}, opts.json === true);
    if (!r.ok) return r.exitCode;
    await writeOut(r.data.lines.map((l) => `${format(l)}\n`).join(''));
    return 0;
  });
}
