// Text formatting for `rc status`: durations and the aligned table (no colours, no dependencies).
import type { StatusRow } from '../../lib/control/index.js';

/** 950 ms → "0s", 65 s → "1m05s", 2 h 5 min → "2h05m", 3 days → "3d00h". */
export function formatDuration(ms: number): string {
  const s = Math.floor(ms / 1000);
  if (s < 60) return `${s}s`;
  const m = Math.floor(s / 60);
  if (m < 60) return `${m}m${String(s % 60).padStart(2, '0')}s`;
  const h = Math.floor(m / 60);
  if (h < 24) return `${h}h${String(m % 60).padStart(2, '0')}m`;
  return `${Math.floor(h / 24)}d${String(h % 24).padStart(2, '0')}h`;
}

function lastExit(row: StatusRow): string {
  const e = row.lastExit;
  if (!e) return '-';
  if (e.signal) return e.signal;
  return e.code === null ? '-' : `exit ${e.code}`;
}

/**
 * The state, with a marker where rc's record and reality part: the last request wants otherwise
 * (and it is not on its way: `starting` already says it), or a longrun rc records up is not running (`rc svc -d`, a permanent failure; `rc up` restarts it).
 */
function stateText(row: StatusRow): string {
  let text = row.state;
  if (row.type === 'longrun' && row.up && (row.state === 'down' || row.state === 'failed')) text += ' (recorded up)';
  else if (row.up !== row.wanted && row.state !== (row.wanted ? 'starting' : 'stopping')) text += row.wanted ? ' (wanted up)' : ' (wanted down)';
  return text;
}

/** "healthy (4s ago)", "starting", "-" (no check, or not running). */
function healthText(row: StatusRow, wallNow: number): string {
  if (!row.health) return '-';
  if (row.healthCheckedAt === null || row.healthCheckedAt === undefined) return row.health;
  return `${row.health} (${formatDuration(Math.max(0, wallNow - row.healthCheckedAt))} ago)`;
}

/**
 * The status table, one row per service, columns aligned. The HEALTH column is there only when
 * some row has a health verdict, so the table of a tree without health checks is unchanged.
 */
export function formatStatusTable(rows: readonly StatusRow[], wallNow = Date.now()): string {
  const withHealth = rows.some((r) => r.health);
  const header = ['NAME', 'TYPE', 'STATE', 'PID', 'UPTIME', 'READY', ...(withHealth ? ['HEALTH'] : []), 'RESTARTS', 'LAST EXIT'];
  const cells = rows.map((r) => [
    r.name,
    r.type,
    stateText(r),
    r.pid === null ? '-' : String(r.pid),
    r.sinceMs !== null && r.state !== 'down' && r.state !== 'failed' ? formatDuration(r.sinceMs) : '-',
    r.ready === null ? '-' : r.ready ? 'yes' : 'no',
    ...(withHealth ? [healthText(r, wallNow)] : []),
    r.type === 'longrun' ? String(r.restarts) : '-',
    lastExit(r),
  ]);
  const widths = header.map((h, c) => Math.max(h.length, ...cells.map((row) => row[c]!.length)));
  const line = (row: string[]) => row.map((v, c) => (c === row.length - 1 ? v : v.padEnd(widths[c]!))).join('  ').trimEnd();
  return `${[line(header), ...cells.map(line)].join('\n')}\n`;
}
