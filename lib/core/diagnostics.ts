// Diagnostic: a located user-facing problem (file, line, message, hint), and its formatting.
export type Severity = 'error' | 'warning' | 'info';

export interface Related {
  file: string;
  line?: number;
  message: string;
}

export interface Diagnostic {
  severity: Severity;
  /** Path of the file or directory the problem is in. */
  file: string;
  /** 1-based line, where one exists. */
  line?: number;
  column?: number;
  message: string;
  /** How to fix it: "did you mean `postgres`?", the accepted values, ... */
  hint?: string;
  related?: Related[];
  /**
   * 'source' problems make `rc compile` exit 1; 'system' problems (unreadable files,
   * a target that exists) make it exit 111, as s6-rc-compile does; 'usage' problems (a target
   * that must not be replaced) make it exit 100.
   */
  kind?: 'source' | 'system' | 'usage';
  /**
   * Set on the one summary line of a file that hit the cap ("N more problems in this file not
   * shown"): what was left out. Such a line is a note (severity 'info'), never a problem itself;
   * counts and exit codes add what it stands for.
   */
  omitted?: Omitted;
}

export interface Omitted {
  error: number;
  warning: number;
  info: number;
  /** Whether one of the omitted errors is a system error (exit 111). */
  system: boolean;
}

/** Every problem of a list, the ones summarised by `omitted` lines included. */
export function countDiagnostics(list: readonly Diagnostic[]): { error: number; warning: number; info: number; system: boolean } {
  const n = { error: 0, warning: 0, info: 0, system: false };
  for (const d of list) {
    if (d.omitted !== undefined) {
      n.error += d.omitted.error;
      n.warning += d.omitted.warning;
      n.info += d.omitted.info;
      n.system ||= d.omitted.system;
      continue;
    }
    n[d.severity]++;
    if (d.severity === 'error' && d.kind === 'system') n.system = true;
  }
  return n;
}

export const error = (file: string, message: string, extra: Partial<Diagnostic> = {}): Diagnostic => ({
  severity: 'error',
  file,
  message,
  ...extra,
});

export const warning = (file: string, message: string, extra: Partial<Diagnostic> = {}): Diagnostic => ({
  severity: 'warning',
  file,
  message,
  ...extra,
});

/** Stable order: file, line, column, message; a file's "more problems not shown" line last. Same tree → same output. */
export function sortDiagnostics(list: readonly Diagnostic[]): Diagnostic[] {
  const cmp = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);
  return [...list].sort(
    (a, b) =>
      cmp(a.file, b.file) ||
      (a.omitted ? 1 : 0) - (b.omitted ? 1 : 0) ||
      (a.line ?? 0) - (b.line ?? 0) ||
      (a.column ?? 0) - (b.column ?? 0) ||
      cmp(a.message, b.message),
  );
}

const CONTROL_ESCAPES: Record<string, string> = { '\n': '\\n', '\t': '\\t', '\r': '\\r' };

/** A path as one line: control characters (a newline in a file name) escaped, `\n`, `\t`, `\xHH`. */
export function showPath(path: string): string {
  // eslint-disable-next-line no-control-regex -- control characters are what is escaped
  return path.replace(/[\x00-\x1f\x7f]/g, (c) => CONTROL_ESCAPES[c] ?? `\\x${c.charCodeAt(0).toString(16).padStart(2, '0')}`);
}

/** `PATH[:LINE]: error: MESSAGE` plus an indented hint line (a summary of omitted problems is a `note`). */
export function formatDiagnostic(d: Diagnostic): string {
  const where = d.line !== undefined ? `${showPath(d.file)}:${d.line}` : showPath(d.file);
  let out = `${where}: ${d.omitted ? 'note' : d.severity}: ${d.message}`;
  if (d.hint) out += `\n  hint: ${d.hint}`;
  for (const r of d.related ?? []) {
    out += `\n  ${r.line !== undefined ? `${showPath(r.file)}:${r.line}` : showPath(r.file)}: ${r.message}`;
  }
  return out;
}

export const hasErrors = (list: readonly Diagnostic[]): boolean => countDiagnostics(list).error > 0;
