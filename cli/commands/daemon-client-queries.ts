// The bodies of `rc status` and `rc list`: one daemon request each, printed as a table, JSON or names.
import type { ListFilter, ListResultData, StatusResultData } from '../../lib/control/index.js';
import { simpleCall, withDaemon, writeOut, type LiveOptions } from './daemon-client.js';

export interface StatusOptions extends LiveOptions {
  json?: boolean;
}

export async function runStatus(names: string[], opts: StatusOptions): Promise<number> {
  return withDaemon(opts, async (client) => {
    const r = await simpleCall(client, { op: 'status', names }, {}, opts.json === true);
    if (!r.ok) return r.exitCode;
    const data = r.data as StatusResultData;
    if (opts.json) {
      await writeOut(`${JSON.stringify(data, null, 2)}\n`);
    } else {
      const { formatStatusTable } = await import('./daemon-client-table.js');
      const busy = data.daemon.busy ? `busy: ${data.daemon.busy}${data.daemon.queued > 0 ? ` (+${data.daemon.queued} queued)` : ''}\n` : '';
      await writeOut(busy + formatStatusTable(data.services));
    }
    return 0;
  });
}

export async function runList(names: string[], filter: ListFilter, opts: LiveOptions): Promise<number> {
  return withDaemon(opts, async (client) => {
    const r = await simpleCall(client, { op: 'list', names, filter });
    if (!r.ok) return r.exitCode;
    await writeOut((r.data as ListResultData).names.map((n) => `${n}\n`).join(''));
    return 0;
  });
}
