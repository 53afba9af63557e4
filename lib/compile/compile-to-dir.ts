// compileToDir: compile sources and write the database atomically; exit-code policy of s6-rc-compile.
import { lstatSync, readFileSync, readdirSync, realpathSync } from 'node:fs';
import { basename, dirname, isAbsolute, join, relative, resolve } from 'node:path';
import { countDiagnostics, sortDiagnostics, type Diagnostic } from '../core/diagnostics.js';
import { ExitCode } from '../core/exit-codes.js';
import { DB_INDEX_FILE, type DbIndex } from '../db/types.js';
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

/** 100 if any usage error, else 111 if any system error, else 1 if any error, else 0 (warnings do not fail). */
export function compileExitCode(diagnostics: readonly Diagnostic[]): 0 | 1 | 100 | 111 {
  if (diagnostics.some((d) => d.severity === 'error' && d.kind === 'usage')) return ExitCode.usage;
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

/** The real path of `path`, or of its nearest existing parent joined with the rest (it may not exist yet). */
function realOrResolved(path: string): string {
  const abs = resolve(path);
  try {
    return realpathSync(abs);
  } catch {
    const parent = dirname(abs);
    return parent === abs ? abs : join(realOrResolved(parent), basename(abs));
  }
}

/** Is `inner` the same as `outer` or inside it? */
function within(inner: string, outer: string): boolean {
  const rel = relative(outer, inner);
  return rel === '' || (!rel.startsWith('..') && !isAbsolute(rel));
}

/** Why `dir` (which exists) must not be replaced, or null if it is a compiled database (of any format version) or empty. */
function notACompiledDb(dir: string): string | null {
  try {
    if (!lstatSync(dir).isDirectory()) return 'it is not a directory';
    if (readdirSync(dir).length === 0) return null; // nothing to lose
    const value = JSON.parse(readFileSync(join(dir, DB_INDEX_FILE), 'utf8')) as { format?: unknown } | null;
    return value?.format === 'rc-compiled-db' ? null : `its ${DB_INDEX_FILE} is not an rc compiled database`;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'ENOENT' ? `it has no ${DB_INDEX_FILE}` : `its ${DB_INDEX_FILE} cannot be read as a compiled database`;
  }
}

/**
 * Refuse a target that would destroy what is not a compiled database: one that is, contains or is
 * inside a source directory, or (with force) an existing directory that is not a compiled database.
 */
function refuseTarget(target: string, sources: readonly string[], force: boolean): Diagnostic | null {
  const real = realOrResolved(target);
  for (const source of sources) {
    const src = realOrResolved(source);
    const how = real === src ? 'is' : within(real, src) ? 'is inside' : within(src, real) ? 'contains' : null;
    if (how !== null) {
      return {
        severity: 'error',
        kind: 'usage',
        file: target,
        message: `refusing to write the compiled database to ${resolve(target)}: it ${how} the source directory ${resolve(source)}`,
        hint: 'choose an output directory outside every source directory (e.g. /etc/rc/compiled, or a sibling of the source)',
      };
    }
  }
  if (force && targetExists(target)) {
    const why = notACompiledDb(target);
    if (why !== null) {
      return {
        severity: 'error',
        kind: 'usage',
        file: target,
        message: `refusing to replace ${resolve(target)} with --force: ${why}, so it is not a compiled database and would be deleted`,
        hint: 'pass a new output directory, or remove this one yourself if you really mean to replace it',
      };
    }
  }
  return null;
}

/**
 * Compile `sources` into the directory `target` (which must not exist unless `force`).
 * Every problem is reported, the target's included; nothing is written unless all is well.
 */
export function compileToDir(target: string, sources: readonly string[], options: CompileToDirOptions = {}): CompileToDirResult {
  const refused = refuseTarget(target, sources, options.force === true);
  if (refused) return { ok: false, diagnostics: [refused] };
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
