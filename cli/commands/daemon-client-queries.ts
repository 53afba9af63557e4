// The bodies of `rc status` and `rc list`: one daemon request each, printed as a table, JSON or names.
import type { DaemonInfo, ListFilter } from '../../lib/control/index.js';
import { simpleCall, withDaemon, writeOut, type LiveOptions } from './daemon-client.js';

export interface StatusOptions extends LiveOptions {
  json?: boolean;
}

export async function runStatus(names: string[], opts: StatusOptions): Promise<number> {
  return withDaemon(opts, async (client) => {
    const r = await simpleCall(client, { op: 'status', names }, {}, opts.json === true);
    if (!r.ok) return r.exitCode;
    const data = r.data;
    if (opts.json) {
      await writeOut(`${JSON.stringify(data, null, 2)}\n`);
    } else {
      const { formatStatusTable } = await import('./daemon-client-table.js');
      await writeOut(busyLines(data.daemon) + formatStatusTable(data.services));
    }
    return 0;
  });
}

export async function runList(names: string[], filter: ListFilter, opts: LiveOptions): Promise<number> {
  return withDaemon(opts, async (client) => {
    const r = await simpleCall(client, { op: 'list', names, filter });
    if (!r.ok) return r.exitCode;
    await writeOut(r.data.names.map((n) => `${n}\n`).join(''));
    return 0;
  });
}

const seconds = (ms: number): string => (ms < 10_000 ? `${(ms / 1000).toFixed(1)} s` : `${Math.round(ms / 1000)} s`);

/** "busy: up noready for 12 s (+1 queued)" and what it waits for, one line each; nothing when idle. */
export function busyLines(d: DaemonInfo): string {
  if (!d.busy) return '';
  const queued = d.queued > 0 ? ` (+${d.queued} queued)` : '';
  const lines = [`busy: ${d.busy}${d.busyMs === null ? '' : ` for ${seconds(d.busyMs)}`}${queued}`];
  for (const w of d.waitingFor.slice(0, 5)) lines.push(`  waiting for ${w.name} (${w.what}) for ${seconds(w.sinceMs)}`);
  if (d.waitingFor.length > 5) lines.push(`  and ${d.waitingFor.length - 5} more`);
  return `${lines.join('\n')}\n`;
}
