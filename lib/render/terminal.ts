// Which progress renderer a terminal can take: listr2 redraws lines in place, which needs a TTY
// whose width is known and not tiny. On a 0-column TTY (a pty nobody sized: `docker exec -t`
// from a script, some CI runners) listr2 wraps after every character: one character per line.
export type ProgressStyle = 'listr' | 'plain';

/** Narrower than this, listr2's lines (mark, verb, name, duration) wrap: plain lines read better. */
export const LISTR_MIN_COLUMNS = 20;

export interface TerminalInfo {
  isTTY?: boolean;
  /** Undefined or 0 when the terminal's size is unknown. */
  columns?: number;
}

/** listr2 on a TTY at least LISTR_MIN_COLUMNS wide (and not TERM=dumb); plain lines otherwise. */
export function progressStyle(out: TerminalInfo, env: Readonly<Record<string, string | undefined>> = {}): ProgressStyle {
  if (out.isTTY !== true || env['TERM'] === 'dumb') return 'plain';
  const cols = out.columns;
  return typeof cols === 'number' && Number.isFinite(cols) && cols >= LISTR_MIN_COLUMNS ? 'listr' : 'plain';
}
