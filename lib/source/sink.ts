// DiagnosticSink: collects diagnostics while reading and compiling, capping floods from one file.
import type { Diagnostic, Severity } from '../core/diagnostics.js';

/** At most this many diagnostics per file; the rest are summarised in one line. */
export const MAX_PER_FILE = 50;

type Extra = Omit<Partial<Diagnostic>, 'severity' | 'file' | 'message'>;

export interface SinkOptions {
  /** `--strict`: every warning is reported as an error (rc compile/check exit 1). */
  strict?: boolean;
}

export class DiagnosticSink {
  readonly #strict: boolean;
  readonly #list: Diagnostic[] = [];
  readonly #perFile = new Map<string, number>();
  readonly #dropped = new Map<string, { count: number; severity: Severity; kind: Diagnostic['kind'] }>();

  constructor(options: SinkOptions = {}) {
    this.#strict = options.strict === true;
  }

  /** A source error (rc compile exits 1). */
  error(file: string, message: string, extra: Extra = {}): void {
    this.add({ severity: 'error', kind: 'source', file, message, ...extra });
  }

  /** A system error, exit 111 in s6-rc-compile (unreadable file, missing mandatory file, target exists). */
  system(file: string, message: string, extra: Extra = {}): void {
    this.add({ severity: 'error', kind: 'system', file, message, ...extra });
  }

  warn(file: string, message: string, extra: Extra = {}): void {
    this.add({ severity: 'warning', kind: 'source', file, message, ...extra });
  }

  info(file: string, message: string, extra: Extra = {}): void {
    this.add({ severity: 'info', kind: 'source', file, message, ...extra });
  }

  add(d: Diagnostic): void {
    if (this.#strict && d.severity === 'warning') d = { ...d, severity: 'error', kind: 'source', message: `${d.message} (--strict)` };
    const n = (this.#perFile.get(d.file) ?? 0) + 1;
    this.#perFile.set(d.file, n);
    if (n <= MAX_PER_FILE) {
      this.#list.push(d);
      return;
    }
    const prev = this.#dropped.get(d.file);
    const severity = prev?.severity === 'error' || d.severity === 'error' ? 'error' : d.severity;
    const kind = prev?.kind === 'system' ? 'system' : d.kind;
    this.#dropped.set(d.file, { count: (prev?.count ?? 0) + 1, severity, kind });
  }

  /** The collected diagnostics, with one summary line per file that hit the cap. */
  get diagnostics(): Diagnostic[] {
    const out = [...this.#list];
    for (const [file, { count, severity, kind }] of this.#dropped) {
      out.push({ severity, kind, file, message: `(${count} more problems in this file not shown)` });
    }
    return out;
  }

  get hasErrors(): boolean {
    return this.#list.some((d) => d.severity === 'error') || [...this.#dropped.values()].some((x) => x.severity === 'error');
  }
}

export type { Severity };
