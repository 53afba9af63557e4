// Terminal rendering of compiler diagnostics: `PATH[:LINE]: error: MESSAGE` + hint, filtered by -v, coloured on a TTY.
import { countDiagnostics, formatDiagnostic, type Diagnostic, type Severity } from '../../lib/core/index.js';

const ANSI = { red: '\x1b[1;31m', yellow: '\x1b[1;33m', cyan: '\x1b[36m', dim: '\x1b[2m', reset: '\x1b[0m' };

/** -v 0: errors only; 1 (default): errors and warnings; 2+: info lines too. */
export function visibleAt(verbosity: number) {
  const visible = (s: Severity): boolean => s === 'error' || (s === 'warning' && verbosity >= 1) || verbosity >= 2;
  // A "more problems not shown" note is shown when some of what it stands for would be.
  return (d: Diagnostic): boolean =>
    d.omitted ? (d.omitted.error > 0 && visible('error')) || (d.omitted.warning > 0 && visible('warning')) || (d.omitted.info > 0 && visible('info')) : visible(d.severity);
}

export function wantColor(stream: NodeJS.WriteStream): boolean {
  return stream.isTTY === true && !process.env.NO_COLOR && process.env.TERM !== 'dumb';
}

function colourise(text: string, d: Diagnostic): string {
  const tag = `: ${d.severity}: `;
  const c = d.severity === 'error' ? ANSI.red : d.severity === 'warning' ? ANSI.yellow : ANSI.cyan;
  return text
    .replace(tag, `: ${c}${d.severity}${ANSI.reset}: `)
    .replace(/\n {2}hint: /, `\n  ${ANSI.dim}hint:${ANSI.reset} `);
}

/** The diagnostics as lines for stderr (empty string when none are visible). */
export function renderDiagnostics(list: readonly Diagnostic[], verbosity: number, color: boolean): string {
  const shown = list.filter(visibleAt(verbosity));
  return shown.map((d) => `${color ? colourise(formatDiagnostic(d), d) : formatDiagnostic(d)}\n`).join('');
}

/** `2 errors, 1 warning` (warnings counted only when visible), the problems left out of the output included. */
export function countLine(list: readonly Diagnostic[], verbosity: number): string {
  const n = countDiagnostics(list);
  const errors = n.error;
  const warnings = verbosity >= 1 ? n.warning : 0;
  const plural = (n: number, w: string) => `${n} ${w}${n === 1 ? '' : 's'}`;
  return warnings > 0 ? `${plural(errors, 'error')}, ${plural(warnings, 'warning')}` : plural(errors, 'error');
}

/** The `--json` document: every diagnostic, whatever the verbosity. */
export function diagnosticsJson(list: readonly Diagnostic[], extra: Record<string, unknown>): string {
  return `${JSON.stringify({ ...extra, diagnostics: list }, null, 2)}\n`;
}

/** Write and wait for the stream to accept it (so exit codes never cut output short). */
export function write(stream: NodeJS.WriteStream, text: string): Promise<void> {
  if (text === '') return Promise.resolve();
  return new Promise((resolve) => stream.write(text, () => resolve()));
}
