// `rc scan`: make a scandir daemon (rc boot --scandir) read its scan directory again: new folders start, removed ones stop.
import type { Command } from 'commander';
import type { ScanResultData, StreamEvent } from '../../lib/control/index.js';
import { action, parseUint } from '../run-action.js';
import { addLiveOption, reportError, withDaemon, writeOut, type LiveOptions } from './daemon-client.js';

interface ScanOptions extends LiveOptions {
  timeout: number;
  json?: boolean;
}

/** What changed, one line per kind, for stdout. */
export function scanReport(d: ScanResultData): string {
  const line = (label: string, names: string[]) => (names.length > 0 ? [`rc: ${label}: ${names.join(' ')}\n`] : []);
  const lines = [
    ...line('added', d.added),
    ...line('removed', d.removed),
    ...line('replaced (settings changed)', d.replaced),
    ...line('skipped (errors)', d.skipped),
  ];
  return lines.length > 0 ? lines.join('') : `rc: no change in ${d.dir}\n`;
}

async function runScan(opts: ScanOptions): Promise<number> {
  const json = opts.json === true;
  return withDaemon(opts, async (client) => {
    const render = await import('../../lib/render/index.js');
    const renderer = json ? new render.JsonRenderer(process.stdout) : new render.PlainRenderer(process.stdout);
    const onEvent = (e: StreamEvent): void => {
      if (e.kind === 'event') renderer.handle(e.event);
    };
    const onQueued = (_position: number, running: string): void => void process.stderr.write(`rc: waiting: the daemon is busy with '${running}'\n`);
    const reply = await client.call({ op: 'scan', timeoutMs: opts.timeout }, { onEvent, onQueued });
    await renderer.close();
    if (reply.type === 'error') return reportError(reply, json);
    const data = reply.data;
    if (data.diagnostics.length > 0) process.stderr.write(`${data.diagnostics.join('\n')}\n`);
    await writeOut(json ? `${JSON.stringify({ type: 'scan-done', ...data, summaries: undefined })}\n` : scanReport(data));
    return reply.exitCode;
  });
}

export function registerScan(program: Command): void {
  const cmd = program
    .command('scan')
    .description('rescan the scan directory of a daemon started with rc boot --scandir: start new services, stop removed ones')
    .option('--timeout <ms>', 'global timeout of each step (stopping, then starting); 0 = none', parseUint('--timeout'), 0)
    .option('--json', 'machine-readable output: NDJSON engine events, then one {"type":"scan-done",...} line');
  addLiveOption(cmd);
  cmd.addHelpText(
    'after',
    `
Like s6-svscanctl -an: every subfolder of the scan directory with a run file is a service.
  new folder          gets a supervisor and starts, unless it has a down file
  removed folder      stops (its logger after it) and is dropped; nothing of it keeps running
  changed settings    (notification-fd, down-signal, timeout-kill, a new log/, ...) the service
                      is stopped and, if it was up, started again with the new settings
  anything else       untouched: its supervisor keeps running
A folder with errors is skipped with a warning (the others are scanned). The scan is queued
like a change, so it never runs next to one. SIGHUP to the daemon does the same.

Exit codes: 0 done, 1 a service failed to start or stop, 2 --timeout expired,
100 the daemon was not started with --scandir, 111 no daemon or the scan directory is unreadable.

Examples:
  cp -r ./nginx /etc/services.d/ && rc scan
  rm -r /etc/services.d/old-worker && rc scan --timeout 10000`,
  );
  cmd.action(action(async (opts: ScanOptions) => runScan(opts)));
}
