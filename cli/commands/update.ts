// `rc update [COMPILED]`: switch the running daemon to a new compiled database (or --source DIR... compiled first), restarting only what changed.
import { resolve } from 'node:path';
import type { Command } from 'commander';
import type { RequestBody, StreamEvent } from '../../lib/control/index.js';
import { action, parseUint } from '../run-action.js';
import { addLiveOption, reportError, withDaemon, writeOut, type LiveOptions } from './daemon-client.js';
import { pickRenderer } from './daemon-client-transition.js';

interface UpdateOptions extends LiveOptions {
  source?: string[];
  convfile?: string;
  dryRun?: boolean;
  timeout?: number;
  jobs?: number;
  /** commander's --no-wait sets this to false. */
  wait?: boolean;
}

const USAGE = 100;

async function runUpdate(compiled: string | undefined, opts: UpdateOptions): Promise<number> {
  const json = opts.json === true;
  if ((compiled === undefined) === (opts.source === undefined)) {
    process.stderr.write(`rc: update: give the new compiled database, or --source DIR... (not both)\n(run with --help for usage)\n`);
    return USAGE;
  }
  const body: RequestBody<'update'> = {
    op: 'update',
    ...(compiled !== undefined ? { compiled: resolve(compiled) } : { source: opts.source!.map((s) => resolve(s)) }),
    ...(opts.convfile !== undefined ? { convfile: resolve(opts.convfile) } : {}),
    dryRun: opts.dryRun === true,
    timeoutMs: opts.timeout ?? 0,
    jobs: opts.jobs ?? 0,
    noWait: opts.wait === false,
  };
  return withDaemon(opts, async (client) => {
    const render = await import('../../lib/render/index.js');
    const renderer = body.dryRun ? null : await pickRenderer(json);
    const onEvent = (e: StreamEvent): void => {
      if (e.kind === 'event') renderer?.handle(e.event);
      else if (e.kind === 'output') renderer?.serviceOutput(e.service, e.line);
    };
    const onQueued = (_position: number, running: string): void => void process.stderr.write(`rc: waiting: the daemon is busy with '${running}'\n`);
    const reply = await client.call(body, { onEvent, onQueued });
    await renderer?.close();
    if (reply.type === 'error') return reportError(reply, json);
    const d = reply.data;
    if (d.diagnostics.length > 0) process.stderr.write(`${d.diagnostics.join('\n')}\n`);
    if (body.dryRun) {
      await writeOut(`${render.renderUpdate(d, json ? 'json' : 'text')}\n`);
      return 0;
    }
    if (json) {
      await writeOut(`${JSON.stringify({ ...render.updateToJson(d), type: 'update-done' })}\n`);
      return reply.exitCode;
    }
    const head = d.switched ? `rc: updated to ${d.db}` : `rc: not updated: the daemon still serves its previous database`;
    await writeOut(`${[head, ...render.updateDiffLines(d), ...d.notes.map((n) => `rc: note: ${n}`)].join('\n')}\n`);
    return reply.exitCode;
  });
}

export function registerUpdate(program: Command): void {
  const cmd = program
    .command('update')
    .description('switch the running daemon to a new compiled database, restarting only the services that changed (s6-rc-update)')
    .argument('[compiled]', 'the new compiled database (rc compile NEWDIR SOURCE...)')
    .option('--source <dirs...>', 'compile these source directories first (the daemon keeps the copy in LIVE/compiled-N)')
    .option('-f, --convfile <file>', "conversion file: 'OLD -> NEW' renames a service (kept running), a trailing 'restart' restarts it")
    .option('--dry-run', 'print what differs and the plan (stop waves under the old db, start waves under the new one, with reasons); change nothing')
    .option('--timeout <ms>', 'global timeout of each phase (stopping, then starting); 0 = none', parseUint('--timeout'), 0)
    .option('--json', 'machine-readable output: NDJSON events, then one {"type":"update-done",...} line (the plan as JSON with --dry-run)')
    .option('--jobs <n>', 'at most N transitions at once; 0 = no limit', parseUint('--jobs'), 0)
    .option('--no-wait', 'fail at once (exit 111) if another transition is running, instead of queueing');
  addLiveOption(cmd);
  cmd.addHelpText(
    'after',
    `
Like s6-rc-update: compares the database in use with the new one, service by service.
  removed    services that are up are stopped first (reverse dependency order, old db)
  changed    anything that affects how it runs (type, scripts, data/ env/ template/ contents,
             readiness, timeouts, down-signal, notification-fd, lock-fd, pipeline, dependencies):
             stopped under the old db and started under the new one, with its up dependents
  unchanged  not touched: a longrun keeps its pid, restart counters, rc logs and pipes
  added      started when the targets of the last rc change (e.g. default) now include it
Bundle membership alone changes nothing. The update is queued like a change. When the stop
phase fails the daemon keeps its database (nothing is started); once it switched, a failed
start is reported like a change failure. rc boot --scandir daemons use rc scan instead.

Exit codes: 0 done, 1 a service failed to stop or start, 2 --timeout expired, 3 unknown name in
the conversion file, 4 invalid database, 100 usage (scandir daemon, same database, conversion
file syntax), 111 no daemon (or busy, with --no-wait).

Examples:
  rc compile /etc/rc/compiled-2 /etc/rc/source && rc update /etc/rc/compiled-2
  rc update --dry-run /etc/rc/compiled-2
  rc update -f /etc/rc/convfile /etc/rc/compiled-2
  rc update --source /etc/rc/source`,
  );
  cmd.action(action(async (compiled: string | undefined, opts: UpdateOptions) => runUpdate(compiled, opts)));
}
