// compileToDir: compile sources and write the database atomically; exit-code policy of s6-rc-compile.
import { lstatSync } from 'node:fs';
import { resolve } from 'node:path';
import { countDiagnostics, sortDiagnostics, type Diagnostic } from '../core/diagnostics.js';
import { ExitCode } from '../core/exit-codes.js';
import type { DbIndex } from '../db/types.js';
import { writeDb } from '../db/write.js';
import { DiagnosticSink } from '../source/sink.js';
import { compileSources } from './compile-sources.js';
import { copyServicedirs } from './copy-servicedirs.js';

export interface CompileToDirOptions {
  /** Replace an existing target atomically. */
  force?: boolean;
  /** Report warnings as errors: nothing is written when there is one. */
  strict?: boolean;
}

export type CompileToDirResult = { ok: true; index: DbIndex; diagnostics: Diagnostic[] } | { ok: false; diagnostics: Diagnostic[] };

/** 111 if any system error, else 1 if any error, else 0 (warnings do not fail). */
export function compileExitCode(diagnostics: readonly Diagnostic[]): 0 | 1 | 111 {
  const n = countDiagnostics(diagnostics);
  if (n.system) return ExitCode.system;
  return n.error > 0 ? ExitCode.failed : ExitCode.ok;
}

function targetExists(path: string): boolean {
  try {
    lstatSync(path);
    return true;
  } catch {
    return false;
  }
}

/**
 * Compile `sources` into the directory `target` (which must not exist unless `force`).
 * Every problem is reported, the target's included; nothing is written unless all is well.
 */
export function compileToDir(target: string, sources: readonly string[], options: CompileToDirOptions = {}): CompileToDirResult {
  const sink = new DiagnosticSink({ strict: options.strict });
  if (!options.force && targetExists(target)) {
    sink.system(target, `unable to mkdir ${resolve(target)}: File exists`, { hint: 'remove it, or pass --force to replace it atomically' });
  }
  const out = compileSources(sources, { sink });
  if (out.index === undefined || out.definitions === undefined) return { ok: false, diagnostics: out.diagnostics };
  const written = writeDb(target, out.index, copyServicedirs(out.definitions), { force: options.force });
  if (!written.ok) {
    const { path, message, hint } = written.error;
    return { ok: false, diagnostics: sortDiagnostics([...out.diagnostics, { severity: 'error', kind: 'system', file: path, message, hint }]) };
  }
  return { ok: true, index: out.index, diagnostics: out.diagnostics };
}
