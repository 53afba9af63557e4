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

/** Stable order: file, line, column, message. Same tree → same output. */
export function sortDiagnostics(list: readonly Diagnostic[]): Diagnostic[] {
  const cmp = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);
  return [...list].sort(
    (a, b) =>
      cmp(a.file, b.file) ||
      (a.line ?? 0) - (b.line ?? 0) ||
      (a.column ?? 0) - (b.column ?? 0) ||
      cmp(a.message, b.message),
  );
}

/** `PATH[:LINE]: error: MESSAGE` plus an indented hint line. */
export function formatDiagnostic(d: Diagnostic): string {
  const where = d.line !== undefined ? `${d.file}:${d.line}` : d.file;
  let out = `${where}: ${d.severity}: ${d.message}`;
  if (d.hint) out += `\n  hint: ${d.hint}`;
  for (const r of d.related ?? []) {
    out += `\n  ${r.line !== undefined ? `${r.file}:${r.line}` : r.file}: ${r.message}`;
  }
  return out;
}

export const hasErrors = (list: readonly Diagnostic[]): boolean => list.some((d) => d.severity === 'error');
