// DiagnosticSink: collects diagnostics while reading and compiling, capping floods from one file.
import type { Diagnostic, Omitted, Severity } from '../core/diagnostics.js';

/** At most this many diagnostics per file; the rest are summarised in one line. */
export const MAX_PER_FILE = 50;

/**
 * A message or hint longer than this is cut (with its total length): quoted content is already
 * cut where it is quoted; this bounds whatever else a hostile tree could put in one.
 */
export const MAX_MESSAGE = 1000;

const clip = (text: string): string => (text.length <= MAX_MESSAGE ? text : `${text.slice(0, MAX_MESSAGE)}… (${text.length} characters)`);

type Extra = Omit<Partial<Diagnostic>, 'severity' | 'file' | 'message'>;

export interface SinkOptions {
  /** `--strict`: every warning is reported as an error (rc compile/check exit 1). */
  strict?: boolean;
}

export class DiagnosticSink {
  readonly #strict: boolean;
  readonly #list: Diagnostic[] = [];
  readonly #perFile = new Map<string, number>();
  readonly #dropped = new Map<string, Omitted>();

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
    if (d.message.length > MAX_MESSAGE || (d.hint !== undefined && d.hint.length > MAX_MESSAGE)) {
      d = { ...d, message: clip(d.message), ...(d.hint !== undefined ? { hint: clip(d.hint) } : {}) };
    }
    const n = (this.#perFile.get(d.file) ?? 0) + 1;
    this.#perFile.set(d.file, n);
    if (n <= MAX_PER_FILE) {
      this.#list.push(d);
      return;
    }
    let omitted = this.#dropped.get(d.file);
    if (omitted === undefined) this.#dropped.set(d.file, (omitted = { error: 0, warning: 0, info: 0, system: false }));
    omitted[d.severity]++;
    if (d.severity === 'error' && d.kind === 'system') omitted.system = true;
  }

  /**
   * The collected diagnostics, with one summary line per file that hit the cap: a note (severity
   * info) carrying the counts of what it leaves out in `omitted`, sorted after that file's lines.
   */
  get diagnostics(): Diagnostic[] {
    const out = [...this.#list];
    for (const [file, omitted] of this.#dropped) {
      const count = omitted.error + omitted.warning + omitted.info;
      out.push({ severity: 'info', kind: 'source', file, message: `(${count} more problem${count === 1 ? '' : 's'} in this file not shown)`, omitted: { ...omitted } });
    }
    return out;
  }

  get hasErrors(): boolean {
    return this.#list.some((d) => d.severity === 'error') || [...this.#dropped.values()].some((x) => x.error > 0);
  }
}

export type { Severity };
